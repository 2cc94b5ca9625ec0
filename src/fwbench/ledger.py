"""The claims ledger as data: every registered study's claims, judged from a results folder.

Place in the pipeline: rule `ledger` (workflow/rules/report.smk) runs it after aggregation and
writes results/ledger.json (schema workflow/schemas/ledger.schema.json) and a flat
results/ledger.csv; the report reads the file and never judges a claim itself. dvc.yaml declares
the JSON as metrics, so `dvc metrics diff` shows which verdicts changed between two commits.

    python -m fwbench.ledger RESULTS_DIR [--out LEDGER.json] [--csv LEDGER.csv]

prints the ledger of any results folder (made-up tables included) and writes it where asked.
"""

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from fwbench.core.atomic import write_csv_atomic
from fwbench.core.columns import STEADY
from fwbench.core.provenance import code_version
from fwbench.core.results import read_result, schema_version, write_result
from fwbench.studies import REGISTRY
from fwbench.studies.verdict import ARTICLE, BEYOND, GENERAL_RULES, Claim
from fwbench.studies.verdict import THRESHOLDS as SHARED_THRESHOLDS

KIND = "ledger"
UNSOURCED_FIGURES = [
    "Market shares of PyTorch and TensorFlow (in research papers, in industry, in production deployments)",
    "Survey percentages (developer preference, adoption, satisfaction)",
    "Job-market and community-size figures (postings, repositories, downloads)",
]
ROW_COLUMNS = [
    "claim",
    "group",
    "study",
    "text",
    "verdict",
    "effect",
    "evidence",
    "rule",
    "ratio",
    "ci_low",
    "ci_high",
    "threshold",
    "n",
    "strata_used",
    "strata_missing",
    "verdict_steady_only",
]


class Tables:
    """The aggregated tables of a results folder, by the names the registry gives them; a table
    whose file is absent or empty is None (its study did not run), but `summary` (the speed
    study's runs) is always a table, empty when there are no runs."""

    def __init__(self, **tables):
        self._tables = tables

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._tables.get(name)


def _read_table(path: Path):
    if not path.exists():
        return None
    if path.suffix == ".json":
        return read_result(path, kind=path.stem)
    try:
        return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        return None


def load_tables(results_dir) -> Tables:
    results_dir = Path(results_dir)
    tables = {
        name: _read_table(results_dir / filename)
        for study in REGISTRY.values()
        for name, filename in study.tables.items()
    }
    if tables.get("summary") is None:
        tables["summary"] = pd.DataFrame(columns=["run_id", "workload", "framework", "mode", "status"])
    return Tables(**tables)


def _claim_order(item: tuple[str, Claim]) -> tuple:
    _, claim = item
    number = int(claim.id[1:]) if claim.group == ARTICLE else 0
    return (claim.group != ARTICLE, number)


def claims() -> list[tuple[str, Claim]]:
    """(study, claim) of every registered study's claims.py: the article's C1-C13 by number, then
    the questions beyond the article in their studies' order."""
    found = [
        (study.name, claim)
        for study in REGISTRY.values()
        if (module := study.module("claims")) is not None
        for claim in module.CLAIMS
    ]
    return sorted(found, key=_claim_order)


def thresholds() -> dict:
    """Every threshold a rule reads, by name: the shared ones and each study's."""
    found = list(SHARED_THRESHOLDS)
    for study in REGISTRY.values():
        module = study.module("claims")
        found += getattr(module, "THRESHOLDS", ()) if module else ()
    return {threshold.name: threshold for threshold in found}


def _finite(value):
    """JSON has no NaN or infinity: a missing figure is null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _finite(value.item())
    return value


def _clean(record):
    if isinstance(record, dict):
        return {key: _clean(value) for key, value in record.items()}
    if isinstance(record, list | tuple):
        return [_clean(value) for value in record]
    return _finite(record)


def steady_only(tables: Tables) -> tuple[Tables | None, int]:
    """The tables with only the runs that reached a steady state, and how many runs that leaves out;
    (None, 0) when every run was steady or no run recorded it."""
    summary = tables.summary
    if STEADY not in summary or summary.empty:
        return None, 0
    steady = summary[STEADY].astype(str).str.lower().eq("true")
    if steady.all():
        return None, 0
    return Tables(**{**tables._tables, "summary": summary[steady]}), int((~steady).sum())


def judge(tables: Tables) -> dict:
    """{claim id: its ledger entry} for every claim of every registered study, each with its
    verdict on steady runs only beside it (general rule: unsteady runs are kept, and shown apart)."""
    entries = {}
    steady_tables, unsteady = steady_only(tables)
    for study, claim in claims():
        verdict = claim.judge(tables)
        sensitivity = claim.judge(steady_tables) if steady_tables is not None else None
        ratio, low, high = verdict.interval or (None, None, None)
        entries[claim.id] = {
            "group": claim.group,
            "study": study,
            "text": claim.text,
            "rule": claim.rule,
            "evidence": claim.evidence,
            "thresholds": list(claim.thresholds),
            "verdict": verdict.verdict,
            "effect": verdict.effect,
            "ratio": ratio,
            "ci_low": low,
            "ci_high": high,
            "threshold": verdict.threshold,
            "n": verdict.n,
            "strata": verdict.strata,
            "missing": verdict.missing,
            "steady_only": None
            if sensitivity is None
            else {"verdict": sensitivity.verdict, "effect": sensitivity.effect, "runs_left_out": unsteady},
        }
    return _clean(entries)


def ledger_record(results_dir) -> dict:
    """The ledger of a results folder, in the schema of workflow/schemas/ledger.schema.json."""
    return {
        "schema_version": schema_version(KIND),
        "provenance": code_version(),
        "general_rules": GENERAL_RULES,
        "thresholds": _clean({name: t.record() for name, t in thresholds().items()}),
        "claims": judge(load_tables(results_dir)),
        "unmeasurable": UNSOURCED_FIGURES,
    }


def _in_claim_order(record: dict) -> list[tuple[str, dict]]:
    """The record's claims in the ledger's order (JSON objects carry no order once sorted)."""
    position = {claim.id: index for index, (_, claim) in enumerate(claims())}
    return sorted(record["claims"].items(), key=lambda item: (position.get(item[0], len(position)), item[0]))


def rows(record: dict, group: str | None = None) -> pd.DataFrame:
    """The ledger's claims as a flat table (ROW_COLUMNS) in claim order, optionally of one group
    (article, beyond)."""
    table = [
        {
            "claim": claim_id,
            **{key: entry[key] for key in ROW_COLUMNS if key in entry},
            "strata_used": len(entry["strata"]),
            "strata_missing": "; ".join(entry["missing"]),
            "verdict_steady_only": (entry.get("steady_only") or {}).get("verdict"),
        }
        for claim_id, entry in _in_claim_order(record)
        if group is None or entry["group"] == group
    ]
    return pd.DataFrame(table, columns=ROW_COLUMNS)


def strata(record: dict, group: str = BEYOND) -> pd.DataFrame:
    """Every stratum of the ratio comparisons of one group: where, what, the ratio and its interval."""
    table = [
        {
            "comparison": claim_id,
            "device": stratum["device"],
            "workload": stratum["workload"],
            "ratio": f"{stratum['metric']}, {stratum['comparison']}",
            "value": stratum["ratio"],
            "ci_low": stratum["ci_low"],
            "ci_high": stratum["ci_high"],
        }
        for claim_id, entry in _in_claim_order(record)
        if entry["group"] == group
        for stratum in entry["strata"]
        if "ratio" in stratum and "device" in stratum
    ]
    return pd.DataFrame(
        table, columns=["comparison", "device", "workload", "ratio", "value", "ci_low", "ci_high"]
    )


def write(results_dir, json_path, csv_path=None) -> dict:
    record = ledger_record(results_dir)
    write_result(json_path, record, kind=KIND)
    if csv_path is not None:
        write_csv_atomic(rows(record), csv_path)
    return record


def read(path) -> dict:
    return read_result(path, kind=KIND)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Judge every claim from a results folder's tables.")
    parser.add_argument("results_dir")
    parser.add_argument("--out", help="write the ledger (JSON, schema ledger) here")
    parser.add_argument("--csv", help="write the flat ledger (one row per claim) here")
    args = parser.parse_args(argv)
    if not Path(args.results_dir).is_dir():
        print(f"fwbench.ledger: {args.results_dir} is not a folder", file=sys.stderr)
        return 2
    record = write(args.results_dir, args.out, args.csv) if args.out else ledger_record(args.results_dir)
    if args.csv and not args.out:
        write_csv_atomic(rows(record), args.csv)
    with pd.option_context("display.max_colwidth", 90, "display.width", 200):
        print(
            rows(record)[["claim", "verdict", "ratio", "ci_low", "ci_high", "effect"]].to_string(index=False)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
