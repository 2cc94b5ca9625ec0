"""Aggregation and report tables on made-up results, failures included."""

import json

import pandas as pd
import pytest

from fwbench import aggregate, report_tables
from fwbench.results import ResultFileError, write_result
from tests.test_results import make_result


def run(tmp_path, framework, seed, status="ok", accuracy=0.6, step_ms=2.0):
    metrics = None
    if status == "ok":
        metrics = {
            "test_accuracy": accuracy,
            "param_count": 10,
            "host_peak_rss_mb": 300.0,
            "step_time_ms": {
                "median": step_ms,
                "iqr": 0.1,
                "p95": step_ms * 1.2,
                "mean": step_ms,
                "min": step_ms * 0.9,
                "n": 50,
            },
        }
    result = make_result(
        run_id=f"mlp/{framework}-eager-seed{seed}",
        framework=framework,
        seed=seed,
        status=status,
        metrics=metrics,
        curve=[
            {"step": 10, "train_loss": 1.0, "test_loss": 1.1, "test_accuracy": accuracy, "train_time_s": 0.1}
        ]
        if status == "ok"
        else [],
        error=None if status == "ok" else {"type": "Boom", "message": "it broke", "hint": "fix it"},
    )
    path = tmp_path / "runs" / f"{framework}-{seed}.json"
    write_result(path, result)
    return path


@pytest.fixture
def outputs(tmp_path):
    paths = [
        run(tmp_path, "torch", 0, accuracy=0.60),
        run(tmp_path, "torch", 1, accuracy=0.64),
        run(tmp_path, "tf", 0, accuracy=0.62, step_ms=4.0),
        run(tmp_path, "tf", 1, status="failed"),
    ]
    out = {
        k: tmp_path / f"{k}.{ext}" for k, ext in [("summary", "csv"), ("curves", "csv"), ("metrics", "json")]
    }
    aggregate.aggregate(
        paths, summary_csv=out["summary"], curves_csv=out["curves"], metrics_json=out["metrics"]
    )
    return out


def test_every_run_is_a_row_failures_included(outputs):
    summary = pd.read_csv(outputs["summary"])
    assert len(summary) == 4
    failed = summary[summary["status"] == "failed"].iloc[0]
    assert failed["error_message"] == "it broke" and pd.isna(failed["test_accuracy"])


def test_metrics_are_medians_over_ok_runs_with_counts(outputs):
    metrics = json.loads(outputs["metrics"].read_text())
    assert metrics["mlp"]["torch_eager"]["test_accuracy_median"] == pytest.approx(0.62)
    assert metrics["mlp"]["tf_eager"]["n_ok"] == 1 and metrics["mlp"]["tf_eager"]["n_runs"] == 2


def test_report_tables(outputs):
    summary, curves = report_tables.load(outputs["summary"].parent)
    accuracy = report_tables.accuracy_table(summary)
    assert set(accuracy["variant"]) == {"PyTorch eager", "TensorFlow/Keras eager"}
    gap = report_tables.framework_accuracy_gap(summary)
    assert gap.loc[0, "gap_pts"] == pytest.approx(0.0)
    failures = report_tables.status_table(summary)
    assert list(failures["status"]) == ["failed"] and failures.loc[0, "error_hint"] == "fix it"
    speed = report_tables.speed_table(summary).set_index("variant")
    assert speed.loc["TensorFlow/Keras eager", "step_ms_median"] == 4.0
    assert len(curves) == 3


def test_a_corrupt_result_stops_aggregation_with_its_name_or_is_skipped(tmp_path):
    good = run(tmp_path, "torch", 0)
    bad = tmp_path / "runs" / "bad.json"
    bad.write_text("{")
    out = dict(
        summary_csv=tmp_path / "s.csv", curves_csv=tmp_path / "c.csv", metrics_json=tmp_path / "m.json"
    )
    with pytest.raises(ResultFileError, match="bad.json"):
        aggregate.aggregate([good, bad], **out)
    problems = aggregate.aggregate([good, bad], **out, on_error="skip")
    assert len(problems) == 1 and "bad.json" in problems[0]
    assert len(pd.read_csv(out["summary_csv"])) == 1
