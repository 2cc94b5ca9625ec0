"""What a run cost, and what each part of it fed: Snakemake's benchmark files (every rule writes one,
results/benchmarks/<rule file>/<rule>[/<wildcards>].tsv) summed per job family (study, rule,
framework, mode), beside the claims of the family's study and its report section, so a family that
feeds nothing shows."""

from pathlib import Path

import pandas as pd

from fwbench.core.progress import benchmark_seconds
from fwbench.frameworks import DISPLAY_NAMES, FRAMEWORKS
from fwbench.studies import REGISTRY

BENCHMARKS = "benchmarks"  # under the results folder
SHARED = "shared: every study's data, tables, ledger and report"
COLUMNS = ["study", "rule", "framework", "mode", "processes", "wall_time_min", "share", "feeds"]


def family_of(relative: Path) -> dict:
    """A benchmark file's family from its path under results/benchmarks/: the rule file (a study's,
    or a shared one), the rule, and the framework and mode where its name starts with them."""
    parts = relative.with_suffix("").parts
    name_parts = parts[-1].split("-")
    framework = name_parts[0] if len(parts) > 2 and name_parts[0] in FRAMEWORKS else None
    mode = name_parts[1] if framework and len(name_parts) > 1 else None
    return {"study": parts[0], "rule": parts[1], "framework": framework, "mode": mode}


def feeds(study: str) -> str:
    """The claims of a study and its report section; the shared rule files feed every study."""
    if study not in REGISTRY:
        return SHARED
    module = REGISTRY[study].module("claims")
    claims = [claim.id for claim in module.CLAIMS] if module else []
    return "; ".join(filter(None, [", ".join(claims), f"section {REGISTRY[study].title}"]))


def cost_table(results_dir) -> pd.DataFrame:
    """One row per job family: its processes, their summed wall time (minutes), its share of the
    run's total, and what it feeds; the costliest first. Empty without benchmark files."""
    root = Path(results_dir) / BENCHMARKS
    rows = []
    for path in sorted(root.rglob("*.tsv")):
        seconds = benchmark_seconds(path)
        if seconds is not None:
            rows.append({**family_of(path.relative_to(root)), "seconds": seconds})
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    jobs = pd.DataFrame(rows).fillna({"framework": "", "mode": ""})
    table = (
        jobs.groupby(["study", "rule", "framework", "mode"])
        .agg(processes=("seconds", "size"), seconds=("seconds", "sum"))
        .reset_index()
    )
    table["wall_time_min"] = table["seconds"] / 60
    table["share"] = table["seconds"] / table["seconds"].sum()
    table["feeds"] = table["study"].map(feeds)
    table["framework"] = table["framework"].map(lambda fw: DISPLAY_NAMES.get(fw, fw))
    return table.sort_values("seconds", ascending=False)[COLUMNS].round({"wall_time_min": 2, "share": 3})
