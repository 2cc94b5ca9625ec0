"""The quality study's question beyond the article: do Keras on JAX and native PyTorch reach the same
accuracy (B2-accuracy)? Its rule and threshold are stated here, before the data; fwbench.ledger
applies it to results/quality.csv.
"""

import numpy as np
import pandas as pd

from fwbench.core.columns import PUBLISHED_RECIPE, TEST_ACCURACY
from fwbench.core.stats import difference_interval
from fwbench.studies.verdict import (
    BEYOND,
    EQUIVALENCE_LEVEL,
    INCONCLUSIVE,
    REFUTED,
    SET_C7,
    SUPPORTED,
    Claim,
    Threshold,
    Verdict,
    equivalent,
)

# Accuracy of two frameworks (the report's accuracy headline, and B2-accuracy): equivalent when the
# 90 % interval of the difference of mean test accuracies (two one-sided tests at 5 %) lies within
# +-ACCURACY_MARGIN_PTS points, fixed in advance (the tolerance this study allows for reproducing a
# published accuracy).
ACCURACY_MARGIN_PTS = 2.0
ACCURACY_READINGS = ("equivalent", "different", "undecided")
THRESHOLDS = (
    Threshold(
        "ACCURACY_MARGIN_PTS",
        ACCURACY_MARGIN_PTS,
        "headline, B2-accuracy: accuracy difference that counts as equal",
        SET_C7,
    ),
)


def converged_only(quality: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The quality runs that trained their workload's published recipe (accuracy at convergence),
    and the workloads left out because they ran a shorter recipe (accuracy at equal steps only,
    which no accuracy claim reads)."""
    published = quality[PUBLISHED_RECIPE].fillna(False).astype(bool) if PUBLISHED_RECIPE in quality else None
    if published is None:
        return quality.iloc[0:0], sorted(quality["workload"].unique()) if "workload" in quality else []
    return quality[published], sorted(set(quality.loc[~published, "workload"]))


def accuracy_equivalence(quality: pd.DataFrame, pair: tuple[str, str] = ("tf", "torch")) -> pd.DataFrame:
    """Per workload (quality-study runs with status ok, at the published recipe: converged_only):
    the difference pair[0] - pair[1] (TF - PyTorch by default) of the mean test accuracy in points,
    its 90 % Welch interval, and the reading: equivalent (inside the margin), different (entirely
    outside), or undecided."""
    rows = []
    quality = converged_only(quality)[0]
    ok = quality[quality["status"].eq("ok")] if "status" in quality else quality
    for workload, group in ok.groupby("workload"):
        sides = [
            100 * pd.to_numeric(group.loc[group["framework"].eq(fw), TEST_ACCURACY], errors="coerce")
            for fw in pair
        ]
        diff, low, high = difference_interval(*sides, level=EQUIVALENCE_LEVEL)
        verdict = (
            equivalent(low, high, ACCURACY_MARGIN_PTS, additive=True) if np.isfinite(low) else INCONCLUSIVE
        )
        reading = dict(zip((SUPPORTED, REFUTED, INCONCLUSIVE), ACCURACY_READINGS, strict=True))[verdict]
        rows.append(
            {"workload": workload, "difference_pts": diff, "ci_low": low, "ci_high": high, "reading": reading}
        )
    return pd.DataFrame(rows, columns=["workload", "difference_pts", "ci_low", "ci_high", "reading"])


def b2_accuracy(tables) -> Verdict:
    quality = tables.quality
    if quality is None or quality.empty or TEST_ACCURACY not in quality:
        return Verdict(INCONCLUSIVE, "no quality-study runs")
    tested = accuracy_equivalence(quality, ("jax", "torch")).dropna(subset=["difference_pts"])
    short = converged_only(quality)[1]
    lost = (
        "; not compared (a recipe shorter than the published one: accuracy at equal steps): "
        + ", ".join(short)
        if short
        else ""
    )
    if tested.empty:
        return Verdict(INCONCLUSIVE, f"no workload with published-recipe quality runs in both{lost}")
    readings = dict(zip(ACCURACY_READINGS, (SUPPORTED, REFUTED, INCONCLUSIVE), strict=True))
    per_workload = tested["reading"].map(readings)
    verdict = (
        REFUTED
        if per_workload.eq(REFUTED).any()
        else SUPPORTED
        if per_workload.eq(SUPPORTED).all()
        else INCONCLUSIVE
    )
    listed = ", ".join(
        f"{r.workload} {r.difference_pts:+.1f} ({r.ci_low:+.1f} to {r.ci_high:+.1f}, {r.reading})"
        for r in tested.itertuples()
    )
    text = (
        f"test accuracy JAX - PyTorch at the published recipes, points ({EQUIVALENCE_LEVEL:.0%} CI): "
        f"{listed}{lost}"
    )
    strata = [
        {
            "workload": r.workload,
            "metric": "test accuracy (points)",
            "comparison": "JAX - PyTorch",
            "difference": r.difference_pts,
            "ci_low": r.ci_low,
            "ci_high": r.ci_high,
            "reading": r.reading,
        }
        for r in tested.itertuples()
    ]
    return Verdict(verdict, text, strata=strata)


CLAIMS = (
    Claim(
        "B2-accuracy",
        "B2: Keras on JAX and native PyTorch reach the same accuracy",
        "Quality-study runs at the workload's published recipe (the MNIST-1D workloads in the default run; "
        "a shorter recipe compares equal steps, not convergence, and is named as not compared): per "
        "workload the difference JAX - PyTorch of the mean test accuracy "
        f"with its {EQUIVALENCE_LEVEL:.0%} interval; supported if every workload is within "
        f"±{ACCURACY_MARGIN_PTS:g} points, refuted if any lies entirely outside, else inconclusive.",
        "sec-jax",
        b2_accuracy,
        BEYOND,
        ("ACCURACY_MARGIN_PTS", "EQUIVALENCE_LEVEL"),
    ),
)
