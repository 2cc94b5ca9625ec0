"""Tables the report shows, computed from results/summary.csv (the speed study), results/quality.csv
(the quality study) and results/curves.csv.

The report notebook only displays; every number it shows is computed here, in tested Python.
"""

from pathlib import Path

import pandas as pd

from fwbench.frameworks import DISPLAY_NAMES
from fwbench.labels import device_label


def read_csv_or_none(path) -> pd.DataFrame | None:
    """A table the config may not have produced (a study switched off): None when absent or empty."""
    try:
        return pd.read_csv(path)
    except (FileNotFoundError, pd.errors.EmptyDataError):
        return None


def _runs_csv(path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (FileNotFoundError, pd.errors.EmptyDataError):  # no runs: an empty table, shown as such
        return pd.DataFrame(columns=["run_id", "study", "workload", "framework", "mode", "status"])


def load(results_dir) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(speed-study runs, quality-study runs, learning curves), each with a `variant` label."""
    results_dir = Path(results_dir)
    summary, quality = _runs_csv(results_dir / "summary.csv"), _runs_csv(results_dir / "quality.csv")
    curves = pd.read_csv(results_dir / "curves.csv")
    for frame in (summary, quality, curves):  # empty too: a study that did not run has the column
        frame["variant"] = frame["framework"].map(DISPLAY_NAMES) + " " + frame["mode"]
    for frame in (summary, quality):
        frame["device"] = device_label(frame)
    check_same_data(all_runs(summary, quality))
    return summary, quality, curves


def all_runs(summary: pd.DataFrame, quality: pd.DataFrame) -> pd.DataFrame:
    """The runs of both studies in one table (status, failures, provenance)."""
    frames = [frame for frame in (summary, quality) if len(frame)]
    return pd.concat(frames, ignore_index=True) if frames else summary


class DataMismatch(ValueError):
    """Runs of one workload were trained on different data; their results are not comparable."""


def check_same_data(summary: pd.DataFrame) -> None:
    """Refuse (DataMismatch) to compare runs of a workload whose data sets' SHA-256 differ, e.g.
    results merged from two machines that generated different data."""
    if summary.empty or "data_sha256" not in summary:
        return
    hashes = summary.dropna(subset=["data_sha256"]).groupby("workload")["data_sha256"].unique()
    mixed = {workload: sorted(found) for workload, found in hashes.items() if len(found) > 1}
    if mixed:
        listed = "; ".join(f"{w}: {', '.join(str(h)[:12] for h in found)}" for w, found in mixed.items())
        raise DataMismatch(
            f"refusing to compare results trained on different data (data_sha256 differs: {listed}). "
            "Give every machine the same data/generated (dvc pull), re-run the runs whose data "
            "differ, and aggregate again."
        )


def baselines_table(results_dir) -> pd.DataFrame:
    """results/baselines.csv in percent, with whether each target lies above its baseline; None
    when the file is absent (a result set from before the rule existed)."""
    table = read_csv_or_none(Path(results_dir) / "baselines.csv")
    if table is None:
        return None
    percent = ["majority_accuracy", "bigram_accuracy", "baseline_accuracy", "target_accuracy"]
    table[percent] = (table[percent] * 100).round(1)
    table["target above baseline"] = table["target_accuracy"] > table["baseline_accuracy"]
    return table.rename(
        columns={
            "majority_accuracy": "majority class",
            "bigram_accuracy": "bigram counter",
            "baseline_accuracy": "baseline (best)",
            "target_accuracy": "target",
        }
    )


def parity_table(results_dir) -> pd.DataFrame:
    """Parity per workload and framework checked against PyTorch (results/parity.csv): parameter
    counts, output and loss gaps, verdict; None when the parity study did not run."""
    parity = read_csv_or_none(Path(results_dir) / "parity.csv")
    if parity is None or parity.empty:
        return None
    parity["verdict"] = parity["passed"].map({True: "same model", False: "NOT the same model"})
    parity["verdict"] = parity["verdict"].fillna("not checked")
    parity["framework"] = parity["framework"].map(DISPLAY_NAMES).fillna(parity["framework"])
    columns = {
        "workload": "workload",
        "framework": "checked against PyTorch",
        "param_count_torch": "parameters (PyTorch)",
        "param_count_other": "parameters (Keras)",
        "max_abs_output_diff": "max |output diff|",
        "max_abs_roundtrip_diff": "max |round-trip diff|",
        "max_abs_train_output_diff": "max |output diff|, training mode",
        "max_rel_gradient_gap": "max gradient gap (relative)",
        "adam_epsilon_effect_median": "Keras's Adam epsilon: effect on step 1 (median, relative)",
        "max_rel_loss_gap": "max relative loss gap",
        "loss_rtol": "loss tolerance",
        "outputs_after_steps_rel_diff": "output gap after the steps (relative)",
        "verdict": "verdict",
        "compiled_modes_checked": "compiled modes against eager",
        "compiled_max_rel_diff": "compiled vs eager: largest gap (relative)",
        "tolerance_reason": "why the loss tolerance differs",
        "error_message": "error",
    }
    return parity[list(columns)].rename(columns=columns)


def ok_runs(summary: pd.DataFrame) -> pd.DataFrame:
    return summary[summary["status"] == "ok"]


def accuracy_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Test accuracy (%) per workload and variant: mean, sd, n, beside the published reference."""
    ok = ok_runs(summary)
    table = ok.groupby(["workload", "variant"]).agg(
        accuracy_mean=("test_accuracy", "mean"),
        accuracy_sd=("test_accuracy", "std"),
        n=("test_accuracy", "size"),
        reference=("reference_accuracy", "first"),
    )
    table[["accuracy_mean", "accuracy_sd", "reference"]] *= 100
    table["minus_reference_pts"] = table["accuracy_mean"] - table["reference"]
    return table.round(2).reset_index()


def framework_accuracy_gap(summary: pd.DataFrame) -> pd.DataFrame:
    """Per workload: mean accuracy (%) of each framework over all its modes, and the gap in points."""
    ok = ok_runs(summary)
    means = ok.groupby(["workload", "framework"])["test_accuracy"].mean().unstack("framework") * 100
    for framework in DISPLAY_NAMES:
        if framework not in means:
            means[framework] = float("nan")
    means["gap_pts"] = (means["torch"] - means["tf"]).abs()
    return means.round(2).reset_index()


def speed_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Steady-state step time per workload and variant (speed study): median over runs of each
    run's median, the range over runs, the within-run IQR, throughput, warm-up and first-step
    cost, and the steady-state check (median drift ratio, second half / first half of the timed
    steps, and how many runs were steady)."""
    ok = ok_runs(summary)
    table = ok.groupby(["workload", "variant"]).agg(
        step_ms_median=("step_time_ms_median", "median"),
        step_ms_min_run=("step_time_ms_median", "min"),
        step_ms_max_run=("step_time_ms_median", "max"),
        within_run_iqr_ms=("step_time_ms_iqr", "median"),
        steps_per_run=("step_time_ms_n", "median"),
        throughput_samples_s=("throughput_samples_per_s", "median"),
        first_step_ms=("first_step_time_ms", "median"),
        warmup_s=("warmup_time_s", "median"),
        drift_ratio=("steady_drift_ratio", "median"),
        steady_runs=("steady", "sum"),
        n_runs=("run_id", "size"),
    )
    return table.round(3).reset_index()


def memory_table(summary: pd.DataFrame) -> pd.DataFrame:
    ok = ok_runs(summary)
    table = ok.groupby(["workload", "variant"]).agg(
        peak_rss_mb=("host_peak_rss_mb", "median"),
        rss_after_import_mb=("host_rss_baseline_mb", "median"),
        rss_rise_mb=("host_rss_rise_mb", "median"),
        device_peak_mb=("device_peak_memory_mb", "median"),
        device_reserved_mb=("device_peak_reserved_mb", "median"),
        nvml_process_mb=("gpu_process_memory_mb_max", "median"),
        n_runs=("run_id", "size"),
    )
    return table.round(1).reset_index()


def status_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Every run that did not end `ok`, with what went wrong and how to fix it."""
    columns = ["run_id", "status", "error_type", "error_message", "error_hint"]
    if summary.empty:
        return pd.DataFrame(columns=columns)
    return summary.loc[summary["status"] != "ok", columns].reset_index(drop=True)


def status_counts(runs: pd.DataFrame) -> pd.DataFrame:
    """Runs per study, variant and status."""
    return runs.pivot_table(
        index=["study", "variant"], columns="status", values="run_id", aggfunc="count", fill_value=0
    )


def provenance_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The distinct machines, software and inputs the results come from, per framework (its thread
    pools and whether its ops flush denormals differ)."""
    columns = [
        "framework",
        "hostname",
        "cpu_model",
        "device_kind",
        "device_name",
        "gpu_driver",
        "threads_intra_op",
        "threads_inter_op",
        "denormals_flushed",
        "python_version",
        "torch_version",
        "tensorflow_version",
        "keras_version",
        "jax_version",
        "git_commit",
        "data_sha256",
    ]
    table = (
        summary.groupby([c for c in columns if c in summary], dropna=False).size().reset_index(name="runs")
    )
    table["git_commit"] = table["git_commit"].astype(str).str[:12]
    table["data_sha256"] = table["data_sha256"].astype(str).str[:16]
    return table


def flops_cross_check(summary: pd.DataFrame) -> pd.DataFrame | None:
    """Per workload and batch size: the shared FLOP count of a training step (PyTorch's counter,
    results/flops/) beside XLA's own count of the JAX jit step (compile_xla_flops_per_step), and
    their ratio; None without JAX jit runs that recorded one."""
    needed = {"compile_xla_flops_per_step", "model_flops_per_step", "batch_size"}
    if summary.empty or not needed <= set(summary):
        return None
    runs = summary.dropna(subset=["compile_xla_flops_per_step", "model_flops_per_step"])
    if runs.empty:
        return None
    table = (
        runs.groupby(["workload", "batch_size"])[["model_flops_per_step", "compile_xla_flops_per_step"]]
        .median()
        .reset_index()
        .rename(
            columns={
                "model_flops_per_step": "shared_count_flops",
                "compile_xla_flops_per_step": "xla_count_flops",
            }
        )
    )
    table["xla_over_shared"] = table["xla_count_flops"] / table["shared_count_flops"]
    return table
