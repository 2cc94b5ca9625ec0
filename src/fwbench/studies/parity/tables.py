"""The parity study's table: one row per parity result file (results/parity/<workload>/<framework>.json)
-> results/parity.csv (rule aggregate_parity), which the runs' `parity_passed` flag
(fwbench.runs.aggregate.add_parity), claim C11 and the report's parity section read.
"""

import pandas as pd

from fwbench.core.atomic import write_csv_atomic
from fwbench.core.columns import COMPILED_MODES_DIFFER, COMPILED_MODES_MATCH, COMPILED_MODES_UNCHECKED
from fwbench.core.results import read_result

PARITY_COLUMNS = [
    "workload",
    "reference",
    "framework",
    "status",
    "passed",
    "param_count_torch",
    "param_count_other",
    "shapes_match",
    "init_std_max_deviation",
    "max_abs_output_diff",
    "max_abs_roundtrip_diff",
    "max_abs_train_output_diff",
    "max_rel_gradient_gap",
    "adam_epsilon_effect_median",
    "max_rel_loss_gap",
    "loss_rtol",
    "outputs_after_steps_rel_diff",
    "compiled_modes_match",
    "compiled_max_rel_diff",
    "compiled_modes_checked",
    COMPILED_MODES_DIFFER,
    COMPILED_MODES_MATCH,
    COMPILED_MODES_UNCHECKED,
    "output_atol",
    "output_rtol",
    "tolerance_reason",
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
                "output_atol": tolerances["output_atol"],
                "output_rtol": tolerances["output_rtol"],
                "adam_epsilon_effect_median": (checks.get("adam_epsilon_effect_step1") or {}).get("median"),
                "tolerance_reason": record["tolerance_reason"],
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
    gaps = [max(e["max_rel_loss_gap"], e["outputs_after_steps_rel_diff"]) for e in ok]
    return {
        "compiled_modes_match": all(e["matches"] for e in ok) if ok else None,
        "compiled_max_rel_diff": max(gaps, default=None),
        "compiled_modes_checked": ", ".join(map(_compiled_reading, entries)) or None,
        COMPILED_MODES_DIFFER: "; ".join(f"{e['framework']} {e['mode']}" for e in ok if not e["matches"])
        or None,
        COMPILED_MODES_UNCHECKED: "; ".join(
            f"{e['framework']} {e['mode']}" for e in entries if e["status"] != "ok"
        )
        or None,
    }


def aggregate_parity(parity_paths, parity_csv) -> None:
    write_csv_atomic(parity_table(parity_paths), parity_csv)
