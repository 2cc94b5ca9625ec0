"""Aggregation and report tables on made-up results of both training studies, failures included."""

import json

import pandas as pd
import pytest

from fwbench.core.results import ResultFileError, write_result
from fwbench.reporting import runs as run_lists
from fwbench.runs import aggregate
from fwbench.runs import tables as run_tables
from fwbench.studies.quality import tables as quality_tables
from fwbench.studies.speed import tables as speed_tables
from tests.unit.test_results import make_result


def run(tmp_path, framework, seed, status="ok", accuracy=0.6, step_ms=2.0, study="speed"):
    """A result of `study`: the speed study's have no accuracy and no curve."""
    quality = study == "quality"
    metrics = None
    if status == "ok":
        metrics = {
            "test_accuracy": accuracy if quality else None,
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
        run_id=f"{'quality/' if quality else ''}mlp/{framework}-eager-seed{seed}",
        study=study,
        framework=framework,
        seed=seed,
        status=status,
        metrics=metrics,
        curve=[
            {"step": 10, "train_loss": 1.0, "test_loss": 1.1, "test_accuracy": accuracy, "train_time_s": 0.1}
        ]
        if status == "ok" and quality
        else [],
        error=None if status == "ok" else {"type": "Boom", "message": "it broke", "hint": "fix it"},
    )
    path = tmp_path / ("quality" if quality else "runs") / f"{framework}-{seed}.json"
    write_result(path, result)
    return path


@pytest.fixture
def outputs(tmp_path):
    paths = []
    for study in ("speed", "quality"):
        paths += [
            run(tmp_path, "torch", 0, accuracy=0.60, study=study),
            run(tmp_path, "torch", 1, accuracy=0.64, study=study),
            run(tmp_path, "tf", 0, accuracy=0.62, step_ms=4.0, study=study),
            run(tmp_path, "tf", 1, status="failed", study=study),
        ]
    out = {
        k: tmp_path / f"{k}.{ext}"
        for k, ext in [("summary", "csv"), ("quality", "csv"), ("curves", "csv"), ("metrics", "json")]
    }
    aggregate.aggregate(
        paths,
        summary_csv=out["summary"],
        quality_csv=out["quality"],
        curves_csv=out["curves"],
        metrics_json=out["metrics"],
    )
    return out


def test_every_run_is_a_row_failures_included(outputs):
    summary, quality = pd.read_csv(outputs["summary"]), pd.read_csv(outputs["quality"])
    assert len(summary) == 4 and set(summary["study"]) == {"speed"}
    assert len(quality) == 4 and set(quality["study"]) == {"quality"}
    failed = summary[summary["status"] == "failed"].iloc[0]
    assert failed["error_message"] == "it broke" and pd.isna(failed["test_accuracy"])
    assert summary["test_accuracy"].isna().all()  # the speed study evaluates nothing
    # one executed order over both studies
    assert sorted([*summary["run_order"], *quality["run_order"]]) == list(range(1, 9))


def test_metrics_are_medians_over_ok_runs_with_counts(outputs):
    metrics = json.loads(outputs["metrics"].read_text())
    assert metrics["quality"]["mlp"]["torch_eager"]["test_accuracy_median"] == pytest.approx(0.62)
    assert metrics["speed"]["mlp"]["tf_eager"]["step_time_ms_median"] == pytest.approx(4.0)
    speed = metrics["speed"]["mlp"]["tf_eager"]
    assert speed["n_ok"] == 1 and speed["n_runs"] == 2


def test_report_tables(outputs):
    summary, quality, curves = run_tables.load(outputs["summary"].parent)
    accuracy = quality_tables.accuracy_table(quality)
    assert set(accuracy["variant"]) == {"PyTorch eager", "TensorFlow/Keras eager"}
    gap = quality_tables.framework_accuracy_gap(quality)
    assert gap.loc[0, "gap_pts"] == pytest.approx(0.0)
    failures = run_lists.status_table(run_tables.all_runs(summary, quality))
    assert list(failures["status"]) == ["failed", "failed"] and failures.loc[0, "error_hint"] == "fix it"
    speed = speed_tables.speed_table(summary).set_index("variant")
    assert speed.loc["TensorFlow/Keras eager", "step_ms_median"] == 4.0
    assert len(curves) == 3


def test_a_corrupt_result_stops_aggregation_with_its_name_or_is_skipped(tmp_path):
    good = run(tmp_path, "torch", 0)
    bad = tmp_path / "runs" / "bad.json"
    bad.write_text("{")
    out = dict(
        summary_csv=tmp_path / "s.csv",
        quality_csv=tmp_path / "q.csv",
        curves_csv=tmp_path / "c.csv",
        metrics_json=tmp_path / "m.json",
    )
    with pytest.raises(ResultFileError, match="bad.json"):
        aggregate.aggregate([good, bad], **out)
    problems = aggregate.aggregate([good, bad], **out, on_error="skip")
    assert len(problems) == 1 and "bad.json" in problems[0]
    assert len(pd.read_csv(out["summary_csv"])) == 1


def test_results_from_two_machines_merge_into_one_summary(tmp_path):
    """Copies of the same runs from another host (results/imported/<machine>/runs/...) aggregate
    beside this machine's runs; each row keeps its own file and host."""
    from fwbench.core.results import write_result
    from fwbench.runs import aggregate
    from tests.unit.test_results import make_result

    paths = []
    for machine in ("here", "gpubox"):
        result = make_result(run_id="mlp/torch-eager-seed0", framework="torch", seed=0)
        result["provenance"]["hostname"] = machine
        path = tmp_path / machine / "runs/mlp/torch-eager-seed0.json"
        write_result(path, result)
        paths.append(path)
    out = {name: tmp_path / f"{name}.out" for name in ("summary", "quality", "curves", "metrics")}
    aggregate.aggregate(
        paths,
        summary_csv=out["summary"],
        quality_csv=out["quality"],
        curves_csv=out["curves"],
        metrics_json=out["metrics"],
    )
    summary = pd.read_csv(out["summary"])
    assert sorted(summary["hostname"]) == ["gpubox", "here"]
    assert sorted(summary["result_file"]) == sorted(map(str, paths))
