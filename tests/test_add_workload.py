"""The extension path, end to end: a workload from the template and a researcher's own rule file.

In a fresh copy of the checkout, the template folder is copied to workflow/workloads/demo and
filled with a small model (README "Add a workload"), and the template's rule file is copied to
workflow/rules/extra_single_thread.smk (README "Add a rule file"). The tiny DAG for that one
workload then must train it in both frameworks, check its parity, and aggregate the extra rule's
result, with no other edit.
"""

import shutil

import pandas as pd
import pytest

from tests.pipeline import checkout_copy, snakemake

pytestmark = pytest.mark.e2e

DEMO_TORCH = '''"""Demo workload (PyTorch): two hidden layers."""

from torch import nn

from fwbench.torch_init import glorot_zeros_


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


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("checkout"))
    demo = copy / "workflow/workloads/demo"
    shutil.copytree(copy / "workflow/workloads/_template", demo)
    (demo / "extra_rule.smk").unlink()  # the rule-file template is not part of a workload
    spec = (demo / "workload.yaml").read_text()
    spec = spec.replace("hidden_size: 64", "hidden_size: 32").replace(
        "Template workload: a one-hidden-layer perceptron on MNIST-1D. Replace with your model.",
        "Demo workload: a two-hidden-layer perceptron on MNIST-1D.",
    )
    (demo / "workload.yaml").write_text(spec)
    (demo / "torch_impl.py").write_text(DEMO_TORCH)
    (demo / "tf_impl.py").write_text(DEMO_TF)
    shutil.copy(
        copy / "workflow/workloads/_template/extra_rule.smk", copy / "workflow/rules/extra_single_thread.smk"
    )
    run = snakemake(
        copy,
        "--config",
        "workloads=[demo]",
        "--",
        "results/summary.csv",
        "results/parity.csv",
    )
    assert run.returncode == 0, run.stderr[-5000:]
    return copy


def test_template_is_skipped_by_discovery():
    from fwbench.workloads import discover

    assert "_template" not in discover() and "template" not in discover()


def test_the_new_workload_trains_in_both_frameworks(extended):
    summary = pd.read_csv(extended / "results/summary.csv")
    planned = summary[summary["seed"] == 0]
    assert set(planned["run_id"]) == {"demo/torch-eager-seed0", "demo/tf-graph-seed0"}
    assert (summary["status"] == "ok").all(), summary[["run_id", "status", "error_message"]]


def test_the_new_workload_is_checked_for_parity_and_its_runs_flagged(extended):
    parity = pd.read_csv(extended / "results/parity.csv")
    assert list(parity["workload"]) == ["demo"] and parity["passed"].all()
    assert parity["param_count_torch"].iloc[0] == 40 * 32 + 32 + 32 * 32 + 32 + 32 * 10 + 10
    summary = pd.read_csv(extended / "results/summary.csv")
    assert summary["parity_passed"].all()


def test_the_extra_rule_files_result_is_aggregated(extended):
    assert (extended / "results/extra/single_thread/demo/torch-eager-seed100.json").is_file()
    summary = pd.read_csv(extended / "results/summary.csv")
    extra = summary[summary["seed"] == 100]
    assert list(extra["run_id"]) == ["demo/torch-eager-seed100"]
    assert extra["threads_intra_op"].iloc[0] == 1


def test_the_reports_parity_table_shows_the_new_workload(extended):
    from fwbench import report_tables

    table = report_tables.parity_table(extended / "results")
    assert list(table["workload"]) == ["demo"] and list(table["verdict"]) == ["same model"]
