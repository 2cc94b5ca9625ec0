"""Aggregation: run-result files -> one tidy table, the learning curves, and the DVC metrics.

Outputs (all written atomically):
- summary.csv: one row per run of the speed study, every status included (failed/oom/skipped
  runs are rows too): what step times, compile cost, memory and MFU are read from;
- quality.csv: the same columns, one row per run of the quality study: accuracy, time to accuracy;
- curves.csv: one row per evaluation of every quality run (DVC plots);
- metrics.json: per study, workload and framework-mode, medians over the runs with status ok (DVC metrics).

Corrupt result files, or files of another schema version, stop aggregation with a message naming
the file (`on_error="raise"`, the pipeline's rule) or are listed and left out (`on_error="skip"`).
"""

import numpy as np
import pandas as pd

from fwbench.core.atomic import write_csv_atomic, write_json_atomic
from fwbench.core.columns import (
    ACHIEVED_TFLOPS,
    BUILD_TIME,
    COMPILE_GRAPH_BREAKS,
    COMPILE_GRAPHS,
    COMPILED_DIFFERS,
    COMPILED_MODES_DIFFER,
    COMPILED_MODES_MATCH,
    CPU_MODEL,
    DEVICE_KIND,
    DEVICE_NAME,
    DEVICE_PEAK,
    DEVICE_RESERVED,
    EVAL_EVERY,
    FIRST_STEP,
    IMPORT_TIME,
    MEDIAN_RELATIVE_SE,
    MFU,
    MODEL_FLOPS,
    ONE_TIME_COST,
    PARITY_PASSED,
    PEAK_RESET,
    PEAK_RSS,
    PREBUILT_BATCHES,
    PUBLISHED_RECIPE,
    REFERENCE_ACCURACY,
    RSS_BASELINE,
    RSS_RISE,
    STEADY,
    STEP_TIME,
    STEP_TIME_PREFIX,
    TARGET_ACCURACY,
    TEST_ACCURACY,
    THREADS_INTRA,
    THROUGHPUT,
    TIME_TO_ACCURACY,
    TIME_TO_FIRST_STEP,
    WARMUP_TIME,
    XLA_FLOPS,
)
from fwbench.core.nvml_sampler import METRIC_KEYS as NVML_METRIC_KEYS
from fwbench.core.results import ResultFileError, read_result
from fwbench.core.tables import read_csv_or_none
from fwbench.frameworks import PARITY_REFERENCE, precision_of
from fwbench.runs.flops import mfu

IDENTITY = ["run_id", "study", "workload", "framework", "mode", "seed", "scale", "status"]
METRIC_KEYS = [
    TEST_ACCURACY,
    "test_loss",
    "final_train_loss",
    "param_count",
    "warmup_steps",
    WARMUP_TIME,
    FIRST_STEP,
    IMPORT_TIME,
    BUILD_TIME,
    TIME_TO_FIRST_STEP,
    ONE_TIME_COST,
    MEDIAN_RELATIVE_SE,
    THROUGHPUT,
    "train_time_s",
    TARGET_ACCURACY,
    TIME_TO_ACCURACY,
    "steps_to_accuracy",
    RSS_BASELINE,
    PEAK_RSS,
    RSS_RISE,
    PEAK_RESET,
    PREBUILT_BATCHES,
    DEVICE_PEAK,
    DEVICE_RESERVED,
    "diverged_at_step",
    *NVML_METRIC_KEYS,
]
SPREAD_KEYS = ["median", "iqr", "p95", "mean", "min", "n"]
HEADLINE = {  # per study, the metrics.json medians
    "speed": [STEP_TIME, THROUGHPUT, ONE_TIME_COST, PEAK_RSS],
    "quality": [TEST_ACCURACY, TIME_TO_ACCURACY],
}


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
    size = result["config"].get("size") or {}
    row[EVAL_EVERY] = size.get(EVAL_EVERY)  # time to accuracy's quantum
    row[PUBLISHED_RECIPE] = bool(size.get(PUBLISHED_RECIPE, False))
    spread = metrics.get(STEP_TIME_PREFIX) or {}
    row.update({f"step_time_ms_{key}": spread.get(key) for key in SPREAD_KEYS})
    steady = metrics.get("steady_state") or {}
    row.update(steady_drift_ratio=steady.get("drift_ratio"), steady=steady.get(STEADY))
    compiled = metrics.get("compile") or {}
    row.update(
        {
            COMPILE_GRAPHS: compiled.get("graphs"),
            COMPILE_GRAPH_BREAKS: compiled.get("graph_breaks"),
            "compile_break_reasons": "; ".join(compiled.get("break_reasons", [])) or None,
            XLA_FLOPS: compiled.get("xla_flops_per_step"),
        }
    )
    device = prov.get("device", {})
    threads = prov.get("threads", {})
    packages = prov.get("packages", {})
    row.update(
        {
            DEVICE_KIND: device.get("kind"),
            DEVICE_NAME: device.get("name"),
            "gpu_driver": device.get("driver"),
            CPU_MODEL: prov[CPU_MODEL],
            "hostname": prov["hostname"],
            THREADS_INTRA: threads.get("intra_op"),
            "threads_inter_op": threads.get("inter_op"),
            "denormals_flushed": threads.get("denormals_flushed"),
            "torch_version": packages.get("torch"),
            "tensorflow_version": packages.get("tensorflow") or packages.get("tensorflow-cpu"),
            "keras_version": packages.get("keras"),
            "jax_version": packages.get("jax"),
            "python_version": prov["python"],
            "git_commit": prov["git_commit"],
            REFERENCE_ACCURACY: result["config"].get(REFERENCE_ACCURACY),
            "config_hash": result["config"]["config_hash"],
            "data_sha256": prov["data_sha256"],
            "started_utc": prov["started_utc"],
            "wall_time_s": result.get("wall_time_s"),
            "result_file": result.get("result_file"),
            "batch_size": result["config"].get("size", {}).get("batch_size"),
            "precision": result["config"].get("precision", precision_of(result["mode"])),
            "oom_retry_from_batch_size": (result.get("retry") or {}).get("original_batch_size"),
        }
    )
    return row


def load_results(paths, *, on_error: str = "raise") -> tuple[list[dict], list[str]]:
    """Read every result file; return (results, problems). See the module docstring for on_error."""
    loaded, problems = [], []
    for path in sorted(map(str, paths)):
        try:
            loaded.append({**read_result(path), "result_file": path})
        except ResultFileError as exc:
            if on_error == "raise":
                raise
            problems.append(str(exc))
    return loaded, problems


def summary_table(results: list[dict]) -> pd.DataFrame:
    """One row per run (both studies); `run_order` is the order in which each host's runs
    started (1, 2, ...; timed runs never overlap): the executed order, interleaved across both
    studies by fwbench.runs.plan.timed_order."""
    table = pd.DataFrame([flatten(r) for r in results])
    if len(table):
        started = pd.to_datetime(table["started_utc"], utc=True, format="ISO8601")
        table["run_order"] = started.groupby(table["hostname"]).rank(method="first").astype(int)
    return table


def of_study(table: pd.DataFrame, study: str) -> pd.DataFrame:
    """The rows of one study (all columns kept, so that an empty study still has the header)."""
    if "study" not in table:
        return table.iloc[0:0]
    return table[table["study"].eq(study)].reset_index(drop=True)


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
        TEST_ACCURACY,
        "train_time_s",
    ]
    return pd.DataFrame(rows, columns=columns)


def _median_or_none(values: pd.Series):
    values = pd.to_numeric(values, errors="coerce").dropna()
    return float(np.median(values)) if len(values) else None


def headline_metrics(runs: pd.DataFrame) -> dict:
    """Nested {study: {workload: {framework_mode: {metric_median: value, n_ok, n_runs}}}} for DVC."""
    metrics = {}
    if runs.empty:
        return metrics
    for (study, workload, framework, mode), group in runs.groupby(["study", "workload", "framework", "mode"]):
        ok = group[group["status"] == "ok"]
        entry = {
            f"{key}_median" if not key.endswith("median") else key: _median_or_none(ok[key])
            for key in HEADLINE[study]
        }
        entry.update(n_ok=int(len(ok)), n_runs=int(len(group)))
        metrics.setdefault(study, {}).setdefault(workload, {})[f"{framework}_{mode}"] = entry
    return metrics


def add_flops(summary: pd.DataFrame, flops_paths) -> pd.DataFrame:
    """Model FLOPs per step (results/flops/<workload>.json, scaled to the run's batch size),
    achieved TFLOP/s and MFU (null where the device's peak is unknown, e.g. on a CPU)."""
    per_sample, per_step = {}, {}
    for path in flops_paths:
        record = read_result(path, kind="flops")
        if record["status"] != "ok":  # uncountable model: its runs get no FLOP figures
            continue
        per_sample[record["workload"]] = record["flops_per_step"] / record["batch_size"]
        per_step[record["workload"]] = record["flops_per_step"]  # when a run's batch size is unknown
    summary = summary.copy()
    if summary.empty:
        return summary.assign(model_flops_per_step=None, achieved_tflops=None, mfu=None)
    batch = summary["batch_size"] if "batch_size" in summary else pd.Series(None, index=summary.index)
    flops = [
        None if w not in per_sample else per_sample[w] * b if pd.notna(b) else per_step[w]
        for w, b in zip(summary["workload"], batch, strict=True)
    ]
    summary[MODEL_FLOPS] = flops
    step_s = pd.to_numeric(summary[STEP_TIME], errors="coerce") / 1e3
    model_flops = pd.to_numeric(summary[MODEL_FLOPS], errors="coerce")
    summary[ACHIEVED_TFLOPS] = model_flops / step_s / 1e12
    # against the peak of the precision the run computed in (a bf16 run against the bf16 peak)
    precision = summary["precision"] if "precision" in summary else pd.Series("fp32", index=summary.index)
    summary[MFU] = [
        mfu(f, t, name, p if isinstance(p, str) else "fp32") if f is not None and pd.notna(t) else None
        for f, t, name, p in zip(flops, summary[STEP_TIME], summary[DEVICE_NAME], precision, strict=True)
    ]
    return summary


def _modes_listed(parity: pd.DataFrame, column: str) -> set[tuple[str, str, str]]:
    """(workload, framework, mode) of a parity-table column that lists "framework mode; ..."."""
    if column not in parity:
        return set()
    return {
        (workload, *item.split(" ", 1))
        for workload, listed in zip(parity["workload"], parity[column], strict=True)
        if isinstance(listed, str)
        for item in listed.split("; ")
    }


def add_parity(summary: pd.DataFrame, parity: pd.DataFrame) -> pd.DataFrame:
    """`parity_passed` per run (null where nothing was checked), so that the timings of a model
    that is not the same as the reference's are flagged: a parity framework's run gets its pair's
    verdict; a reference run gets every pair's of its workload together (False if any failed),
    since a comparison with it may be with any of them. `compiled_differs` per run: True for a
    compiled mode whose check against eager ran and differed (another computation timed, whichever
    framework), False where it matched, null where no check ran or it could not run."""
    passed = parity["passed"].astype(object).where(parity["passed"].notna(), None)  # not checked: None
    pairs = {(w, fw): p for w, fw, p in zip(parity["workload"], parity["framework"], passed, strict=True)}
    differ = _modes_listed(parity, COMPILED_MODES_DIFFER)
    checked = differ | _modes_listed(parity, COMPILED_MODES_MATCH)

    def verdict(workload, framework):
        if (workload, framework) in pairs:
            return pairs[workload, framework]
        if framework != PARITY_REFERENCE:
            return None
        found = [p for (w, _), p in pairs.items() if w == workload and p is not None]
        return all(bool(p) for p in found) if found else None

    if summary.empty or "workload" not in summary:
        return summary.assign(
            **{PARITY_PASSED: pd.Series(dtype=object), COMPILED_DIFFERS: pd.Series(dtype=object)}
        )
    keys = list(zip(summary["workload"], summary["framework"], summary["mode"], strict=True))
    return summary.assign(
        **{
            PARITY_PASSED: [verdict(w, fw) for w, fw, _ in keys],
            COMPILED_DIFFERS: [(key in differ) if key in checked else None for key in keys],
        }
    )


def aggregate(
    paths,
    *,
    summary_csv,
    quality_csv,
    curves_csv,
    metrics_json,
    flops_paths=(),
    parity_csv=None,
    on_error: str = "raise",
) -> list[str]:
    """Write the run tables and metrics from the run result files; `parity_csv`: the parity study's
    table (fwbench.studies.parity.tables), when it ran, for the runs' parity_passed flag."""
    results, problems = load_results(paths, on_error=on_error)
    parity = read_csv_or_none(parity_csv) if parity_csv else None
    if parity is None:
        parity = pd.DataFrame(columns=["workload", "framework", "passed"])
    runs = add_parity(add_flops(summary_table(results), flops_paths), parity)
    write_csv_atomic(of_study(runs, "speed"), summary_csv)
    write_csv_atomic(of_study(runs, "quality"), quality_csv)
    write_csv_atomic(curves_table([r for r in results if r["study"] == "quality"]), curves_csv)
    write_json_atomic(metrics_json, headline_metrics(runs))
    return problems
