"""Aggregation of the inference results (rule aggregate_inference) into two tidy tables.

- inference_sweep.csv: one row per (workload, framework, target, run, batch size), where the target is
  the execution mode (`eager`, `compile`, `graph`, `xla`) or an exported model (`export:onnx`,
  `export:torch_export`, `export:saved_model`); a job or export without measurements is one row
  with its status and empty figures, never dropped.
- inference_exports.csv: one row per export attempt: format, tool, status, error, export time,
  file size, output match against the original model, batch-1 latency and best throughput.
"""

import numpy as np
import pandas as pd

from fwbench.core.atomic import write_csv_atomic
from fwbench.core.columns import CPU_MODEL, DEVICE_KIND, DEVICE_NAME, OUTPUTS_MATCH, THREADS_INTRA, THROUGHPUT
from fwbench.core.results import read_result
from fwbench.studies.inference.columns import (
    EXPORT_TIME_S,
    FILE_SIZE_BYTES,
    LATENCY_MS_MEAN,
    LATENCY_MS_P50,
    LATENCY_MS_P50_BATCH1,
    LATENCY_MS_P95,
    MAX_ABS_DIFF,
    N_CALLS,
    THROUGHPUT_SAMPLES_PER_S_MAX,
    TOOL,
)

SWEEP_COLUMNS = [
    "workload",
    "framework",
    "target",
    "run",
    "status",
    "batch_size",
    LATENCY_MS_P50,
    LATENCY_MS_P95,
    LATENCY_MS_MEAN,
    THROUGHPUT,
    N_CALLS,
    DEVICE_KIND,
    DEVICE_NAME,
    CPU_MODEL,
    THREADS_INTRA,
]
EXPORT_COLUMNS = [
    "workload",
    "framework",
    "format",
    TOOL,
    "status",
    "error_type",
    "error_message",
    EXPORT_TIME_S,
    FILE_SIZE_BYTES,
    MAX_ABS_DIFF,
    OUTPUTS_MATCH,
    LATENCY_MS_P50_BATCH1,
    THROUGHPUT_SAMPLES_PER_S_MAX,
    DEVICE_KIND,
]


def _sweep_rows(base: dict, target: str, status: str, sweep) -> list[dict]:
    if not sweep:
        return [{**base, "target": target, "status": status}]
    return [{**base, "target": target, "status": status, **entry} for entry in sweep]


def tables(results: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    sweep_rows, export_rows = [], []
    for r in results:
        device, threads = r["provenance"].get("device", {}), r["provenance"].get("threads", {})
        base = {
            "workload": r["workload"],
            "framework": r["framework"],
            "run": r["run"],
            DEVICE_KIND: device.get("kind"),
            DEVICE_NAME: device.get("name"),
            CPU_MODEL: r["provenance"].get(CPU_MODEL),  # names the device of CPU runs
            THREADS_INTRA: threads.get("intra_op"),
        }
        sweep_rows += _sweep_rows(base, r["mode"], r["status"], r["sweep"])
        for export in r["exports"] or []:
            sweep_rows += _sweep_rows(base, f"export:{export['format']}", export["status"], export["sweep"])
            by_batch = {e["batch_size"]: e for e in export["sweep"] or []}
            error = export["error"] or {}
            export_rows.append(
                {
                    **{key: base[key] for key in ("workload", "framework", DEVICE_KIND)},
                    **{key: export[key] for key in EXPORT_COLUMNS if key in export},
                    "error_type": error.get("type"),
                    "error_message": error.get("message"),
                    LATENCY_MS_P50_BATCH1: by_batch.get(1, {}).get(LATENCY_MS_P50),
                    THROUGHPUT_SAMPLES_PER_S_MAX: max(
                        (e[THROUGHPUT] for e in by_batch.values()), default=None
                    ),
                }
            )
    return pd.DataFrame(sweep_rows, columns=SWEEP_COLUMNS), pd.DataFrame(export_rows, columns=EXPORT_COLUMNS)


def aggregate_inference(paths, *, sweep_csv, exports_csv) -> None:
    sweep, exports = tables([read_result(path, kind="inference") for path in sorted(map(str, paths))])
    write_csv_atomic(sweep, sweep_csv)
    write_csv_atomic(exports, exports_csv)


def scaling_per_run(sweep: pd.DataFrame, by=("workload", "target")) -> pd.DataFrame:
    """Per run (fresh process, the unit of replication) of each group `by` (e.g. workload and
    target, or the report's runtime): batch-1 latency (p50, p95), the throughput at the largest
    batch, and the scaling figure C3 is about: largest-batch over batch-1 throughput (how much a
    larger batch buys)."""
    measured = sweep.dropna(subset=[LATENCY_MS_P50])
    rows = []
    for key, group in measured.groupby([*by, "run"]):
        batch1, largest = group[group["batch_size"] == 1], group.loc[group["batch_size"].idxmax()]
        base = batch1[THROUGHPUT].iloc[0] if len(batch1) else np.nan
        rows.append(
            {
                **dict(zip([*by, "run"], key, strict=True)),
                "framework": group["framework"].iloc[0],
                LATENCY_MS_P50_BATCH1: batch1[LATENCY_MS_P50].iloc[0] if len(batch1) else np.nan,
                "latency_ms_p95_batch1": batch1[LATENCY_MS_P95].iloc[0] if len(batch1) else np.nan,
                "largest_batch": int(largest["batch_size"]),
                "throughput_largest": largest[THROUGHPUT],
                "scaling": largest[THROUGHPUT] / base,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            *by,
            "run",
            "framework",
            LATENCY_MS_P50_BATCH1,
            "latency_ms_p95_batch1",
            "largest_batch",
            "throughput_largest",
            "scaling",
        ],
    )
