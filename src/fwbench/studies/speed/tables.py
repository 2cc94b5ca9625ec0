"""The speed study's tables, from results/summary.csv (one row per run of the speed study): step
time, throughput, warm-up and the steady-state check per variant; the one-time cost of each mode;
the step-time ratios of every pair of variants on each device; memory; GPU utilisation and MFU;
XLA's FLOP count beside the shared one; and the same variant on every device side by side.
"""

from itertools import combinations, product

import numpy as np
import pandas as pd

from fwbench.core.columns import (
    ACHIEVED_TFLOPS,
    BUILD_TIME,
    COMPILE_GRAPH_BREAKS,
    COMPILE_GRAPHS,
    DEVICE_KIND,
    DEVICE_NAME,
    DEVICE_PEAK,
    DEVICE_RESERVED,
    DRIFT_RATIO,
    FIRST_STEP,
    IMPORT_TIME,
    MEDIAN_RELATIVE_SE,
    MFU,
    MODEL_FLOPS,
    ONE_TIME_COST,
    PEAK_RSS,
    RSS_BASELINE,
    RSS_RISE,
    STEADY,
    STEP_TIME,
    STEP_TIME_IQR,
    STEP_TIME_N,
    THROUGHPUT,
    TIME_TO_FIRST_STEP,
    WARMUP_TIME,
    XLA_FLOPS,
)
from fwbench.core.labels import device_label
from fwbench.core.stats import mean_interval, ratio_interval
from fwbench.frameworks import DISPLAY_NAMES, SHORT_NAMES, eager_of, precision_of
from fwbench.runs.tables import ok_runs


def speed_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Steady-state step time per workload and variant (speed study): median over runs of each
    run's median, the range over runs, the within-run IQR, throughput, warm-up and first-step
    cost, and the steady-state check (median drift ratio, second half / first half of the timed
    steps, and how many runs were steady). Beside the timed steps a run took (config `speed` sizes
    them), what they buy: the run median's own standard error (median over runs) set beside the
    spread of the medians between runs (the standard deviation of their logs), both in per cent;
    the first far below the second means more steps would not narrow the verdicts' intervals."""
    ok = ok_runs(summary)
    if MEDIAN_RELATIVE_SE not in ok:
        ok = ok.assign(**{MEDIAN_RELATIVE_SE: np.nan})
    table = ok.groupby(["workload", "variant"]).agg(
        step_ms_median=(STEP_TIME, "median"),
        step_ms_min_run=(STEP_TIME, "min"),
        step_ms_max_run=(STEP_TIME, "max"),
        within_run_iqr_ms=(STEP_TIME_IQR, "median"),
        steps_per_run=(STEP_TIME_N, "median"),
        median_own_error_pct=(MEDIAN_RELATIVE_SE, lambda se: 100 * se.median()),
        between_runs_spread_pct=(STEP_TIME, lambda ms: 100 * np.log(ms[ms > 0]).std(ddof=1)),
        throughput_samples_s=(THROUGHPUT, "median"),
        first_step_ms=(FIRST_STEP, "median"),
        warmup_s=(WARMUP_TIME, "median"),
        drift_ratio=(DRIFT_RATIO, "median"),
        steady_runs=(STEADY, "sum"),
        n_runs=("run_id", "size"),
    )
    return table.round(3).reset_index()


def startup_table(summary: pd.DataFrame) -> pd.DataFrame:
    """What a run lives through before its first finished step, per workload, framework and mode
    (median over runs, seconds): importing and setting up the framework, building the model, the
    first step itself, and all of it from the process's start."""
    ok = ok_runs(summary)
    columns = ["workload", "framework", "mode", IMPORT_TIME, BUILD_TIME, "first_step_s", TIME_TO_FIRST_STEP]
    columns.append("n")
    if not len(ok) or TIME_TO_FIRST_STEP not in ok or ok[TIME_TO_FIRST_STEP].isna().all():
        return pd.DataFrame(columns=columns)
    table = ok.groupby(["workload", "framework", "mode"]).agg(
        **{IMPORT_TIME: (IMPORT_TIME, "median"), BUILD_TIME: (BUILD_TIME, "median")},
        first_step_s=(FIRST_STEP, lambda ms: ms.median() / 1e3),
        **{TIME_TO_FIRST_STEP: (TIME_TO_FIRST_STEP, "median")},
        n=("run_id", "size"),
    )
    table = table.reset_index()
    table["framework"] = table["framework"].map(lambda fw: DISPLAY_NAMES.get(fw, fw))
    return table[columns].round(3)


def quickest_first_step(summary: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """Per framework, its mode with the shortest median time to the first finished step (median over
    that mode's runs, every workload), and that time in seconds: how soon each framework lets a
    user see a first step in this run."""
    ok = ok_runs(summary)
    if not len(ok) or TIME_TO_FIRST_STEP not in ok:
        return {}
    timed = ok.dropna(subset=[TIME_TO_FIRST_STEP])
    medians = timed.groupby(["framework", "mode"])[TIME_TO_FIRST_STEP].median()
    quickest = {}
    for (framework, mode), seconds in medians.sort_values().items():
        quickest.setdefault(framework, (mode, float(seconds)))
    return quickest


def memory_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Memory per workload and variant, medians over runs: C4's two readings (what importing the
    framework costs: the RSS with the data loaded; what the model and its training add above it),
    the lifetime peak, and on a GPU the device's figures."""
    ok = ok_runs(summary)
    table = ok.groupby(["workload", "variant"]).agg(
        peak_rss_mb=(PEAK_RSS, "median"),
        rss_import_and_data_mb=(RSS_BASELINE, "median"),
        rss_model_and_training_mb=(RSS_RISE, "median"),
        device_peak_mb=(DEVICE_PEAK, "median"),
        device_reserved_mb=(DEVICE_RESERVED, "median"),
        nvml_process_mb=("gpu_process_memory_mb_max", "median"),
        n_runs=("run_id", "size"),
    )
    return table.round(1).reset_index()


def flops_cross_check(summary: pd.DataFrame) -> pd.DataFrame | None:
    """Per workload and batch size: the shared FLOP count of a training step (PyTorch's counter,
    results/flops/) beside XLA's own count of the JAX jit step (compile_xla_flops_per_step), and
    their ratio; None without JAX jit runs that recorded one."""
    needed = {XLA_FLOPS, MODEL_FLOPS, "batch_size"}
    if summary.empty or not needed <= set(summary):
        return None
    runs = summary.dropna(subset=[XLA_FLOPS, MODEL_FLOPS])
    if runs.empty:
        return None
    table = (
        runs.groupby(["workload", "batch_size"])[[MODEL_FLOPS, XLA_FLOPS]]
        .median()
        .reset_index()
        .rename(
            columns={
                MODEL_FLOPS: "shared_count_flops",
                XLA_FLOPS: "xla_count_flops",
            }
        )
    )
    table["xla_over_shared"] = table["xla_count_flops"] / table["shared_count_flops"]
    return table


GPU_COLUMNS = ["gpu_utilization_pct_mean", "gpu_energy_j_per_sample", ACHIEVED_TFLOPS, MFU]


def _ratio_row(device, workload, label, numerator, denominator, metric: str) -> dict:
    ci = ratio_interval(numerator[metric], denominator[metric])
    row = {"device": device, "workload": workload, "ratio": label}
    if ci is None:
        return {**row, "value": None, "ci_low": None, "ci_high": None, "n": "", "inside_noise": None}
    return {
        **row,
        "value": round(ci["ratio"], 3),
        "ci_low": round(ci["ci_low"], 3),
        "ci_high": round(ci["ci_high"], 3),
        "n": f"{ci['n_numerator']} / {ci['n_denominator']}",
        "inside_noise": ci["inside_noise"],
    }


def compile_time_table(summary: pd.DataFrame) -> pd.DataFrame:
    """One-time cost per workload, framework and mode, measured in each run itself: the warm-up
    steps' time above the run's own steady-state median (metric one_time_cost_s: tracing,
    compiling, first use; never negative, never taken from another mode), its mean over runs with
    a 95 % t-interval (clipped at 0), the first step's latency, and what the compiler made of the
    step (graphs, graph breaks: Dynamo's counters, tf.function's traces). Eager modes are listed
    too: their one-time cost is first use alone, the yardstick a compiled mode's cost sits beside."""
    ok = ok_runs(summary)
    columns = [
        "workload",
        "framework",
        "mode",
        ONE_TIME_COST,
        "ci_low",
        "ci_high",
        "first_step_ms",
        "graphs",
        "graph_breaks",
        "n",
    ]
    if not len(ok) or ONE_TIME_COST not in ok:
        return pd.DataFrame(columns=columns)
    rows = []
    for (workload, framework, mode), runs in ok.groupby(["workload", "framework", "mode"]):
        mean, low, high = mean_interval(runs[ONE_TIME_COST], floor=0.0)
        rows.append(
            {
                "workload": workload,
                "framework": DISPLAY_NAMES.get(framework, framework),
                "mode": mode,
                ONE_TIME_COST: mean,
                "ci_low": low,
                "ci_high": high,
                "first_step_ms": runs[FIRST_STEP].median(),
                "graphs": runs[COMPILE_GRAPHS].median() if COMPILE_GRAPHS in runs else None,
                "graph_breaks": runs[COMPILE_GRAPH_BREAKS].median() if COMPILE_GRAPH_BREAKS in runs else None,
                "n": len(runs),
            }
        )
    return pd.DataFrame(rows, columns=columns).round(3)


def step_time_ratios(summary: pd.DataFrame, metric: str = STEP_TIME) -> pd.DataFrame:
    """Ratios of step time (geometric means over runs of each run's median) per device and workload
    (as the ledger compares them: runs from two machines are never pooled), with a 95 % Welch
    t-interval on the log scale (fwbench.core.stats.ratio_interval):
    for every two frameworks (PyTorch / TF, PyTorch / JAX, TF / JAX), each mode pair of the same
    precision, and each mode / eager (of its precision) within a framework.
    A ratio below 1 means the numerator is faster; `inside_noise` flags intervals containing 1."""
    ok = ok_runs(summary)
    if "device" not in ok:
        ok = ok.assign(device=device_label(ok))
    rows = []
    for (device, workload), runs in ok.groupby(["device", "workload"]):
        modes = {fw: sorted(runs.loc[runs["framework"] == fw, "mode"].unique()) for fw in DISPLAY_NAMES}

        def of(framework, mode, runs=runs):
            return runs[(runs["framework"] == framework) & (runs["mode"] == mode)]

        for first, second in combinations(modes, 2):  # every pair of frameworks, in registry order
            for mode_a, mode_b in product(modes[first], modes[second]):
                if precision_of(mode_a) != precision_of(mode_b):
                    continue  # compared at the same precision only
                label = f"{SHORT_NAMES[first]} {mode_a} / {SHORT_NAMES[second]} {mode_b}"
                rows.append(
                    _ratio_row(device, workload, label, of(first, mode_a), of(second, mode_b), metric)
                )
        for framework, framework_modes in modes.items():
            for mode in framework_modes:
                eager = eager_of(mode)
                if mode != eager and eager in framework_modes:
                    label = f"{DISPLAY_NAMES[framework]} {mode} / {eager}"
                    rows.append(
                        _ratio_row(device, workload, label, of(framework, mode), of(framework, eager), metric)
                    )
    columns = ["device", "workload", "ratio", "value", "ci_low", "ci_high", "n", "inside_noise"]
    return pd.DataFrame(rows, columns=columns)


def has_gpu_runs(summary: pd.DataFrame) -> bool:
    return bool(len(summary)) and DEVICE_KIND in summary and summary[DEVICE_KIND].eq("cuda").any()


def gpu_table(summary: pd.DataFrame) -> pd.DataFrame:
    """NVML utilisation, energy per sample, achieved TFLOP/s and MFU of the GPU runs (medians)."""
    ok = ok_runs(summary)
    ok = ok[ok[DEVICE_KIND] == "cuda"]
    present = [c for c in GPU_COLUMNS if c in ok]
    table = ok.groupby(["workload", "variant", DEVICE_NAME])[present].median()
    table["n_runs"] = ok.groupby(["workload", "variant", DEVICE_NAME]).size()
    return table.reset_index()


def device_comparison(summary: pd.DataFrame) -> pd.DataFrame:
    """Median step time (ms) per workload and variant, one column per device: side by side."""
    ok = summary[summary["status"].eq("ok")] if len(summary) else summary
    if ok.empty:
        return pd.DataFrame()
    table = ok.pivot_table(
        index=["workload", "variant"], columns="device", values=STEP_TIME, aggfunc="median"
    )
    counts = ok.pivot_table(index=["workload", "variant"], columns="device", values="run_id", aggfunc="count")
    return table.round(3).astype(str).where(table.notna(), "-") + counts.map(lambda n: f" (n={n:.0f})").where(
        counts.notna(), ""
    )
