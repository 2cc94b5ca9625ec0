"""fwbench.studies.loc.run: regions, counts, diffs, result files; and the counted programs really run."""

import importlib.util

import numpy as np
import pytest

from fwbench import REPO_ROOT, frameworks
from fwbench.core.results import read_result, write_result
from fwbench.runs.workloads import discover
from fwbench.studies.loc import run as loc
from fwbench.studies.loc.tables import aggregate_loc

SNIPPET = '''"""Docstring, not counted."""
# region: model
def f(x):  # a comment
    if x:
        return 1
    return 2
# endregion
'''


def test_region_text_dedents_and_joins_segments():
    text = (
        "class A:\n    # region: r\n    def f(self):\n        return 1\n    # endregion\n"
        "# region: r\ny = 2\n# endregion\n"
    )
    assert loc.region_text(text, "r") == "def f(self):\n    return 1\n\ny = 2\n"
    with pytest.raises(ValueError, match="no region"):
        loc.region_text(text, "missing")
    with pytest.raises(ValueError, match="not closed"):
        loc.region_text("# region: r\nx = 1\n", "r")


def test_measure_counts_code_not_comments_or_docstrings():
    counts = loc.measure(loc.region_text(SNIPPET, "model"))
    assert counts["sloc"] == 4 and counts["cyclomatic_complexity"] == 2
    assert loc.code_tokens("x = 1  # c\n") == ["x", "=", "1"]
    assert loc.measure(SNIPPET)["tokens"] == counts["tokens"]  # the docstring is blanked


def test_diff_size_counts_lines_and_tokens():
    diff = loc.diff_size("a = 1\nb = 2\n", "a = 1\nb = 3\nc = 4\n")
    assert (diff["added_lines"], diff["removed_lines"], diff["changed_lines"]) == (2, 1, 3)
    assert diff["added_tokens"] == 4 and diff["removed_tokens"] == 1


def test_every_harness_and_sample_has_its_regions():
    for path in loc.HARNESS_FILES.values():
        text = (REPO_ROOT / path).read_text()
        for region in loc.HARNESS_REGIONS:
            assert loc.measure(loc.region_text(text, region))["sloc"] > 0, (path, region)
    for _, path in loc.SAMPLES.values():
        text = (REPO_ROOT / path).read_text()
        for region in loc.SAMPLE_REGIONS:
            assert loc.measure(loc.region_text(text, region))["sloc"] > 0, (path, region)


def test_records_follow_the_schema_and_aggregate(tmp_path):
    records = [loc.workload_record(w) for w in discover().values()]
    records += [loc.samples_record()] + [loc.customisation_record(t) for t in loc.customisation_tasks()]
    assert {
        "custom_layer",
        "custom_train_step",
        "custom_metric",
        "custom_loss",
        "custom_initializer",
        "gradient_accumulation",
        "lr_schedule",
        "multi_input",
        "weight_tying",
        "training_hook",
    } <= set(loc.customisation_tasks())
    paths = []
    for i, record in enumerate(records):
        write_result(tmp_path / f"{i}.json", record, kind="loc")
        assert read_result(tmp_path / f"{i}.json", kind="loc") == record
        paths.append(tmp_path / f"{i}.json")
    table = aggregate_loc(paths, tmp_path / "loc.csv")
    custom = table[table["subject"] == "customisation"]
    assert (custom["changed_lines"] > 0).all() and custom["baseline_path"].notna().all()
    assert set(table["framework"]) == set(frameworks.FRAMEWORKS)  # every framework's harness is counted
    jax_units = table[table["framework"].eq("jax")]
    assert set(jax_units["subject"]) == {"workload"}  # no samples or customisations of its own (yet)


def _load(path):
    spec = importlib.util.spec_from_file_location(f"counted_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _programs():
    yield from ((style, REPO_ROOT / path) for style, (_, path) in loc.SAMPLES.items())
    for task in loc.customisation_tasks():
        for name in loc.CUSTOMISATION_FILES.values():
            yield task, REPO_ROOT / loc.CUSTOMISATION_DIR / task / name


@pytest.mark.parametrize("name,path", list(_programs()), ids=lambda v: str(v)[-40:])
def test_counted_programs_run_a_few_steps(name, path):
    import keras
    import torch

    keras.utils.set_random_seed(0)  # op determinism (enabled by the harness fixture) needs a seed
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    data = {
        "x_train": rng.normal(size=(200, 40)).astype(np.float32),
        "y_train": rng.integers(0, 10, 200),
        "x_test": rng.normal(size=(50, 40)).astype(np.float32),
        "y_test": rng.integers(0, 10, 50),
    }
    result = _load(path).run(data, epochs=1, batch_size=100)
    assert 0.0 <= result["test_accuracy"] <= 1.0
    history = result["history"]
    losses = [h["loss"] for h in history] if isinstance(history, list) else history["loss"]
    assert losses and np.isfinite(losses).all()
    if name == "custom_metric":  # logged at every step (2 steps of 100)
        assert len(history) == 2 and all("confidence" in h for h in history)
    if name == "training_hook":  # recorded at every step
        norms = history["weight_norm"] if isinstance(history, dict) else [h["weight_norm"] for h in history]
        assert len(norms) == 2 and np.isfinite(norms).all()


def test_port_adaptations_count_kinds_and_marked_lines_and_refuse_unknown_kinds():
    port_adaptations = loc.port_adaptations
    text = "a = 1  # port: padding\nb = 2  # port: padding\nc = 3  # port: constant\nd = 4\n"
    expected = {"adaptations": 2, "lines": 3, "tokens": 9, "by_kind": {"constant": 1, "padding": 2}}
    assert port_adaptations(text) == expected  # tokens: the code tokens of the marked lines only
    assert port_adaptations("x = 1\n") == {"adaptations": 0, "lines": 0, "tokens": 0, "by_kind": {}}
    with pytest.raises(ValueError, match="unknown kind"):
        port_adaptations("x = 1  # port: typo\n", "tf_impl.py")


def test_every_workload_marks_its_port_on_both_sides():
    ports = {
        name: sum(
            row["port"]["adaptations"]
            for row in loc.workload_record(w)["rows"]
            if row["part"] == "model" and row["framework"] in ("torch", "tf")  # jax's file is tf's
        )
        for name, w in discover().items()
    }
    # PyTorch's side: initialisation set to Keras's default (init) in every workload; Keras's side:
    # padding + permute (cnn1d), the GRU's gate layout (gru), nothing more for the mlp
    assert ports["mlp"] == 1 and ports["cnn1d"] == 3 and ports["gru"] == 2
