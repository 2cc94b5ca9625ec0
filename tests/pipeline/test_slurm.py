"""The SLURM path, for real: the tiny DAG through `--workflow-profile profiles/slurm` on a one-node
SLURM cluster on loopback (tests/helpers/slurm_cluster.py), compared with a local run of the same config.

The results must be identical in content (accuracies, losses, curves, configs, data hashes);
only what is measured from the machine may differ (see tests/pipeline/test_determinism.py: comparable).
The cluster needs root and Debian's slurm-wlm + munge (installed on demand); where it cannot start,
the test is skipped with the reason. CI (.ci/run, root) installs the packages, so it runs there.
"""

import json
import os
import re

import pytest

from tests.helpers.pipeline import checkout_copy, snakemake
from tests.helpers.slurm_cluster import (
    NODE_CPUS_MIN,
    STATUS_CHECK_DELAY_S,
    ClusterUnavailable,
    alive,
    one_node_cluster,
)
from tests.pipeline.test_determinism import comparable

pytestmark = pytest.mark.e2e

CONFIG = [  # two speed runs (JAX's modes set empty over config/config.yaml's)
    "--config",
    "workloads=[mlp]",
    "modes={torch: [eager], tf: [graph], jax: []}",
    "quality_modes={torch: [eager], tf: [graph], jax: []}",
]
TARGET = "results/metrics.json"  # data -> train (one job per run), ... -> aggregate
SLURM = [
    "--workflow-profile",
    "profiles/slurm",  # replaces the local default profile
    # No slurmdbd here, so no sacct: ask squeue (the cluster keeps finished jobs for MinJobAge).
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    str(STATUS_CHECK_DELAY_S),
    "--slurm-no-account",
]
# A timed job on the node gets the profile's share (8 threads) capped at the cores its process can
# use: the job step runs `snakemake --cores all` there, and the fake node's 8 CPUs are this machine's
# few. The local run takes the same count, so the recorded thread counts match.
LOCAL = ["--cores", str(min(NODE_CPUS_MIN, len(os.sched_getaffinity(0))))]


def run_results(copy) -> dict:
    return {
        str(path.relative_to(copy)): json.loads(path.read_text())
        for path in sorted((copy / "results" / "runs").rglob("*.json"))
    }


@pytest.fixture(scope="module")
def slurm_and_local(tmp_path_factory):
    on_slurm = checkout_copy(tmp_path_factory.mktemp("slurm-checkout"))
    try:
        with one_node_cluster(tmp_path_factory.mktemp("slurm-state")) as cluster:
            slurm_run = snakemake(on_slurm, *CONFIG, *SLURM, "--", TARGET)
    except ClusterUnavailable as exc:
        pytest.skip(f"a one-node SLURM cluster could not start here: {exc}")
    local = checkout_copy(tmp_path_factory.mktemp("local-checkout"))
    local_run = snakemake(local, *CONFIG, *LOCAL, "--", TARGET)
    return cluster, slurm_run, local_run, on_slurm, local


def test_the_slurm_run_succeeds_through_sbatch(slurm_and_local):
    _, slurm_run, _, on_slurm, _ = slurm_and_local
    log = slurm_run.stdout + slurm_run.stderr
    assert slurm_run.returncode == 0, log[-6000:]
    submitted = re.findall(r"Job \d+ has been submitted with SLURM jobid (\d+)", log)
    planned = int(re.search(r"^total\s+(\d+)", log, re.MULTILINE).group(1))
    assert len(submitted) == planned, log[-6000:]  # every job of the DAG went through sbatch
    assert log.count("rule train:") == 2
    assert "gpu=1" in log  # each training job asks SLURM for one GPU (the fake one here)
    assert (on_slurm / TARGET).exists()


def test_slurm_and_local_results_are_identical_bar_timings(slurm_and_local):
    _, slurm_run, local_run, on_slurm, local = slurm_and_local
    assert local_run.returncode == 0, local_run.stderr[-5000:]
    on_cluster, here = run_results(on_slurm), run_results(local)
    assert set(on_cluster) == set(here) and len(here) == 2
    for path, result in here.items():
        assert result["status"] == "ok", result["error"]
        assert comparable(on_cluster[path]) == comparable(result), path


def test_every_daemon_the_test_started_is_stopped(slurm_and_local):
    cluster = slurm_and_local[0]
    assert len(cluster.pids) == 3
    assert not any(alive(pid) for pid in cluster.pids)
