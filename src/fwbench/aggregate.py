"""Aggregation: run-result files -> one tidy table, the learning curves, and the DVC metrics.

Outputs (all written atomically):
- summary.csv: one row per run, every status included (failed/oom/skipped runs are rows too);
- curves.csv: one row per evaluation of every run (DVC plots);
- metrics.json: per workload and framework-mode, medians over the runs with status ok (DVC metrics).

Corrupt result files, or files of another schema version, stop aggregation with a message naming
the file (`on_error="raise"`, the pipeline's rule) or are listed and left out (`on_error="skip"`).
"""

import numpy as np
import pandas as pd

from fwbench.atomic import atomic_output, write_json_atomic
from fwbench.results import ResultFileError, read_result

IDENTITY = ["run_id", "workload", "framework", "mode", "seed", "scale", "status"]
METRIC_KEYS = [
    "test_accuracy",
    "test_loss",
    "final_train_loss",
    "param_count",
    "warmup_steps",
    "warmup_time_s",
    "first_step_time_ms",
    "throughput_samples_per_s",
    "train_time_s",
    "target_accuracy",
    "time_to_accuracy_s",
    "steps_to_accuracy",
    "host_rss_baseline_mb",
    "host_peak_rss_mb",
    "host_rss_rise_mb",
    "device_peak_memory_mb",
    "diverged_at_step",
]
SPREAD_KEYS = ["median", "iqr", "p95", "mean", "min", "n"]
HEADLINE = [
    "test_accuracy",
    "step_time_ms_median",
    "throughput_samples_per_s",
    "time_to_accuracy_s",
    "host_peak_rss_mb",
]


def flatten(result: dict) -> dict:
    """One summary row of a result: identity, status, error, metrics, and provenance columns."""
    metrics = result["metrics"] or {}
    prov = result["provenance"]
    error = result["error"] or {}
    row = {key: result[key] for key in IDENTITY}
    row.update(
        {
            "error_type": error.get("type"),
            "error_message": error.get("message"),
            "error_hint": error.get("hint"),
        }
    )
    row.update({key: metrics.get(key) for key in METRIC_KEYS})
    spread = metrics.get("step_time_ms") or {}
    row.update({f"step_time_ms_{key}": spread.get(key) for key in SPREAD_KEYS})
    device = prov.get("device", {})
    threads = prov.get("threads", {})
    packages = prov.get("packages", {})
    row.update(
        {
            "device_kind": device.get("kind"),
            "device_name": device.get("name"),
            "gpu_driver": device.get("driver"),
            "cpu_model": prov["cpu_model"],
            "hostname": prov["hostname"],
            "threads_intra_op": threads.get("intra_op"),
            "threads_inter_op": threads.get("inter_op"),
            "torch_version": packages.get("torch"),
            "tensorflow_version": packages.get("tensorflow") or packages.get("tensorflow-cpu"),
            "keras_version": packages.get("keras"),
            "python_version": prov["python"],
            "git_commit": prov["git_commit"],
            "reference_accuracy": result["config"].get("reference_accuracy"),
            "config_hash": result["config"]["config_hash"],
            "data_sha256": prov["data_sha256"],
            "started_utc": prov["started_utc"],
            "wall_time_s": result.get("wall_time_s"),
        }
    )
    return row


def load_results(paths, *, on_error: str = "raise") -> tuple[list[dict], list[str]]:
    """Read every result file; return (results, problems). See the module docstring for on_error."""
    loaded, problems = [], []
    for path in sorted(map(str, paths)):
        try:
            loaded.append(read_result(path))
        except ResultFileError as exc:
            if on_error == "raise":
                raise
            problems.append(str(exc))
    return loaded, problems


def summary_table(results: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([flatten(r) for r in results])


def curves_table(results: list[dict]) -> pd.DataFrame:
    rows = [
        {
            "run_id": r["run_id"],
            "workload": r["workload"],
            "framework": r["framework"],
            "mode": r["mode"],
            "seed": r["seed"],
            **point,
        }
        for r in results
        for point in r["curve"]
    ]
    columns = [
        "run_id",
        "workload",
        "framework",
        "mode",
        "seed",
        "step",
        "train_loss",
        "test_loss",
        "test_accuracy",
        "train_time_s",
    ]
    return pd.DataFrame(rows, columns=columns)


def _median_or_none(values: pd.Series):
    values = pd.to_numeric(values, errors="coerce").dropna()
    return float(np.median(values)) if len(values) else None


def headline_metrics(summary: pd.DataFrame) -> dict:
    """Nested {workload: {framework_mode: {metric_median: value, n_ok, n_runs}}} for DVC."""
    metrics = {}
    for (workload, framework, mode), group in summary.groupby(["workload", "framework", "mode"]):
        ok = group[group["status"] == "ok"]
        entry = {
            f"{key}_median" if not key.endswith("median") else key: _median_or_none(ok[key])
            for key in HEADLINE
        }
        entry.update(n_ok=int(len(ok)), n_runs=int(len(group)))
        metrics.setdefault(workload, {})[f"{framework}_{mode}"] = entry
    return metrics


def write_csv_atomic(frame: pd.DataFrame, path) -> None:
    with atomic_output(path) as tmp:
        frame.to_csv(tmp, index=False)


def aggregate(paths, *, summary_csv, curves_csv, metrics_json, on_error: str = "raise") -> list[str]:
    results, problems = load_results(paths, on_error=on_error)
    summary = summary_table(results)
    write_csv_atomic(summary, summary_csv)
    write_csv_atomic(curves_table(results), curves_csv)
    write_json_atomic(metrics_json, headline_metrics(summary) if len(summary) else {})
    return problems
