"""What a long run says about itself (the workflow's onstart and onsuccess/onerror handlers): at the
start, the timed runs still to do by study and framework and the time they are expected to take (the
median time earlier runs of the same variant took on this machine, from Snakemake's benchmark
files); at the end, every timed result by its recorded status, the ones that are not ok named, and
where the report is. A timed job here is a dict with its study, workload, framework, mode and the
paths of its result and benchmark files, relative to the run's root folder."""

import csv
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from fwbench.core.results import STATUSES

NAMED_AT_MOST = 10  # results that are not ok, named one per line at the end (the rest counted)


def variant_of(job: dict) -> tuple:
    return (job["study"], job["workload"], job["framework"], job["mode"])


def benchmark_seconds(path: Path) -> float | None:
    """The wall time Snakemake's benchmark file recorded for a job (its `s` column), if any."""
    try:
        with path.open() as handle:
            row = next(csv.DictReader(handle, delimiter="\t"))
        return float(row["s"])
    except (OSError, StopIteration, KeyError, ValueError):
        return None


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def plan_lines(jobs: list[dict], root: Path) -> list[str]:
    """The timed runs still to do, by study and framework, and their expected time."""
    todo = [job for job in jobs if not (root / job["result"]).exists()]
    if not todo:
        return [f"fwbench: all {len(jobs)} timed runs are done; only what depends on changed inputs runs."]
    by_study = Counter(job["study"] for job in todo)
    by_framework = defaultdict(Counter)
    for job in todo:
        by_framework[job["study"]][job["framework"]] += 1
    kinds = "; ".join(
        f"{study} {count} ({', '.join(f'{fw} {n}' for fw, n in sorted(by_framework[study].items()))})"
        for study, count in sorted(by_study.items())
    )
    earlier = defaultdict(list)
    for job in jobs:
        seconds = benchmark_seconds(root / job["benchmark"])
        if seconds is not None:
            earlier[variant_of(job)].append(seconds)
    known = [statistics.median(earlier[variant_of(job)]) for job in todo if earlier[variant_of(job)]]
    unknown = len(todo) - len(known)
    if known:
        estimate = (
            f"expected about {_minutes(sum(known))} of timed work (earlier runs of the same variants here)"
        )
        if unknown:
            estimate += f", plus {unknown} runs of variants never run here (no estimate)"
    else:
        estimate = "no time estimate yet: no earlier run of these variants on this machine"
    return [f"fwbench: {len(todo)} of {len(jobs)} timed runs to do: {kinds}.", f"fwbench: {estimate}."]


def tally_lines(jobs: list[dict], root: Path, report: str) -> list[str]:
    """Every timed result by status (a job with no result file is 'missing'), the ones not ok named."""
    statuses = {}
    for job in jobs:
        try:
            statuses[job["result"]] = json.loads((root / job["result"]).read_text())["status"]
        except (OSError, ValueError, KeyError):
            statuses[job["result"]] = "missing"
    counts = Counter(statuses.values())
    order = [status for status in (*STATUSES, "missing") if counts[status]]
    lines = [f"fwbench: timed runs by status: {', '.join(f'{status} {counts[status]}' for status in order)}."]
    not_ok = sorted(path for path, status in statuses.items() if status != "ok")
    lines += [f"fwbench:   {statuses[path]}: {path}" for path in not_ok[:NAMED_AT_MOST]]
    if len(not_ok) > NAMED_AT_MOST:
        lines.append(f"fwbench:   ... and {len(not_ok) - NAMED_AT_MOST} more (the report lists them all)")
    where = (
        f"the report: {report}" if (root / report).exists() else f"no report yet ({report} is not written)"
    )
    return [*lines, f"fwbench: {where}."]
