"""Report tables for speed ratios, time to accuracy, GPU utilisation, inference/export and
harness overhead, computed from the aggregated results (report/index.py only displays them).
"""

from itertools import combinations, product
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fwbench.frameworks import DISPLAY_NAMES, SHORT_NAMES, eager_of, precision_of
from fwbench.inference_tables import scaling_per_run
from fwbench.report_tables import read_csv_or_none
from fwbench.results import read_result
from fwbench.stats import geometric_mean_interval, mean_interval, ratio_interval, time_to_accuracy_mlperf

EXPORT_NAMES = {"onnx": "ONNX Runtime", "torch_export": "torch.export", "saved_model": "SavedModel"}
GPU_COLUMNS = ["gpu_utilization_pct_mean", "gpu_energy_j_per_sample", "achieved_tflops", "mfu"]


def _ok(summary: pd.DataFrame) -> pd.DataFrame:
    return summary[summary["status"] == "ok"] if len(summary) else summary


def _ratio_row(workload, label, numerator, denominator, metric: str) -> dict:
    ci = ratio_interval(numerator[metric], denominator[metric])
    row = {"workload": workload, "ratio": label}
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
    ok = _ok(summary)
    columns = [
        "workload",
        "framework",
        "mode",
        "one_time_cost_s",
        "ci_low",
        "ci_high",
        "first_step_ms",
        "graphs",
        "graph_breaks",
        "n",
    ]
    if not len(ok) or "one_time_cost_s" not in ok:
        return pd.DataFrame(columns=columns)
    rows = []
    for (workload, framework, mode), runs in ok.groupby(["workload", "framework", "mode"]):
        mean, low, high = mean_interval(runs["one_time_cost_s"], floor=0.0)
        rows.append(
            {
                "workload": workload,
                "framework": DISPLAY_NAMES.get(framework, framework),
                "mode": mode,
                "one_time_cost_s": mean,
                "ci_low": low,
                "ci_high": high,
                "first_step_ms": runs["first_step_time_ms"].median(),
                "graphs": runs["compile_graphs"].median() if "compile_graphs" in runs else None,
                "graph_breaks": runs["compile_graph_breaks"].median()
                if "compile_graph_breaks" in runs
                else None,
                "n": len(runs),
            }
        )
    return pd.DataFrame(rows, columns=columns).round(3)


def step_time_ratios(summary: pd.DataFrame, metric: str = "step_time_ms_median") -> pd.DataFrame:
    """Ratios of step time (geometric means over runs of each run's median), with a 95 % Welch
    t-interval on the log scale (fwbench.stats.ratio_interval):
    for every two frameworks (PyTorch / TF, PyTorch / JAX, TF / JAX), each mode pair of the same
    precision, and each mode / eager (of its precision) within a framework.
    A ratio below 1 means the numerator is faster; `inside_noise` flags intervals containing 1."""
    ok = _ok(summary)
    rows = []
    for workload, runs in ok.groupby("workload"):
        modes = {fw: sorted(runs.loc[runs["framework"] == fw, "mode"].unique()) for fw in DISPLAY_NAMES}

        def of(framework, mode, runs=runs):
            return runs[(runs["framework"] == framework) & (runs["mode"] == mode)]

        for first, second in combinations(modes, 2):  # every pair of frameworks, in registry order
            for mode_a, mode_b in product(modes[first], modes[second]):
                if precision_of(mode_a) != precision_of(mode_b):
                    continue  # compared at the same precision only
                label = f"{SHORT_NAMES[first]} {mode_a} / {SHORT_NAMES[second]} {mode_b}"
                rows.append(_ratio_row(workload, label, of(first, mode_a), of(second, mode_b), metric))
        for framework, framework_modes in modes.items():
            for mode in framework_modes:
                eager = eager_of(mode)
                if mode != eager and eager in framework_modes:
                    label = f"{DISPLAY_NAMES[framework]} {mode} / {eager}"
                    rows.append(
                        _ratio_row(workload, label, of(framework, mode), of(framework, eager), metric)
                    )
    columns = ["workload", "ratio", "value", "ci_low", "ci_high", "n", "inside_noise"]
    return pd.DataFrame(rows, columns=columns)


def time_to_accuracy_table(summary: pd.DataFrame) -> pd.DataFrame:
    """MLPerf-style time to the target accuracy per workload and variant (see
    fwbench.stats.time_to_accuracy_mlperf): over the runs that finished and those that diverged
    (a diverged run never reached the target: a non-converging run, as MLPerf counts it); failed
    runs are listed with the failures. `eval_every`: the steps between evaluations, the quantum
    of the measurement (a run is found at the target only at an evaluation)."""
    rows = []
    finished = summary[summary["status"].isin(["ok", "diverged"])] if len(summary) else summary
    for (workload, variant), runs in finished.groupby(["workload", "variant"]):
        times = runs["time_to_accuracy_s"].where(runs["status"].eq("ok"))
        tta = time_to_accuracy_mlperf(times.tolist())
        quantum = runs["eval_every"].dropna().unique() if "eval_every" in runs else []
        rows.append(
            {
                "workload": workload,
                "variant": variant,
                "runs": len(runs),
                **tta,
                "eval_every": int(quantum[0]) if len(quantum) == 1 else None,
            }
        )
    return pd.DataFrame(rows)


def has_gpu_runs(summary: pd.DataFrame) -> bool:
    return bool(len(summary)) and "device_kind" in summary and summary["device_kind"].eq("cuda").any()


def gpu_table(summary: pd.DataFrame) -> pd.DataFrame:
    """NVML utilisation, energy per sample, achieved TFLOP/s and MFU of the GPU runs (medians)."""
    ok = _ok(summary)
    ok = ok[ok["device_kind"] == "cuda"]
    present = [c for c in GPU_COLUMNS if c in ok]
    table = ok.groupby(["workload", "variant", "device_name"])[present].median()
    table["n_runs"] = ok.groupby(["workload", "variant", "device_name"]).size()
    return table.reset_index()


def load_inference(results_dir) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The sweep and export tables; (None, None) when the inference study did not run."""
    results_dir = Path(results_dir)
    sweep = read_csv_or_none(results_dir / "inference_sweep.csv")
    exports = read_csv_or_none(results_dir / "inference_exports.csv")
    if sweep is None or exports is None:
        return None, None
    if len(sweep):
        target = sweep["target"].astype(str)
        runtime = target.str.removeprefix("export:").map(EXPORT_NAMES)
        sweep["runtime"] = (
            sweep["framework"].map(DISPLAY_NAMES)
            + " "
            + runtime.where(target.str.startswith("export:"), target)
        )
    return sweep, exports


def inference_table(sweep: pd.DataFrame) -> pd.DataFrame:
    """Per workload and runtime, over its runs (fresh processes): batch-1 latency p50/p95 (median
    over runs), throughput at the largest batch, and the scaling figure (largest-batch over batch-1
    throughput) as a geometric mean with its 95 % t-interval on the log scale."""
    per_run = scaling_per_run(sweep, by=("workload", "runtime"))
    rows = []
    for (workload, runtime), group in per_run.groupby(["workload", "runtime"]):
        scaling = group["scaling"].dropna()
        interval = geometric_mean_interval(scaling) if len(scaling) else (np.nan, np.nan, np.nan)
        rows.append(
            {
                "workload": workload,
                "runtime": runtime,
                "runs": len(group),
                "latency_ms_p50_batch1": group["latency_ms_p50_batch1"].median(),
                "latency_ms_p95_batch1": group["latency_ms_p95_batch1"].median(),
                "largest_batch": int(group["largest_batch"].max()),
                "throughput_largest_samples_s": group["throughput_largest"].median(),
                "scaling_largest_over_batch1": interval[0],
                "scaling_ci_low": interval[1],
                "scaling_ci_high": interval[2],
            }
        )
    return pd.DataFrame(rows).round(4)


def inference_failures(sweep: pd.DataFrame) -> pd.DataFrame:
    return sweep.loc[sweep["status"] != "ok", ["workload", "framework", "target", "status"]].drop_duplicates()


def export_table(exports: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "workload",
        "framework",
        "format",
        "status",
        "outputs_match",
        "max_abs_diff",
        "export_time_s",
        "file_size_bytes",
        "latency_ms_p50_batch1",
        "throughput_samples_per_s_max",
        "tool",
        "error_message",
    ]
    table = exports[columns].copy()
    table["framework"] = table["framework"].map(DISPLAY_NAMES)
    table["error_message"] = table["error_message"].astype("string").str.slice(0, 200)
    return table


def harness_overhead(results_dir) -> pd.DataFrame | None:
    """The harness-overhead benchmark, one row per framework; None when the file is absent."""
    path = Path(results_dir) / "harness_overhead.json"
    if not path.exists():
        return None
    record = read_result(path, kind="harness_overhead")
    rows = []
    for entry in record["frameworks"]:
        harness_ms, bare_ms = entry.get("harness_step_ms") or [], entry.get("bare_step_ms") or []
        rows.append(
            {
                "workload": record["workload"],
                "framework": DISPLAY_NAMES.get(entry["framework"], entry["framework"]),
                "mode": entry["mode"],
                "status": entry["status"],
                "block_pairs": len(harness_ms),
                "harness_step_ms": float(np.median(harness_ms)) if harness_ms else None,
                "bare_step_ms": float(np.median(bare_ms)) if bare_ms else None,
                "ratio": entry.get("ratio"),
                "ratio_ci_low": entry.get("ratio_ci_low"),
                "ratio_ci_high": entry.get("ratio_ci_high"),
                "goal_ratio": record["goal_ratio"],
                "meets_goal": entry.get("meets_goal"),
            }
        )
    return pd.DataFrame(rows).round(4)


def ratio_figure(ratios: pd.DataFrame):
    """The step-time ratios of step_time_ratios as a forest plot, one panel per workload (log
    scale, 95 % intervals; black: beyond noise, grey: the interval contains 1); None if none."""
    rows = ratios.dropna(subset=["value"])
    if rows.empty:
        return None
    labels = list(dict.fromkeys(rows["ratio"]))
    workloads = list(dict.fromkeys(rows["workload"]))
    fig, axes = plt.subplots(
        1,
        len(workloads),
        figsize=(min(3 + 1.8 * len(workloads), 11), 1.0 + 0.3 * len(labels)),
        sharey=True,
        squeeze=False,
    )
    for ax, workload in zip(axes[0], workloads, strict=True):
        for row in rows[rows["workload"] == workload].itertuples():
            colour = "grey" if row.inside_noise else "black"
            error = [[row.value - row.ci_low], [row.ci_high - row.value]]
            ax.errorbar(row.value, labels.index(row.ratio), xerr=error, fmt="o", color=colour, capsize=3)
        ax.axvline(1, color="grey", linewidth=1, linestyle=":")
        ax.set_xscale("log")
        ax.set_title(workload)
        ax.set_xlabel("ratio (log)")
    axes[0][0].set_yticks(range(len(labels)), labels)
    axes[0][0].invert_yaxis()
    axes[0][0].set_ylabel("step time ratio")
    fig.tight_layout()
    return fig
