"""The quality study's tables, from results/quality.csv (the runs of each workload's training recipe),
results/curves.csv and results/baselines.csv: accuracy per variant beside the published reference,
the accuracy gap between the frameworks, time to the target accuracy (MLPerf's rule) and the
trivial baselines each target must beat.
"""

from pathlib import Path

import pandas as pd

from fwbench.core.columns import (
    BASELINE_ACCURACY,
    BIGRAM_ACCURACY,
    MAJORITY_ACCURACY,
    REFERENCE_ACCURACY,
    TARGET_ACCURACY,
    TEST_ACCURACY,
    TIME_TO_ACCURACY,
)
from fwbench.core.stats import time_to_accuracy_mlperf
from fwbench.core.tables import read_csv_or_none
from fwbench.frameworks import DISPLAY_NAMES
from fwbench.runs.tables import ok_runs


def baselines_table(results_dir) -> pd.DataFrame:
    """results/baselines.csv in percent, with whether each target lies above its baseline; None
    when the file is absent (a result set from before the rule existed)."""
    table = read_csv_or_none(Path(results_dir) / "baselines.csv")
    if table is None:
        return None
    percent = [MAJORITY_ACCURACY, BIGRAM_ACCURACY, BASELINE_ACCURACY, TARGET_ACCURACY]
    table[percent] = (table[percent] * 100).round(1)
    table["target above baseline"] = table[TARGET_ACCURACY] > table[BASELINE_ACCURACY]
    return table.rename(
        columns={
            MAJORITY_ACCURACY: "majority class",
            BIGRAM_ACCURACY: "bigram counter",
            BASELINE_ACCURACY: "baseline (best)",
            TARGET_ACCURACY: "target",
        }
    )


def accuracy_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Test accuracy (%) per workload and variant: mean, sd, n, beside the published reference."""
    ok = ok_runs(summary)
    table = ok.groupby(["workload", "variant"]).agg(
        accuracy_mean=(TEST_ACCURACY, "mean"),
        accuracy_sd=(TEST_ACCURACY, "std"),
        n=(TEST_ACCURACY, "size"),
        reference=(REFERENCE_ACCURACY, "first"),
    )
    table[["accuracy_mean", "accuracy_sd", "reference"]] *= 100
    table["minus_reference_pts"] = table["accuracy_mean"] - table["reference"]
    return table.round(2).reset_index()


def framework_accuracy_gap(summary: pd.DataFrame) -> pd.DataFrame:
    """Per workload: mean accuracy (%) of each framework over all its modes, and the gap in points."""
    ok = ok_runs(summary)
    means = ok.groupby(["workload", "framework"])[TEST_ACCURACY].mean().unstack("framework") * 100
    for framework in DISPLAY_NAMES:
        if framework not in means:
            means[framework] = float("nan")
    means["gap_pts"] = (means["torch"] - means["tf"]).abs()
    return means.round(2).reset_index()


def time_to_accuracy_table(summary: pd.DataFrame) -> pd.DataFrame:
    """MLPerf-style time to the target accuracy per workload and variant (see
    fwbench.core.stats.time_to_accuracy_mlperf): over the runs that finished and those that diverged
    (a diverged run never reached the target: a non-converging run, as MLPerf counts it); failed
    runs are listed with the failures. `eval_every`: the steps between evaluations, the quantum
    of the measurement (a run is found at the target only at an evaluation)."""
    rows = []
    finished = summary[summary["status"].isin(["ok", "diverged"])] if len(summary) else summary
    for (workload, variant), runs in finished.groupby(["workload", "variant"]):
        times = runs[TIME_TO_ACCURACY].where(runs["status"].eq("ok"))
        tta = time_to_accuracy_mlperf(times.tolist())
        quantum = runs["eval_every"].dropna().unique() if "eval_every" in runs else []
        rows.append(
            {
                "workload": workload,
                "variant": variant,
                "runs": len(runs),
                **tta,
                "eval_every": int(quantum[0]) if len(quantum) == 1 else None,
            }
        )
    return pd.DataFrame(rows)
