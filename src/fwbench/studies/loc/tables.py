"""The lines-of-code study's table: every loc result file (results/loc/...) -> results/loc.csv, one
row per measured unit (rule aggregate_loc), which claims C8, C9 and C11 and the report read.
"""

import pandas as pd

from fwbench.core.atomic import write_csv_atomic
from fwbench.core.columns import PART, PORT_ADAPTATIONS, PORT_LINES, PORT_TOKENS
from fwbench.core.results import read_result
from fwbench.studies.loc.columns import BASELINE_PATH, REGION, STYLE, TOKENS
from fwbench.studies.loc.run import DIFF_METRICS, METRICS


def flatten(record: dict) -> list[dict]:
    """One loc.csv row per measured unit."""
    out = []
    for row in record["rows"]:
        flat = {"subject": record["subject"], "name": record["name"]}
        flat.update({k: row[k] for k in ("framework", STYLE, PART, "path", REGION, *METRICS)})
        diff = row["diff"] or {}
        flat[BASELINE_PATH] = diff.get(BASELINE_PATH)
        flat.update({key: diff.get(key) for key in DIFF_METRICS})
        port = row["port"] or {}
        flat[PORT_ADAPTATIONS], flat[PORT_LINES] = port.get("adaptations"), port.get("lines")
        flat[PORT_TOKENS] = port.get(TOKENS)
        out.append(flat)
    return out


def aggregate_loc(paths, out_csv) -> pd.DataFrame:
    """Every loc result file -> one tidy table (results/loc.csv), written atomically."""
    rows = [row for path in sorted(map(str, paths)) for row in flatten(read_result(path, kind="loc"))]
    table = pd.DataFrame(rows)
    write_csv_atomic(table, out_csv)
    return table
