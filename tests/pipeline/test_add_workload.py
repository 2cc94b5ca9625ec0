"""The extension path, end to end: workloads from the template and a researcher's own rule file.

In a fresh copy of the checkout, the template folder is copied to workflow/workloads/demo and
filled with a small model (docs/extending.md "Add a workload"); a second copy, workflow/workloads/blobs,
also brings its own data set (a data.py beside the model files, nothing edited outside the
folder); and the template's rule file is copied to workflow/rules/extra_single_thread.smk (README
"Add a rule file"). The tiny DAG for those two workloads then must generate the new data, train
both in both frameworks, check their parity, and aggregate the extra rule's results, with no
other edit.
"""

import hashlib
import shutil

import pandas as pd
import pytest

from tests.helpers.pipeline import checkout_copy, snakemake, tracked_outside

pytestmark = pytest.mark.e2e

DEMO_TORCH = '''"""Demo workload (PyTorch): two hidden layers."""

from torch import nn

from fwbench.frameworks.torch.init import glorot_zeros_


def build_model(input_size=40, hidden_size=32, num_classes=10) -> nn.Module:
    model = nn.Sequential(
        nn.Linear(input_size, hidden_size), nn.ReLU(),
        nn.Linear(hidden_size, hidden_size), nn.ReLU(),
        nn.Linear(hidden_size, num_classes),
    )
    return glorot_zeros_(model)
'''

DEMO_TF = '''"""Demo workload (Keras): two hidden layers."""

import keras
from keras import layers


def build_model(input_size=40, hidden_size=32, num_classes=10) -> keras.Model:
    def dense(units, **kwargs):
        return layers.Dense(units, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs)

    x = keras.Input((input_size,))
    h = dense(hidden_size, activation="relu")(dense(hidden_size, activation="relu")(x))
    return keras.Model(x, dense(num_classes)(h), name="demo")
'''


BLOBS_DATA = '''"""Three Gaussian blobs in 8 dimensions, seeded: the blobs workload's own data set."""

import numpy as np


def generate() -> dict:
    rng = np.random.default_rng(7)
    centres = 3 * rng.normal(size=(3, 8))

    def split(n):
        y = rng.integers(0, 3, n)
        return (centres[y] + rng.normal(size=(n, 8))).astype(np.float32), y.astype(np.int64)

    (x_train, y_train), (x_test, y_test) = split(600), split(200)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
'''


def from_template(copy, name: str, replacements: dict):
    """docs/extending.md "Add a workload", steps 1 and 2: copy the template, edit its files."""
    folder = copy / "workflow/workloads" / name
    shutil.copytree(copy / "workflow/workloads/_template", folder)
    (folder / "extra_rule.smk").unlink()  # the rule-file template is not part of a workload
    spec = (folder / "workload.yaml").read_text()
    for old, new in replacements.items():
        assert old in spec, old
        spec = spec.replace(old, new)
    (folder / "workload.yaml").write_text(spec)
    (folder / "torch_impl.py").write_text(DEMO_TORCH)
    (folder / "keras_impl.py").write_text(DEMO_TF)
    return folder


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("checkout"))
    from_template(
        copy,
        "demo",
        {
            "hidden_size: 64": "hidden_size: 32",
            "Template workload: a one-hidden-layer perceptron on MNIST-1D. Replace with your model.": (
                "Demo workload: a two-hidden-layer perceptron on MNIST-1D."
            ),
        },
    )
    blobs = from_template(
        copy,
        "blobs",
        {
            "dataset: mnist1d": "dataset: blobs",
            "{input_size: 40, hidden_size: 64, num_classes: 10}": (
                "{input_size: 8, hidden_size: 16, num_classes: 3}"
            ),
        },
    )
    (blobs / "data.py").write_text(BLOBS_DATA)
    assert tracked_outside(copy, ["workflow/workloads/demo/", "workflow/workloads/blobs/"]) == []
    shutil.copy(
        copy / "workflow/workloads/_template/extra_rule.smk", copy / "workflow/rules/extra_single_thread.smk"
    )
    run = snakemake(
        copy,
        "--config",
        "workloads=[demo, blobs]",
        "--",
        "results/summary.csv",
        "results/quality.csv",
        "results/parity.csv",
    )
    assert run.returncode == 0, run.stderr[-5000:]
    return copy


def test_template_is_skipped_by_discovery():
    from fwbench.runs.workloads import discover

    assert "_template" not in discover() and "template" not in discover()


def test_the_new_workloads_train_in_every_framework(extended):
    summary = pd.read_csv(extended / "results/summary.csv")
    planned = summary[summary["seed"] == 0]
    runs = ("torch-eager-seed0", "tf-graph-seed0", "jax-jit-seed0")  # the Keras file runs on TF and JAX
    assert set(planned["run_id"]) == {f"{name}/{run}" for name in ("demo", "blobs") for run in runs}
    assert (summary["status"] == "ok").all(), summary[["run_id", "status", "error_message"]]


def test_the_new_workloads_are_checked_for_parity_and_their_runs_flagged(extended):
    parity = pd.read_csv(extended / "results/parity.csv").set_index("workload")
    assert set(parity.index) == {"demo", "blobs"} and parity["passed"].all()
    assert set(parity["framework"]) == {"tf", "jax"}  # one check per Keras runtime
    demo, blobs = 40 * 32 + 32 + 32 * 32 + 32 + 32 * 10 + 10, 8 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3
    assert (parity.loc["demo", ["param_count_torch", "param_count_other"]] == demo).all(axis=None)
    assert (parity.loc["blobs", ["param_count_torch", "param_count_other"]] == blobs).all(axis=None)
    summary = pd.read_csv(extended / "results/summary.csv")
    assert summary["parity_passed"].all()


def test_a_workload_with_its_own_data_generates_it_byte_for_byte_and_learns_from_it(extended, tmp_path):
    from fwbench.runs import datasets

    data = extended / "data/generated/blobs.npz"
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    assert (extended / "data/generated/blobs.sha256").read_text().split()[0] == digest
    again = tmp_path / "blobs.npz"
    datasets.generate("blobs", again, source=extended / "workflow/workloads/blobs/data.py")
    assert hashlib.sha256(again.read_bytes()).hexdigest() == digest
    arrays = datasets.load(data)
    assert arrays["x_train"].shape == (600, 8) and arrays["y_test"].dtype == "int64"
    quality = pd.read_csv(extended / "results/quality.csv")  # the quality study's runs evaluate
    blobs = quality[quality["workload"] == "blobs"]
    assert len(blobs) and set(blobs["data_sha256"]) == {digest}
    assert (blobs["test_accuracy"] > 0.6).all()  # three well-separated blobs; chance is 1/3


def test_the_extra_rule_files_results_are_aggregated(extended):
    assert (extended / "results/extra/single_thread/demo/torch-eager-seed100.json").is_file()
    summary = pd.read_csv(extended / "results/summary.csv")
    extra = summary[summary["seed"] == 100]
    assert set(extra["run_id"]) == {"demo/torch-eager-seed100", "blobs/torch-eager-seed100"}
    assert (extra["threads_intra_op"] == 1).all()


def test_the_reports_parity_table_shows_the_new_workloads(extended):
    from fwbench.studies.parity.report import parity_table

    table = parity_table(extended / "results")
    assert set(table["workload"]) == {"demo", "blobs"} and set(table["verdict"]) == {"same model"}
