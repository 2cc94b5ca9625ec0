"""End to end: the whole DAG on the tiny config in a fresh copy of the checkout, as a user runs it."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.e2e


def checkout_copy(target: Path) -> Path:
    """Copy what a clone would hold: tracked files plus new files git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def pipeline_env(copy: Path) -> dict:
    """Run the copy's own code (not the installed checkout's) with the test's Python."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(copy / "src"),
        "TF_CPP_MIN_LOG_LEVEL": "1",
    }


def snakemake(copy: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "all", "--configfile", "config/tiny.yaml", *args],
        cwd=copy, env=pipeline_env(copy), capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("checkout"))
    first = snakemake(copy)
    assert first.returncode == 0, first.stderr[-5000:]
    return copy


def test_the_report_holds_both_frameworks_for_both_workloads(tiny_run):
    html = (tiny_run / "results/report.html").read_text()
    for text in ("PyTorch eager", "TensorFlow/Keras eager", "TensorFlow/Keras graph", "mlp", "cnn1d"):
        assert text in html, text
    assert "Rendered by" in html and ("Quarto" in html or "offline fallback" in html)
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html), "report loads from the network"
    assert html.count("data:image/png;base64") >= 3  # figures are embedded


def test_every_planned_run_finished_ok(tiny_run):
    summary = pd.read_csv(tiny_run / "results/summary.csv")
    assert set(summary["workload"]) == {"mlp", "cnn1d"} and set(summary["framework"]) == {"torch", "tf"}
    assert (summary["status"] == "ok").all(), summary[["run_id", "status", "error_message"]]
    assert summary["data_sha256"].nunique() == 1


def test_a_second_run_has_nothing_to_do(tiny_run):
    again = snakemake(tiny_run, "--dry-run")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr
