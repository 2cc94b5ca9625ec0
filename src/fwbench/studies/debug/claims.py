"""The debugging study's claim: debugging is easier in PyTorch, and TF's graph-mode quirks still
appear (C7). Its rule and threshold are stated here before the data; fwbench.ledger applies it to
results/debug.csv.
"""

import numpy as np
import pandas as pd

from fwbench.core.stats import signed_rank_p
from fwbench.studies.debug.columns import INSPECT_KIND
from fwbench.studies.debug.tables import INSPECT_SCORE, effort_components, weighted_effort
from fwbench.studies.verdict import INCONCLUSIVE, SET_C7, Claim, Threshold, Verdict, by_signed_rank

MIN_PAIRS = 6  # C7: (workload, fault) pairs; with fewer, a signed-rank test can never reach p < 0.05
THRESHOLDS = (
    Threshold(
        "MIN_PAIRS", MIN_PAIRS, "C7: (workload, fault) pairs before the signed-rank test counts", SET_C7
    ),
)


def fault_efforts(debug: pd.DataFrame) -> pd.DataFrame:
    """Per (workload, fault, framework) of the fault-injection runs (debug.csv): the effort (0-100)
    of fwbench.studies.debug.tables's per-fault components (detection, locality, message) and the
    inspectability of the mode, weighted as in the index. A fault that behaves differently in the
    framework's modes is a quirk: a mode that absorbed it is scored as silent and undetected (code
    that works in one mode and not another is what "graph-mode quirks" means), and the fault's
    effort is its worst mode's; otherwise the mean over modes. Controls are left out."""
    control = debug[debug["fault"].eq("none")]
    inspect = {
        (r.workload, r.framework, r.mode): INSPECT_SCORE.get(getattr(r, INSPECT_KIND, None))
        for r in control.itertuples()
    }
    rows = []
    for (workload, fault, framework), group in debug[debug["fault"].ne("none")].groupby(
        ["workload", "fault", "framework"]
    ):
        outcomes = set(group["outcome"]) - {"not_applicable", "no_result"}
        quirk = len(outcomes) > 1
        efforts = []
        for _, run in group.iterrows():
            if quirk and run["outcome"] == "absorbed":
                run = run.copy()
                run["outcome"] = "silent_undetected"
            components = effort_components(run)
            if components is not None:
                components["inspectability"] = inspect.get((workload, framework, run["mode"]))
                efforts.append(weighted_effort(components))
        if efforts:
            effort = max(efforts) if quirk else float(np.mean(efforts))
            rows.append(
                {
                    "workload": workload,
                    "fault": fault,
                    "framework": framework,
                    "effort": effort,
                    "quirk": quirk,
                }
            )
    return pd.DataFrame(rows, columns=["workload", "fault", "framework", "effort", "quirk"])


def c7(tables) -> Verdict:
    """Paired by (workload, fault): TF - PyTorch effort, with the Wilcoxon signed-rank test."""
    debug = tables.debug
    if debug is None or debug.empty or "outcome" not in debug:
        return Verdict(INCONCLUSIVE, "no fault-injection results in this run")
    efforts = fault_efforts(debug)
    per_pair = efforts.pivot_table(index=["workload", "fault"], columns="framework", values="effort")
    paired = (
        (per_pair["tf"] - per_pair["torch"]).dropna() if {"tf", "torch"} <= set(per_pair) else pd.Series()
    )
    strata = [
        {"workload": workload, "fault": fault, "metric": "debugging effort", "difference": float(value)}
        for (workload, fault), value in paired.items()
    ]
    if len(paired) < MIN_PAIRS:
        measured = f"{len(paired)} (workload, fault) pairs measured in both frameworks"
        return Verdict(
            INCONCLUSIVE, f"{measured} (at least {MIN_PAIRS} needed)", strata=strata, n=len(paired)
        )
    p_value = signed_rank_p(paired)
    diff = float(paired.mean())
    quirks = efforts[efforts["quirk"]]
    more, less = int((paired > 0).sum()), int((paired < 0).sum())
    text = (
        f"debugging effort (0-100, per workload and fault; detection, locality, message and "
        f"inspectability) TF - PyTorch {diff:+.1f} points on average; TF more in {more}, less in {less}, "
        f"equal in {len(paired) - more - less} of {len(paired)} (workload, fault) pairs; Wilcoxon "
        f"signed-rank test (two-sided) p = {p_value:.3g}"
    )
    if len(quirks):
        listed = ", ".join(f"{r.framework} {r.fault} ({r.workload})" for r in quirks.itertuples())
        text += f"; behaves differently by mode (quirks, scored at their worst mode): {listed}"
    return Verdict(by_signed_rank(p_value, diff > 0), text, strata=strata, n=len(paired))


CLAIMS = (
    Claim(
        "C7",
        "Debugging is easier in PyTorch; TF graph-mode quirks still appear",
        "Debugging effort per (workload, fault) (0-100: detection, locality, message and the mode's "
        "inspectability; a fault that behaves differently by mode is a quirk, scored at its worst mode, "
        "and a mode that absorbed it counts as silent), paired by (workload, fault): difference "
        f"TF - PyTorch; supported if the Wilcoxon signed-rank test (two-sided, 5 %, at least {MIN_PAIRS} "
        "pairs) finds TF harder, refuted if it finds TF easier, else inconclusive.",
        "sec-debugging",
        c7,
        thresholds=("MIN_PAIRS", "CONFIDENCE"),
    ),
)
