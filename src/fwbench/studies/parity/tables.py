"""The parity study's table: one row per parity result file (results/parity/<workload>/<framework>.json)
-> results/parity.csv (rule aggregate_parity), which the runs' `parity_passed` flag
(fwbench.runs.aggregate.add_parity), claim C11 and the report's parity section read.
"""

import pandas as pd

from fwbench.core.atomic import write_csv_atomic
from fwbench.core.columns import COMPILED_MODES_DIFFER, COMPILED_MODES_MATCH, COMPILED_MODES_UNCHECKED
from fwbench.core.results import read_result
from fwbench.studies.parity.columns import (
    ADAM_EPSILON_EFFECT_MEDIAN,
    COMPILED_MAX_REL_DIFF,
    COMPILED_MODES_CHECKED,
    INIT_STD_MAX_DEVIATION,
    LOSS_RTOL_COLUMN,
    MAX_ABS_OUTPUT_DIFF,
    MAX_ABS_ROUNDTRIP_DIFF,
    MAX_ABS_TRAIN_OUTPUT_DIFF,
    MAX_REL_GRADIENT_GAP,
    MAX_REL_LOSS_GAP,
    OUTPUT_ATOL_COLUMN,
    OUTPUT_RTOL_COLUMN,
    OUTPUTS_AFTER_STEPS_REL_DIFF,
    PARAM_COUNT_OTHER,
    PARAM_COUNT_TORCH,
    SHAPES_MATCH,
    TOLERANCE_REASON,
)

PARITY_COLUMNS = [
    "workload",
    "reference",
    "framework",
    "status",
    "passed",
    PARAM_COUNT_TORCH,
    PARAM_COUNT_OTHER,
    SHAPES_MATCH,
    INIT_STD_MAX_DEVIATION,
    MAX_ABS_OUTPUT_DIFF,
    MAX_ABS_ROUNDTRIP_DIFF,
    MAX_ABS_TRAIN_OUTPUT_DIFF,
    MAX_REL_GRADIENT_GAP,
    ADAM_EPSILON_EFFECT_MEDIAN,
    MAX_REL_LOSS_GAP,
    LOSS_RTOL_COLUMN,
    OUTPUTS_AFTER_STEPS_REL_DIFF,
    "compiled_modes_match",
    COMPILED_MAX_REL_DIFF,
    COMPILED_MODES_CHECKED,
    COMPILED_MODES_DIFFER,
    COMPILED_MODES_MATCH,
    COMPILED_MODES_UNCHECKED,
    OUTPUT_ATOL_COLUMN,
    OUTPUT_RTOL_COLUMN,
    TOLERANCE_REASON,
    "error_message",
]


def parity_table(parity_paths) -> pd.DataFrame:
    """One row per parity result file (results/parity/<workload>/<framework>.json)."""
    rows = []
    for path in sorted(map(str, parity_paths)):
        record = read_result(path, kind="parity")
        checks, tolerances = record["checks"] or {}, record["tolerances"]
        rows.append(
            {
                **{key: checks.get(key) for key in PARITY_COLUMNS if key in checks},
                "workload": record["workload"],
                "reference": record["reference"],
                "framework": record["framework"],
                "status": record["status"],
                "passed": record["passed"],
                OUTPUT_ATOL_COLUMN: tolerances[OUTPUT_ATOL_COLUMN],
                OUTPUT_RTOL_COLUMN: tolerances[OUTPUT_RTOL_COLUMN],
                ADAM_EPSILON_EFFECT_MEDIAN: (checks.get("adam_epsilon_effect_step1") or {}).get("median"),
                TOLERANCE_REASON: record[TOLERANCE_REASON],
                "error_message": (record["error"] or {}).get("message"),
                **_compiled_columns(record.get("compiled_modes") or []),
            }
        )
    return pd.DataFrame(rows, columns=PARITY_COLUMNS)


def _compiled_reading(entry: dict) -> str:
    if entry["status"] != "ok":  # the check itself could not run: neither passed nor failed
        return f"{entry['framework']} {entry['mode']} (check could not run: {(entry['error'] or '')[:120]})"
    return f"{entry['framework']} {entry['mode']}" + ("" if entry["matches"] else " (differs)")


def _compiled_columns(entries: list) -> dict:
    """Whether every compiled mode whose check ran computed what eager does, the largest gap, which
    were checked, and the modes that differ (their runs are another computation, left out of every
    comparison: fwbench.runs.aggregate.add_parity)."""
    ok = [e for e in entries if e["status"] == "ok"]
    gaps = [max(e[MAX_REL_LOSS_GAP], e[OUTPUTS_AFTER_STEPS_REL_DIFF]) for e in ok]
    return {
        "compiled_modes_match": all(e["matches"] for e in ok) if ok else None,
        COMPILED_MAX_REL_DIFF: max(gaps, default=None),
        COMPILED_MODES_CHECKED: ", ".join(map(_compiled_reading, entries)) or None,
        COMPILED_MODES_DIFFER: "; ".join(f"{e['framework']} {e['mode']}" for e in ok if not e["matches"])
        or None,
        COMPILED_MODES_UNCHECKED: "; ".join(
            f"{e['framework']} {e['mode']}" for e in entries if e["status"] != "ok"
        )
        or None,
    }


def aggregate_parity(parity_paths, parity_csv) -> None:
    write_csv_atomic(parity_table(parity_paths), parity_csv)
