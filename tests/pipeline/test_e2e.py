"""End to end: the whole DAG (every mode and study) at tiny scale in a fresh copy of the checkout,
as a user runs it."""

import re

import pandas as pd
import pytest

from tests.helpers.pipeline import E2E_WORKLOADS, EVERY_MODE_AND_STUDY, snakemake

pytestmark = pytest.mark.e2e


def workload_names(copy) -> set[str]:
    """The workloads the end-to-end run selects (each one's folder is in the copy)."""
    assert all((copy / "workflow/workloads" / name / "workload.yaml").is_file() for name in E2E_WORKLOADS)
    return set(E2E_WORKLOADS)


def test_the_report_holds_every_framework_for_every_workload(tiny_run):
    html = (tiny_run / "results/report.html").read_text()
    for text in (
        "PyTorch eager",
        "TensorFlow/Keras eager",
        "TensorFlow/Keras graph",
        "JAX/Keras jit",
        "JAX/Keras fit",
        "Beyond the article: JAX",
        'id="jax-ledger"',
        *workload_names(tiny_run),
    ):
        assert text in html, text
    assert "Rendered by" in html and ("Quarto" in html or "offline fallback" in html)
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html), "report loads from the network"
    assert html.count("data:image/svg+xml;base64") >= 3  # figures are embedded (SVG, fwbench.reporting.style)


def test_every_planned_run_finished_ok(tiny_run):
    summary = pd.read_csv(tiny_run / "results/summary.csv")
    assert set(summary["workload"]) == workload_names(tiny_run)
    assert summary.groupby("workload")["framework"].nunique().eq(3).all()  # PyTorch, TF and JAX
    assert (summary["status"] == "ok").all(), summary[["run_id", "status", "error_message"]]
    assert summary.groupby("workload")["data_sha256"].nunique().eq(1).all()  # one data set version each
    parity = pd.read_csv(tiny_run / "results/parity.csv")
    assert set(zip(parity["workload"], parity["framework"], strict=True)) == {
        (w, fw) for w in workload_names(tiny_run) for fw in ("tf", "jax")
    }
    assert parity["passed"].all(), parity[["workload", "framework", "error_message"]]


def test_a_second_run_has_nothing_to_do(tiny_run):
    again = snakemake(tiny_run, *EVERY_MODE_AND_STUDY, "--dry-run")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr
