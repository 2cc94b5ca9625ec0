"""Determinism: the same tiny config, run twice in fresh processes, gives identical results on CPU.

Quality-study runs (the training recipe with its evaluations) in every mode of both frameworks on
one workload (cnn1d: convolutions are where nondeterministic kernels live). The settings that make
this hold are in the harnesses (torch.use_deterministic_algorithms,
tf.config.experimental.enable_op_determinism, seeded weights) and in the shared loop (seeded data
order); the README lists them. Only measurements of the machine may differ: timings, memory,
host name and start time (see `comparable`).
"""

import json
import shutil
from pathlib import Path

import pytest

from fwbench.runs.plan import RESULT_PATTERNS
from tests.helpers.pipeline import checkout_copy, snakemake

pytestmark = pytest.mark.e2e
RESULT_PATTERN = RESULT_PATTERNS["quality"]

WORKLOAD = "cnn1d"
MODES = {"torch": ["eager", "compile"], "tf": ["eager", "graph", "xla"], "jax": ["jit"]}
# Measurements of the machine, not of the model: they differ between any two runs.
MEASURED = ("time", "throughput", "rss", "memory_mb", "steady_state")
# runtime_env: what the launcher set (a SLURM job step sets CUDA_VISIBLE_DEVICES), recorded, not
# required to match between launchers
MACHINE_PROVENANCE = ("hostname", "started_utc", "runtime_env")


def comparable(result: dict) -> dict:
    """A result without what is measured from the machine (timings, memory, host, start time)."""
    kept = {key: value for key, value in result.items() if key != "wall_time_s"}
    kept["metrics"] = {
        key: value
        for key, value in (result["metrics"] or {}).items()
        if not any(word in key for word in MEASURED)
    }
    kept["curve"] = [{k: v for k, v in point.items() if "time" not in k} for point in result["curve"]]
    kept["provenance"] = {k: v for k, v in result["provenance"].items() if k not in MACHINE_PROVENANCE}
    return kept


def result_files(copy: Path, runs: list[dict]) -> dict[str, dict]:
    return {run["run_id"]: json.loads((copy / RESULT_PATTERN.format(**run)).read_text()) for run in runs}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("checkout"))
    runs = [
        {"workload": WORKLOAD, "framework": fw, "mode": mode, "seed": 0, "run_id": f"{fw}-{mode}"}
        for fw, modes in MODES.items()
        for mode in modes
    ]
    targets = [RESULT_PATTERN.format(**run) for run in runs]
    config = ["--config", f"workloads=[{WORKLOAD}]"]
    first = snakemake(copy, *config, "--", *targets)
    assert first.returncode == 0, first.stderr[-5000:]
    before = result_files(copy, runs)
    shutil.rmtree(copy / "results" / "quality")
    second = snakemake(copy, *config, "--", *targets)  # every run again, each in a fresh process
    assert second.returncode == 0, second.stderr[-5000:]
    return before, result_files(copy, runs)


def test_every_mode_of_both_frameworks_ran(two_runs):
    for results in two_runs:
        assert {run_id: r["status"] for run_id, r in results.items()} == {
            f"{fw}-{mode}": "ok" for fw, modes in MODES.items() for mode in modes
        }


@pytest.mark.parametrize("run_id", [f"{fw}-{mode}" for fw, modes in MODES.items() for mode in modes])
def test_two_runs_are_identical_bar_timings(two_runs, run_id):
    first, second = (comparable(results[run_id]) for results in two_runs)
    assert first["metrics"]["test_accuracy"] == second["metrics"]["test_accuracy"]
    assert first["metrics"]["test_loss"] == second["metrics"]["test_loss"]  # exact, not approximate
    assert first["curve"] == second["curve"]
    assert first == second


def test_comparable_drops_only_machine_measurements():
    result = {
        "status": "ok",
        "wall_time_s": 3.0,
        "metrics": {
            "test_accuracy": 0.5,
            "step_time_ms": {"median": 1},
            "host_peak_rss_mb": 9,
            "param_count": 7,
        },
        "curve": [{"step": 1, "test_loss": 2.0, "train_time_s": 0.1}],
        "provenance": {"hostname": "a", "started_utc": "t", "data_sha256": "abc"},
    }
    assert comparable(result) == {
        "status": "ok",
        "metrics": {"test_accuracy": 0.5, "param_count": 7},
        "curve": [{"step": 1, "test_loss": 2.0}],
        "provenance": {"data_sha256": "abc"},
    }
