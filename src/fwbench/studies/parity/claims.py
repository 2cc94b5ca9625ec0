"""The parity study's claim: switching between the frameworks is easier now (C11). Its rule and
thresholds are stated here before the data; fwbench.ledger applies it to results/parity.csv and the
port adaptations counted by the lines-of-code study (results/loc.csv).
"""

import pandas as pd

from fwbench.core.columns import PARITY_PASSED, PART, PORT_ADAPTATIONS, PORT_LINES, SLOC
from fwbench.studies.verdict import (
    ARTICLE_FRAMEWORKS,
    INCONCLUSIVE,
    REFUTED,
    SET_C11,
    SET_C11_LINES,
    SUPPORTED,
    Claim,
    Threshold,
    Verdict,
    column,
)

# C11: what a port costs is the share of a model's lines that exist only because the other
# framework's conventions differ (lines marked '# port: KIND' on both sides: weight-layout groups,
# padding or permute fixes, convention constants, initialisation set to the other's default), over
# the model files' lines on both sides. Set 2026-12-03 in lines (the rule before counted kinds of fix
# on the Keras side only and could be refuted only at all four kinds that existed); its verdict is
# shown beside, as `kinds rule`.
EASY_PORT_SHARE = 0.10  # median share at most this, every port passing parity: supported
HARD_PORT_SHARE = 0.25  # median share at least this: refuted
EARLIER_EASY_PORT_ADAPTATIONS, EARLIER_HARD_PORT_ADAPTATIONS = 2, 4  # the kinds rule's thresholds
THRESHOLDS = (
    Threshold(
        "EASY_PORT_SHARE",
        EASY_PORT_SHARE,
        "C11: median share of a model's lines that only the port needs, of an easy port (at most)",
        SET_C11_LINES,
    ),
    Threshold(
        "HARD_PORT_SHARE",
        HARD_PORT_SHARE,
        "C11: median share of a model's lines that only the port needs, of a hard port (at least)",
        SET_C11_LINES,
    ),
    Threshold(
        "EARLIER_EASY_PORT_ADAPTATIONS",
        EARLIER_EASY_PORT_ADAPTATIONS,
        "C11, the earlier kinds rule: median kinds of fix of an easy port (at most)",
        SET_C11,
    ),
    Threshold(
        "EARLIER_HARD_PORT_ADAPTATIONS",
        EARLIER_HARD_PORT_ADAPTATIONS,
        "C11, the earlier kinds rule: median kinds of fix of a hard port (at least)",
        SET_C11,
    ),
)


def port_costs(loc: pd.DataFrame | None) -> pd.DataFrame | None:
    """Per workload (index): the adaptations its port needed (kinds of `# port:` fix) and their
    lines, summed over the workload's model files of the article's two frameworks (the Keras file
    the TF and JAX runtimes share is counted once), with those files' lines (SLOC) and the share
    of them the port needs; None without the counts."""
    if loc is None or PORT_ADAPTATIONS not in loc:
        return None
    models = loc[loc["subject"].eq("workload") & loc[PART].eq("model")]
    models = models[models["framework"].isin(ARTICLE_FRAMEWORKS)] if "framework" in models else models
    models = models.assign(
        **{key: pd.to_numeric(models[key], errors="coerce") for key in (PORT_ADAPTATIONS, PORT_LINES, SLOC)}
    )
    costs = models.groupby("name")[[PORT_ADAPTATIONS, PORT_LINES, SLOC]].sum()
    return costs.assign(port_share=costs[PORT_LINES] / costs[SLOC])


def _by_thresholds(value: float, easy: float, hard: float) -> str:
    if value <= easy:
        return SUPPORTED
    return REFUTED if value >= hard else INCONCLUSIVE


def c11(tables) -> Verdict:
    """What switching costs: the port passes parity, and the adaptations it needed. Parity results
    (parity.csv: workload, status, passed): a check that could not run (status not ok) is neither a
    pass nor a failure; a port that failed parity is not the same model, which says something about
    the port, not the APIs: inconclusive."""
    frame = tables.parity
    if frame is not None and "framework" in frame:  # the article's switch: PyTorch <-> TensorFlow/Keras
        frame = frame[frame["framework"].eq("tf")]
    passed = column(frame, PARITY_PASSED)
    costs = port_costs(tables.loc)
    if frame is None or passed is None or frame.empty or costs is None:
        return Verdict(INCONCLUSIVE, "no parity or port-adaptation results in this run")
    checked = frame[frame["status"].eq("ok")] if "status" in frame else frame
    errored = sorted(set(frame["workload"]) - set(checked["workload"]))
    per_workload = checked.groupby("workload")[passed].agg(
        lambda v: v.astype(str).str.lower().eq("true").all()
    )
    failed = sorted(per_workload[~per_workload].index)
    costs = costs[costs.index.isin(per_workload.index)]
    share = float(costs["port_share"].median()) if len(costs) else float("nan")
    kinds = float(costs[PORT_ADAPTATIONS].median()) if len(costs) else float("nan")
    listed = ", ".join(
        f"{name} {row.port_share:.0%} ({int(row.port_lines)} of {int(row.sloc)} lines, "
        f"{int(row.port_adaptations)} kinds)"
        for name, row in costs.iterrows()
    )
    text = (
        f"parity passed for {int(per_workload.sum())} of {len(per_workload)} workloads checked"
        + (f" (failed: {', '.join(failed)})" if failed else "")
        + (f"; the check could not run for: {', '.join(errored)}" if errored else "")
        + f"; share of each model's lines (both sides) only the port needs: {listed}; median {share:.0%}"
    )
    unusable = failed or errored or per_workload.empty or costs.empty
    verdict = INCONCLUSIVE if unusable else _by_thresholds(share, EASY_PORT_SHARE, HARD_PORT_SHARE)
    if not costs.empty:
        earlier = (
            INCONCLUSIVE
            if unusable
            else _by_thresholds(kinds, EARLIER_EASY_PORT_ADAPTATIONS, EARLIER_HARD_PORT_ADAPTATIONS)
        )
        text += f" (kinds rule, set earlier: median {kinds:g} kinds of fix, {earlier})"
    strata = [
        {
            "workload": name,
            "metric": "port share of model lines",
            "value": float(row.port_share),
            "lines": int(row.port_lines),
            "model_lines": int(row.sloc),
            "kinds": int(row.port_adaptations),
            PARITY_PASSED: bool(per_workload.get(name)),
        }
        for name, row in costs.iterrows()
    ]
    missing = [f"{name}: parity check could not run" for name in errored]
    return Verdict(verdict, text, strata=strata, missing=missing, n=len(per_workload))


CLAIMS = (
    Claim(
        "C11",
        "Switching between them is easier now thanks to similar APIs",
        "What switching costs, per workload: whether the port is the same model (parity: weights "
        "copied across, outputs and gradients agree) and the share of the model's lines (both "
        "frameworks' model files) that exist only because the other framework's conventions differ "
        "(marked '# port: KIND' on either side: weight-layout groups, padding or permute fixes, "
        "convention constants, initialisation set to the other's default). Supported if every port "
        f"passes parity and the median share is at most {EASY_PORT_SHARE:.0%}, refuted if it is at "
        f"least {HARD_PORT_SHARE:.0%}; inconclusive in between, when a port failed parity or could "
        "not be checked, or without the counts. Set in lines on 2026-12-03; the earlier rule (median "
        f"kinds of fix, at most {EARLIER_EASY_PORT_ADAPTATIONS} / at least "
        f"{EARLIER_HARD_PORT_ADAPTATIONS}) is shown beside.",
        "sec-parity",
        c11,
        thresholds=(
            "EASY_PORT_SHARE",
            "HARD_PORT_SHARE",
            "EARLIER_EASY_PORT_ADAPTATIONS",
            "EARLIER_HARD_PORT_ADAPTATIONS",
        ),
    ),
)
