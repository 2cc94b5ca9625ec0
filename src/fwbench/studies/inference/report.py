"""The inference study's report: the sweep and export tables read back with a runtime label, the
per-runtime summary (batch-1 latency, throughput at the largest batch, scaling), the jobs and exports
without measurements, and the export table.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from fwbench.core.columns import OUTPUTS_MATCH, THROUGHPUT
from fwbench.core.stats import geometric_mean_interval
from fwbench.core.tables import read_csv_or_none
from fwbench.frameworks import DISPLAY_NAMES
from fwbench.studies.inference.columns import (
    EXPORT_TIME_S,
    FILE_SIZE_BYTES,
    LATENCY_MS_P50,
    LATENCY_MS_P50_BATCH1,
    MAX_ABS_DIFF,
    THROUGHPUT_SAMPLES_PER_S_MAX,
    TOOL,
)
from fwbench.studies.inference.tables import scaling_per_run

EXPORT_NAMES = {"onnx": "ONNX Runtime", "torch_export": "torch.export", "saved_model": "SavedModel"}


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
                LATENCY_MS_P50_BATCH1: group[LATENCY_MS_P50_BATCH1].median(),
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
        OUTPUTS_MATCH,
        MAX_ABS_DIFF,
        EXPORT_TIME_S,
        FILE_SIZE_BYTES,
        LATENCY_MS_P50_BATCH1,
        THROUGHPUT_SAMPLES_PER_S_MAX,
        TOOL,
        "error_message",
    ]
    table = exports[columns].copy()
    table["framework"] = table["framework"].map(DISPLAY_NAMES)
    table["error_message"] = table["error_message"].astype("string").str.slice(0, 200)
    return table


def method() -> str:
    """The sweep in words; the batch sizes and counts are the config's, as each result records them."""
    from fwbench.studies.inference.run import MATCH_ATOL, MATCH_RTOL

    return (
        "A sweep of batch sizes (1, f, f², ... up to the largest; config `inference.batch_size_factor` "
        "and `inference.max_batch_size`) per workload, framework and mode, in several fresh processes each "
        "(config `inference.runs`, interleaved with every other timed job: processes are the unit of "
        "replication), and, at batch 1 and the largest batch, for every exported model (PyTorch: ONNX via "
        "`torch.onnx` in ONNX Runtime, `torch.export`; TensorFlow: SavedModel, ONNX via `tf2onnx` in ONNX "
        "Runtime; JAX: `jax.export`). The models are **untrained** (built with seed 0): speed does not "
        "depend on the weights' values. Each call is timed after its device has finished (input already "
        "on the device); p50/p95 over the timed "
        "calls after the warm-up calls. Compiled modes compile one static-shape function per batch size "
        "during its warm-up calls, in every framework (`torch.compile(dynamic=False)`; `tf.function` "
        "traces, and XLA and `jax.jit` compile, per shape). Keras's SavedModel and ONNX exporters on JAX "
        "convert through TensorFlow, so they are recorded as unsupported there. Exports are checked "
        f"against the original model's outputs (|Δ| ≤ {MATCH_ATOL:g} + {MATCH_RTOL:g}·|y|); a failed "
        "export is a result, listed with its error. The scaling figure is the throughput at the largest "
        "batch over the throughput at batch 1, per run, given as a geometric mean with its 95 % "
        "t-interval."
    )


def throughput_figure(sweep: pd.DataFrame):
    """Inference throughput against batch size per runtime (median line, band: range over runs),
    log scales, one panel per workload; None without measurements."""
    import seaborn as sns

    measured = sweep.dropna(subset=[LATENCY_MS_P50]) if sweep is not None else sweep
    if measured is None or not len(measured):
        return None
    grid = sns.relplot(
        data=measured,
        x="batch_size",
        y=THROUGHPUT,
        hue="runtime",
        col="workload",
        col_wrap=3,
        kind="line",
        marker="o",
        estimator="median",
        errorbar=("pi", 100),
        height=3.4,
        aspect=1.2,
    )
    grid.set(xscale="log", yscale="log")
    grid.set_axis_labels("batch size", "samples/s")
    return grid.figure
