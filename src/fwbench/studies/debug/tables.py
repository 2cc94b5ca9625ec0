"""The debugging study's scoring (claim C7): classify each probe's outcome and compute the
debugging-effort index, from the probes' result files (fwbench.studies.debug.probes).

Classification (per run): loud (the framework raised), silent_detected (a sanity check of
fwbench.studies.debug.faults caught it), absorbed (silent, uncaught, and the accuracy stays within
ABSORBED_MARGIN of the clean control: the framework tolerated the mistake), silent_undetected.
aggregate_debug() writes results/debug.csv (one row per probe) and results/debug_index.csv; the
report and the verdicts import only this module.
"""

import numpy as np
import pandas as pd

from fwbench.core.atomic import write_csv_atomic
from fwbench.core.results import read_result
from fwbench.studies.debug.columns import (
    ERROR_STEP,
    FINAL_TEST_ACCURACY,
    FRAMES_BETWEEN,
    INSPECT_KIND,
    INSPECT_PRINT_STEPS,
    MESSAGE_CHARS,
    MESSAGE_NAMES_FAULTY_LINE,
    NAMES_DEVICE,
    NAMES_DTYPE,
    NAMES_SHAPE,
    STEPS_RUN,
    TIME_TO_ERROR_S,
    TRACEBACK_FRAMES,
    TRACEBACK_LINES,
    TRACEBACK_NAMES_FAULTY_LINE,
)
from fwbench.studies.debug.faults import CONTROL_FAULT, FAULTS, SANITY_CHECKS

ABSORBED_MARGIN = 0.05
# Index weights: equal by default; a reader re-weights with debug_index(rows, weights=...).
INDEX_WEIGHTS = {"detection": 1.0, "locality": 1.0, "message": 1.0, "inspectability": 1.0}
INSPECT_SCORE = {"every_step": 0.0, "trace_time_only": 0.5, "never": 1.0}
# The outcomes of a fault run that effort_components() scores (controls and runs without a result are not).
SCORED_OUTCOMES = ("loud", "silent_detected", "silent_undetected", "absorbed")


def flatten(record: dict) -> dict:
    error = record["error"] or {}
    checks = record["checks"] or {}
    inspect = record["inspect"] or {}
    return {
        **{k: record[k] for k in ("run_id", "workload", "framework", "mode", "fault", "status", "reason")},
        "loud": record["loud"],
        "error_type": error.get("type"),
        ERROR_STEP: error.get("step"),
        TIME_TO_ERROR_S: error.get(TIME_TO_ERROR_S),
        TRACEBACK_NAMES_FAULTY_LINE: error.get(TRACEBACK_NAMES_FAULTY_LINE),
        MESSAGE_NAMES_FAULTY_LINE: error.get(MESSAGE_NAMES_FAULTY_LINE),
        FRAMES_BETWEEN: error.get(FRAMES_BETWEEN),
        TRACEBACK_FRAMES: error.get(TRACEBACK_FRAMES),
        NAMES_SHAPE: error.get(NAMES_SHAPE),
        NAMES_DTYPE: error.get(NAMES_DTYPE),
        NAMES_DEVICE: error.get(NAMES_DEVICE),
        MESSAGE_CHARS: error.get(MESSAGE_CHARS),
        TRACEBACK_LINES: error.get(TRACEBACK_LINES),
        "error_message": (error.get("message") or "")[:300] or None,
        **{f"{name}_step": checks.get(name) for name in SANITY_CHECKS},
        STEPS_RUN: record[STEPS_RUN],
        FINAL_TEST_ACCURACY: record[FINAL_TEST_ACCURACY],
        INSPECT_KIND: inspect.get("kind"),
        INSPECT_PRINT_STEPS: inspect.get("print_steps"),
        "wall_time_s": record["wall_time_s"],
    }


def classify_outcomes(table: pd.DataFrame) -> pd.DataFrame:
    """Add `outcome` (loud / silent_detected / silent_undetected / absorbed / control / n/a) and
    `detected_step` (first step an error or a sanity check revealed the fault)."""
    table = table.copy()
    check_cols = [f"{name}_step" for name in SANITY_CHECKS]
    table["detected_step"] = table[check_cols].apply(pd.to_numeric, errors="coerce").min(axis=1, skipna=True)
    control = table[table["fault"] == CONTROL_FAULT].set_index(["workload", "framework", "mode"])[
        FINAL_TEST_ACCURACY
    ]
    outcomes = []
    for row in table.itertuples(index=False):
        key = (row.workload, row.framework, row.mode)
        if row.status != "ok":
            outcomes.append("not_applicable" if row.status == "not_applicable" else "no_result")
        elif row.fault == CONTROL_FAULT:
            outcomes.append("control")
        elif row.loud:
            outcomes.append("loud")
        elif not pd.isna(row.detected_step):
            outcomes.append("silent_detected")
        elif key in control and row.final_test_accuracy >= control[key] - ABSORBED_MARGIN:
            outcomes.append("absorbed")
        else:
            outcomes.append("silent_undetected")
    table["outcome"] = outcomes
    table.loc[table["outcome"] == "loud", "detected_step"] = table[ERROR_STEP]
    return table


def effort_components(row) -> dict | None:
    """Per-fault effort in [0, 1] for detection, locality and message (0 = no effort)."""
    if row["outcome"] in ("absorbed",):
        return {"detection": 0.0, "locality": 0.0, "message": 0.0}
    if row["outcome"] == "loud":
        relevant = FAULTS[row["fault"]][2]
        names = bool(row[f"names_{relevant}"]) if relevant else bool(row[MESSAGE_CHARS])
        names_line = bool(row[TRACEBACK_NAMES_FAULTY_LINE]) or bool(row[MESSAGE_NAMES_FAULTY_LINE])
        return {"detection": 0.0, "locality": 0.0 if names_line else 1.0, "message": 0.0 if names else 1.0}
    if row["outcome"] == "silent_detected":
        return {"detection": 0.5, "locality": 1.0, "message": 1.0}
    if row["outcome"] == "silent_undetected":
        return {"detection": 1.0, "locality": 1.0, "message": 1.0}
    return None  # control, not applicable, no result


def weighted_effort(components: dict, weights: dict | None = None) -> float | None:
    """100 x the weighted mean of the effort components that are known (None ones left out);
    None when none is known. 0 = no effort, 100 = the most."""
    weights = weights or INDEX_WEIGHTS
    usable = {k: v for k, v in components.items() if v is not None}
    total_w = sum(weights[k] for k in usable)
    return 100 * sum(weights[k] * v for k, v in usable.items()) / total_w if total_w else None


def debug_index(table: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """The debugging-effort index per workload, framework and mode, with its components.

    index = 100 * sum_c w_c * C_c / sum_c w_c over c in (detection, locality, message,
    inspectability); detection/locality/message are means over the applicable faults of the
    per-fault scores of effort_components(); inspectability is INSPECT_SCORE of the control run's
    print probe. 0 = every fault loud, located and explained, prints work every step; 100 = worst.
    """
    weights = weights or INDEX_WEIGHTS
    rows = []
    for (workload, framework, mode), group in table.groupby(["workload", "framework", "mode"]):
        scored = [(r, effort_components(r)) for _, r in group.iterrows()]
        scored = [(r, c) for r, c in scored if c is not None]
        control = group[group["fault"] == CONTROL_FAULT]
        inspect_kind = control[INSPECT_KIND].iloc[0] if len(control) else None
        comp = {
            key: (float(np.mean([c[key] for _, c in scored])) if scored else None)
            for key in ("detection", "locality", "message")
        }
        comp["inspectability"] = INSPECT_SCORE.get(inspect_kind)
        index = weighted_effort(comp, weights)
        outcomes = group["outcome"].value_counts()
        rows.append(
            {
                "workload": workload,
                "framework": framework,
                "mode": mode,
                "effort_index": None if index is None else round(index, 1),
                **{f"{k}_effort": None if v is None else round(v, 3) for k, v in comp.items()},
                INSPECT_KIND: inspect_kind,
                "faults_scored": len(scored),
                **{f"n_{o}": int(outcomes.get(o, 0)) for o in SCORED_OUTCOMES},
                "median_time_to_error_s": _median(group.loc[group["outcome"] == "loud", TIME_TO_ERROR_S]),
            }
        )
    return pd.DataFrame(rows)


def _median(values):
    values = pd.to_numeric(values, errors="coerce").dropna()
    return float(np.median(values)) if len(values) else None


def aggregate_debug(paths, *, rows_csv, index_csv) -> pd.DataFrame:
    """Every fault result -> results/debug.csv (one row per run) and results/debug_index.csv."""
    table = pd.DataFrame([flatten(read_result(p, kind="debug")) for p in sorted(map(str, paths))])
    table = classify_outcomes(table)
    write_csv_atomic(table, rows_csv)
    write_csv_atomic(debug_index(table), index_csv)
    return table
