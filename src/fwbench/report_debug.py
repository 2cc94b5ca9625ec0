"""Report tables and figures for "Debugging effort" (claim C7).

Reads results/debug.csv + results/debug_index.csv (fwbench.debug_scoring); report/index.py only
displays what these functions return.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from fwbench.debug_scoring import INDEX_WEIGHTS, debug_index
from fwbench.frameworks import DISPLAY_NAMES
from fwbench.report_tables import read_csv_or_none

COMPONENTS = [f"{key}_effort" for key in INDEX_WEIGHTS]


def load_debug(results_dir) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    rows = read_csv_or_none(Path(results_dir) / "debug.csv")
    index = read_csv_or_none(Path(results_dir) / "debug_index.csv")
    for frame in (rows, index):
        if frame is not None and len(frame):
            frame["variant"] = frame["framework"].map(DISPLAY_NAMES) + " " + frame["mode"]
    return rows, index


def outcome_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Fault x variant: the outcome of each probe (loud step / silent, caught at step / ...)."""

    def cell(r):
        if r["outcome"] == "loud":
            line = (
                "line named"
                if (r["traceback_names_faulty_line"] or r["message_names_faulty_line"])
                else "line not named"
            )
            return f"loud @ step {int(r['error_step'])}: {r['error_type']} ({line})"
        if r["outcome"] == "silent_detected":
            return f"silent, caught @ step {int(r['detected_step'])}"
        return r["outcome"].replace("_", " ")

    faults_only = rows[rows["fault"] != "none"].assign(cell=lambda d: d.apply(cell, axis=1))
    return faults_only.pivot_table(
        index=["workload", "fault"], columns="variant", values="cell", aggfunc="first"
    )


def message_table(rows: pd.DataFrame) -> pd.DataFrame:
    loud = rows[rows["outcome"] == "loud"]
    cols = [
        "workload",
        "fault",
        "variant",
        "error_type",
        "error_step",
        "time_to_error_s",
        "traceback_names_faulty_line",
        "message_names_faulty_line",
        "frames_between",
        "traceback_frames",
        "names_shape",
        "names_dtype",
        "names_device",
        "message_chars",
        "traceback_lines",
    ]
    return loud[cols].round(2).reset_index(drop=True)


def inspect_table(rows: pd.DataFrame) -> pd.DataFrame:
    control = rows[rows["fault"] == "none"]
    return control[["workload", "variant", "inspect_kind", "inspect_print_steps", "steps_run"]].reset_index(
        drop=True
    )


def index_table(rows: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """The effort index (recomputed from the rows, so a reader can pass other weights)."""
    index = debug_index(rows, weights)
    index.insert(3, "variant", index["framework"].map(DISPLAY_NAMES) + " " + index["mode"])
    return index.drop(columns=["framework", "mode"])


def index_figure(index: pd.DataFrame):
    """Stacked per-component contributions to the index, per variant."""
    total_w = sum(INDEX_WEIGHTS.values())
    parts = index.set_index(["workload", "variant"])[COMPONENTS].fillna(0)
    for key in INDEX_WEIGHTS:
        parts[f"{key}_effort"] *= 100 * INDEX_WEIGHTS[key] / total_w
    parts.columns = list(INDEX_WEIGHTS)
    ax = parts.plot.barh(stacked=True, figsize=(8, 0.45 * len(parts) + 1.2))
    ax.set_xlabel("debugging-effort index (0 = easiest, 100 = hardest), stacked by component")
    ax.set_ylabel("workload, variant")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    plt.tight_layout()
    return ax
