"""The aggregated run tables read back (results/summary.csv, quality.csv, curves.csv), each run
labelled with its variant (framework and mode in words) and its device, for the studies' tables,
their report sections and the report's run lists; runs of one workload trained on different data
are refused, never compared.
"""

from pathlib import Path

import pandas as pd

from fwbench.core.labels import device_label
from fwbench.frameworks import DISPLAY_NAMES


def _runs_csv(path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (FileNotFoundError, pd.errors.EmptyDataError):  # no runs: an empty table, shown as such
        return pd.DataFrame(columns=["run_id", "study", "workload", "framework", "mode", "status"])


def load(results_dir) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(speed-study runs, quality-study runs, learning curves), each with a `variant` label."""
    results_dir = Path(results_dir)
    summary, quality = _runs_csv(results_dir / "summary.csv"), _runs_csv(results_dir / "quality.csv")
    curves = pd.read_csv(results_dir / "curves.csv")
    for frame in (summary, quality, curves):  # empty too: a study that did not run has the column
        frame["variant"] = frame["framework"].map(DISPLAY_NAMES) + " " + frame["mode"]
    for frame in (summary, quality):
        frame["device"] = device_label(frame)
    check_same_data(all_runs(summary, quality))
    return summary, quality, curves


def all_runs(summary: pd.DataFrame, quality: pd.DataFrame) -> pd.DataFrame:
    """The runs of both studies in one table (status, failures, provenance)."""
    frames = [frame for frame in (summary, quality) if len(frame)]
    return pd.concat(frames, ignore_index=True) if frames else summary


class DataMismatch(ValueError):
    """Runs of one workload were trained on different data; their results are not comparable."""


def check_same_data(summary: pd.DataFrame) -> None:
    """Refuse (DataMismatch) to compare runs of a workload whose data sets' SHA-256 differ, e.g.
    results merged from two machines that generated different data."""
    if summary.empty or "data_sha256" not in summary:
        return
    hashes = summary.dropna(subset=["data_sha256"]).groupby("workload")["data_sha256"].unique()
    mixed = {workload: sorted(found) for workload, found in hashes.items() if len(found) > 1}
    if mixed:
        listed = "; ".join(f"{w}: {', '.join(str(h)[:12] for h in found)}" for w, found in mixed.items())
        raise DataMismatch(
            f"refusing to compare results trained on different data (data_sha256 differs: {listed}). "
            "Give every machine the same data/generated (dvc pull), re-run the runs whose data "
            "differ, and aggregate again."
        )


def ok_runs(summary: pd.DataFrame) -> pd.DataFrame:
    return summary[summary["status"] == "ok"] if len(summary) else summary
