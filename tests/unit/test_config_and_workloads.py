"""Config and workload.yaml validation: bad input stops before anything runs, with one clear line."""

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from snakemake.utils import validate

from fwbench import SCHEMA_DIR, WORKLOAD_DIR
from fwbench.runs.plan import planned_runs, run_id, run_spec, selected_workloads
from fwbench.runs.workloads import WorkloadError, discover, load_workload

CONFIG_SCHEMA = str(SCHEMA_DIR / "config.schema.yaml")
REPO_CONFIG = yaml.safe_load((Path(__file__).parents[2] / "config/config.yaml").read_text())


@pytest.mark.parametrize("overlay", [None, "tiny.yaml", "gpu.yaml"])
def test_the_shipped_configs_are_valid(overlay):
    extra = yaml.safe_load((Path(__file__).parents[2] / "config" / overlay).read_text()) if overlay else {}
    validate({**REPO_CONFIG, **extra}, CONFIG_SCHEMA)


@pytest.mark.parametrize(
    "change",
    [
        {"scale": "huge"},
        {"seeds": []},
        {"seeds": [-1]},
        {"seeds": "0"},
        {"device": "tpu"},
        {"timeout_s": 0},
        {"modes": {"torch": ["xla"]}},
        {"modes": {"jax": ["graph"]}},
        {"modes": {"mxnet": ["eager"]}},
        {"workloads": ["../etc"]},
        {"workloads": []},
        {"unknown_key": 1},
    ],
)
def test_bad_configs_are_rejected(change):
    with pytest.raises(Exception, match="[Vv]alidat|Error"):
        validate({**REPO_CONFIG, **change}, CONFIG_SCHEMA)


def test_the_config_schema_offers_exactly_the_harnesses_modes():
    from fwbench.frameworks import MODES

    schema = yaml.safe_load(Path(CONFIG_SCHEMA).read_text())["$defs"]["modes"]["properties"]
    assert {fw: set(spec["items"]["enum"]) for fw, spec in schema.items()} == {
        fw: set(modes) for fw, modes in MODES.items()
    }


def test_discovery_finds_the_workload_folders_and_skips_underscored_ones(tmp_path):
    found = discover()
    assert {"mlp", "cnn1d"} <= set(found)
    assert not any(name.startswith("_") for name in found)


def copy_workload(tmp_path, name="mlp", as_name="mine") -> Path:
    target = tmp_path / as_name
    shutil.copytree(WORKLOAD_DIR / name, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda s: s["sizes"]["tiny"].update(batch_size=0), "sizes.tiny.batch_size: 0 is less than"),
        (lambda s: s["sizes"]["tiny"].update(total_steps="ten"), "sizes.tiny.total_steps: 'ten' is not"),
        (lambda s: s["sizes"].pop("gpu"), "'gpu' is a required property"),
        (lambda s: s.update(dataset="imagenet"), "dataset: 'imagenet' is not one of"),
        (lambda s: s["optimizer"].update(name="lion"), "optimizer.name: 'lion' is not one of"),
        (lambda s: s.update(colour="red"), "Additional properties are not allowed"),
        (lambda s: s["sizes"]["gpu"].update(dataset="imagenet"), "sizes.gpu.dataset: 'imagenet' is not one"),
        (lambda s: s["sizes"]["gpu"].update(model_args=[64]), "sizes.gpu.model_args: [64] is not of type"),
    ],
)
def test_bad_workload_yaml_gets_one_line_naming_file_key_and_problem(tmp_path, edit, message):
    folder = copy_workload(tmp_path)
    spec = yaml.safe_load((folder / "workload.yaml").read_text())
    edit(spec)
    (folder / "workload.yaml").write_text(yaml.safe_dump(spec))
    with pytest.raises(WorkloadError) as info:
        load_workload(folder)
    line = str(info.value)
    assert "\n" not in line and str(folder / "workload.yaml") in line and message in line


def test_a_missing_implementation_file_is_named(tmp_path):
    folder = copy_workload(tmp_path)
    (folder / "keras_impl.py").unlink()
    with pytest.raises(WorkloadError, match="missing keras_impl.py"):
        load_workload(folder)


OWN_DATA = """import numpy as np


def generate():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 40)).astype(np.float32)
    y = rng.integers(0, 10, 50)
    return {"x_train": x, "y_train": y, "x_test": x[:10], "y_test": y[:10]}
"""


def with_own_data(tmp_path, dataset: str, code: str = OWN_DATA) -> Path:
    folder = copy_workload(tmp_path)
    spec = yaml.safe_load((folder / "workload.yaml").read_text())
    spec["dataset"] = dataset
    (folder / "workload.yaml").write_text(yaml.safe_dump(spec))
    (folder / "data.py").write_text(code)
    return folder


def test_a_workload_may_bring_its_own_data_under_a_name_of_its_own(tmp_path):
    from fwbench.runs import datasets

    workload = load_workload(with_own_data(tmp_path, "noise"))
    assert workload.data_source() == workload.folder / "data.py"
    datasets.generate("noise", tmp_path / "a.npz", source=workload.data_source())
    datasets.generate("noise", tmp_path / "b.npz", source=workload.data_source())
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    assert datasets.load(tmp_path / "a.npz")["x_train"].shape == (50, 40)


def test_own_data_may_not_take_a_built_in_name(tmp_path):
    with pytest.raises(
        WorkloadError, match="'mnist1d' is a built-in data set, but the folder has its own data.py"
    ):
        load_workload(with_own_data(tmp_path, "mnist1d"))


def test_two_workloads_cannot_generate_the_same_data_set(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    for name in ("one", "two"):
        shutil.move(with_own_data(tmp_path / name, "noise"), root / name)
    with pytest.raises(WorkloadError, match="'noise' is already generated by"):
        discover(root)


@pytest.mark.parametrize(
    "code,message",
    [
        ("def generate():\n    return {'x_train': 1}\n", "must return a dict with keys x_train"),
        (OWN_DATA.replace("rng.integers(0, 10, 50)", "rng.normal(size=50)"), "y_train has dtype float64"),
        (OWN_DATA.replace('"y_test": y[:10]', '"y_test": y[:9]'), "x_test has 10 rows and y_test 9"),
        ("make = None\n", "defines no generate()"),
    ],
)
def test_a_bad_data_generator_is_named_with_the_problem(tmp_path, code, message):
    from fwbench.runs import datasets

    workload = load_workload(with_own_data(tmp_path, "noise", code))
    with pytest.raises(datasets.DatasetError, match=message) as info:
        datasets.generate("noise", tmp_path / "out.npz", source=workload.data_source())
    assert str(workload.data_source()) in str(info.value)
    assert not (tmp_path / "out.npz").exists()


@pytest.mark.parametrize(
    "change,message",
    [
        (
            {"harness_overhead": {"workload": "nope", "blocks": 2, "block_steps": 5}},
            "harness_overhead.workload: unknown nope",
        ),
        ({"debug_workloads": ["mlp", "nope"]}, "debug_workloads: unknown nope"),
        ({"quality_workloads": ["nope"]}, "quality_workloads: unknown nope"),
    ],
)
def test_every_config_key_that_names_workloads_is_checked_before_anything_runs(change, message):
    with pytest.raises(ValueError, match=f"{message}; available: .*mlp"):
        selected_workloads({**REPO_CONFIG, **change}, discover())


def test_unsafe_folder_names_are_refused(tmp_path):
    folder = copy_workload(tmp_path, as_name="My-Model")
    with pytest.raises(WorkloadError, match="must match"):
        load_workload(folder)


def test_adam_with_weight_decay_is_refused_because_the_frameworks_disagree(tmp_path):
    folder = copy_workload(tmp_path)
    spec = yaml.safe_load((folder / "workload.yaml").read_text())
    spec["optimizer"]["weight_decay"] = 0.1
    (folder / "workload.yaml").write_text(yaml.safe_dump(spec))
    with pytest.raises(WorkloadError, match="adamw"):
        load_workload(folder)


def test_unknown_workload_in_config_lists_the_available_ones():
    with pytest.raises(ValueError, match="unknown nope; available: .*mlp"):
        selected_workloads({**REPO_CONFIG, "workloads": ["nope"]}, discover())


def test_the_quality_study_runs_its_own_workloads_among_the_selected_ones():
    from fwbench.runs.plan import planned_runs

    available = discover()
    selected = [available[name] for name in ("mlp", "cnn1d", "resnet")]
    config = {**REPO_CONFIG, "quality_workloads": ["mlp", "gru", "resnet"], "seeds": [0]}
    runs = planned_runs(config, selected)
    quality = {run["workload"] for run in runs if run["study"] == "quality"}
    speed = {run["workload"] for run in runs if run["study"] == "speed"}
    assert quality == {"mlp", "resnet"} and speed == {"mlp", "cnn1d", "resnet"}  # gru is not selected
    everything = planned_runs({**config, "quality_workloads": "all"}, selected)
    assert {run["workload"] for run in everything if run["study"] == "quality"} == speed


def test_the_published_recipes_are_the_default_quality_study_of_the_mnist1d_workloads():
    for name, workload in discover().items():
        size = workload.size("default")
        published = size.get("published_recipe", False)
        assert published == (name in ("mlp", "cnn1d", "gru")), name
        if published:
            assert (size["total_steps"], size["batch_size"]) == (6000, 100)  # Greydanus (2020)
    assert REPO_CONFIG["quality_workloads"] == ["mlp", "cnn1d", "gru"]


def test_the_plan_covers_workloads_frameworks_modes_and_seeds():
    config = {**REPO_CONFIG, "modes": {"torch": ["eager"], "tf": ["eager", "graph"]}, "seeds": [0, 1]}
    runs = planned_runs(config, [discover()["mlp"]])
    speed = [r for r in runs if r["study"] == "speed"]
    quality = [r for r in runs if r["study"] == "quality"]
    assert len(speed) == 1 * 3 * 2 and {r["framework"] for r in speed} == {"torch", "tf"}
    # the quality study: the config's quality_modes (torch eager, tf graph, jax jit) for every seed
    assert sorted((r["framework"], r["mode"], r["seed"]) for r in quality) == [
        ("jax", "jit", 0),
        ("jax", "jit", 1),
        ("tf", "graph", 0),
        ("tf", "graph", 1),
        ("torch", "eager", 0),
        ("torch", "eager", 1),
    ]
    assert len({run_id(**r) for r in runs}) == len(runs)  # the two studies' ids never collide


def test_run_spec_hashes_everything_that_defines_the_run():
    w = discover()["mlp"]
    a = run_spec(w, "torch", "eager", 0, {**REPO_CONFIG, "scale": "tiny"})
    b = run_spec(w, "torch", "eager", 1, {**REPO_CONFIG, "scale": "tiny"})
    c = run_spec(w, "torch", "eager", 0, {**REPO_CONFIG, "scale": "default"})
    assert len({a["config"]["config_hash"], b["config"]["config_hash"], c["config"]["config_hash"]}) == 3
    assert a["run_id"] == "mlp/torch-eager-seed0" and a["data_path"] == "data/generated/mnist1d.npz"


def test_a_size_overrides_the_model_args_and_data_set_it_names_and_keeps_the_rest():
    gpt = discover()["gpt"]
    assert gpt.model_args("default") == gpt.spec["model_args"] and gpt.dataset("default") == "pydoc_lm"
    assert gpt.model_args("gpu") == {**gpt.spec["model_args"], **gpt.spec["sizes"]["gpu"]["model_args"]}
    assert gpt.model_args("gpu")["vocab_size"] == 256  # not overridden: the workload's own
    assert gpt.dataset("gpu") == "pydoc_lm_1024" and "model_args" not in gpt.size("gpu")
    spec = run_spec(gpt, "torch", "eager", 0, {**REPO_CONFIG, "scale": "gpu"})
    assert spec["data_path"] == "data/generated/pydoc_lm_1024.npz"
    assert spec["config"]["model_args"]["layers"] == 12 and spec["config"]["dataset"] == "pydoc_lm_1024"


@pytest.mark.parametrize(
    "device,gpus,expected",
    [("auto", 1, "gpu"), ("auto", 0, "default"), ("cuda", 0, "gpu"), ("cpu", 1, "default")],
)
def test_scale_auto_is_the_gpu_size_exactly_where_the_runs_compute_on_a_gpu(device, gpus, expected):
    from fwbench.runs.plan import resolve_scale

    config = {**REPO_CONFIG, "device": device}
    assert REPO_CONFIG["scale"] == "auto"
    assert resolve_scale(config, gpu_count=gpus) == {"scale": expected, "scale_requested": "auto"}
    assert resolve_scale({**config, "scale": "tiny"}, gpu_count=gpus)["scale"] == "tiny"
    resolved = {**config, **resolve_scale(config, gpu_count=gpus)}
    recorded = run_spec(discover()["mlp"], "torch", "eager", 0, resolved)["config"]
    assert (recorded["scale"], recorded["scale_requested"]) == (expected, "auto")


def test_seeds_given_on_the_command_line_become_integers():
    from fwbench.runs.plan import coerce_command_line_types

    config = coerce_command_line_types({**REPO_CONFIG, "seeds": ["0", "12"]})
    assert config["seeds"] == [0, 12]
    validate(config, CONFIG_SCHEMA)
    with pytest.raises(Exception, match="not of type"):
        validate(coerce_command_line_types({**REPO_CONFIG, "seeds": ["x"]}), CONFIG_SCHEMA)


def test_nested_command_line_overrides_keep_their_types():
    """`--config 'inference={runs: 2, budget_s: 0.5}'` arrives as strings; the schema's types come back."""
    from fwbench.runs.plan import coerce_command_line_types

    overridden = {
        **REPO_CONFIG,
        "inference": {**REPO_CONFIG["inference"], "runs": "2", "budget_s": "0.5", "max_batch_size": "null"},
        "harness_overhead": {**REPO_CONFIG["harness_overhead"], "blocks": "10"},
    }
    config = coerce_command_line_types(overridden)
    assert config["inference"]["runs"] == 2 and config["inference"]["budget_s"] == 0.5
    assert config["inference"]["max_batch_size"] is None and config["harness_overhead"]["blocks"] == 10
    validate(config, CONFIG_SCHEMA)
    wrong = {**REPO_CONFIG, "inference": {**REPO_CONFIG["inference"], "runs": "two"}}
    with pytest.raises(Exception, match="'two' is not of type 'integer'"):
        validate(coerce_command_line_types(wrong), CONFIG_SCHEMA)


def test_plain_snakemake_applies_the_default_profile(monkeypatch):
    """`snakemake --cores all` from the repository root must pick up profiles/default (Snakemake
    looks for profiles/default next to the Snakefile): the counted timed_job resource, keep-going,
    and the cheap greedy scheduler beside timed runs."""
    from snakemake.cli import parse_args

    monkeypatch.chdir(Path(__file__).parents[2])
    _, args = parse_args(["--cores", "all"])
    assert args.keep_going and args.rerun_incomplete
    assert args.resources["timed_job"].value == 1
    assert args.scheduler == "greedy"


def test_the_trivial_baselines_count_the_majority_label_and_the_bigram_successor():
    from fwbench.runs import baselines

    classes = {"y_train": np.array([1, 1, 2]), "y_test": np.array([1, 2, 2, 1])}
    assert baselines.majority_accuracy(classes["y_train"], classes["y_test"]) == 0.5
    tokens = np.array([[0, 1, 0, 1], [1, 0, 1, 0]])  # after 0 comes 1, after 1 comes 0
    text = {"x_train": tokens[:, :-1], "y_train": tokens[:, 1:]}
    text.update(x_test=np.array([[0, 1]]), y_test=np.array([[1, 1]]))
    assert baselines.bigram_accuracy(text) == 0.5  # 0 -> 1 right, 1 -> 0 wrong
    assert baselines.bigram_accuracy({**classes, "x_train": np.zeros((3, 4))}) is None  # not next-token data


@pytest.mark.parametrize("name", sorted(discover()))
def test_every_target_is_above_its_datas_trivial_baseline(name, dataset_arrays):
    """A time-to-accuracy target a model reaches without learning (the majority class, a bigram
    counter) would time nothing; tiny sizes are smoke tests and exempt."""
    from fwbench.runs import baselines

    workload = discover()[name]
    for scale in ("default", "gpu"):
        data = dataset_arrays(workload.dataset(scale))
        baseline = baselines.trivial_baselines(data)["baseline_accuracy"]
        assert workload.size(scale)["target_accuracy"] > baseline, (scale, baseline)
