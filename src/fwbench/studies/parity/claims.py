"""The parity study's claim: switching between the frameworks is easier now (C11). Its rule and
thresholds are stated here before the data; fwbench.ledger applies it to results/parity.csv and the
port adaptations counted by the lines-of-code study (results/loc.csv).
"""

import pandas as pd

from fwbench.core.columns import PARITY_PASSED, PART, PORT_ADAPTATIONS, PORT_LINES
from fwbench.studies.verdict import (
    ARTICLE_FRAMEWORKS,
    INCONCLUSIVE,
    REFUTED,
    SET_C11,
    SUPPORTED,
    Claim,
    Threshold,
    Verdict,
    column,
)

# C11: a port is easy when it needs few kinds of adaptation (each a documented convention
# difference: a weight-layout group, a padding or permute fix, a convention constant)
EASY_PORT_ADAPTATIONS = 2  # median over workloads at most this: supported
HARD_PORT_ADAPTATIONS = 4  # median at least this: refuted
THRESHOLDS = (
    Threshold(
        "EASY_PORT_ADAPTATIONS",
        EASY_PORT_ADAPTATIONS,
        "C11: median adaptations of an easy port (at most)",
        SET_C11,
    ),
    Threshold(
        "HARD_PORT_ADAPTATIONS",
        HARD_PORT_ADAPTATIONS,
        "C11: median adaptations of a hard port (at least)",
        SET_C11,
    ),
)


def port_costs(loc: pd.DataFrame | None) -> pd.DataFrame | None:
    """Per workload (index): the adaptations its port needed (kinds of `# port:` fix over the
    workload's model files of the article's two frameworks, fwbench.studies.loc.run; the Keras file
    the TF and JAX runtimes share is counted once) and their lines; None without the counts."""
    if loc is None or PORT_ADAPTATIONS not in loc:
        return None
    models = loc[loc["subject"].eq("workload") & loc[PART].eq("model")]
    models = models[models["framework"].isin(ARTICLE_FRAMEWORKS)] if "framework" in models else models
    models = models.assign(
        port_adaptations=lambda f: pd.to_numeric(f[PORT_ADAPTATIONS], errors="coerce"),
        port_lines=lambda f: pd.to_numeric(f[PORT_LINES], errors="coerce"),
    )
    return models.groupby("name")[[PORT_ADAPTATIONS, PORT_LINES]].sum()


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
    median = float(costs[PORT_ADAPTATIONS].median()) if len(costs) else float("nan")
    listed = ", ".join(
        f"{name} {int(row.port_adaptations)} ({int(row.port_lines)} lines)" for name, row in costs.iterrows()
    )
    text = (
        f"parity passed for {int(per_workload.sum())} of {len(per_workload)} workloads checked"
        + (f" (failed: {', '.join(failed)})" if failed else "")
        + (f"; the check could not run for: {', '.join(errored)}" if errored else "")
        + f"; adaptations each port needed (kinds of fix, lines): {listed}; median {median:g}"
    )
    if failed or errored or per_workload.empty or costs.empty:
        verdict = INCONCLUSIVE
    elif median <= EASY_PORT_ADAPTATIONS:
        verdict = SUPPORTED
    elif median >= HARD_PORT_ADAPTATIONS:
        verdict = REFUTED
    else:
        verdict = INCONCLUSIVE
    strata = [
        {
            "workload": name,
            "metric": "port adaptations",
            "value": int(row.port_adaptations),
            "lines": int(row.port_lines),
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
        "copied across, outputs and gradients agree) and how many adaptations it needed (kinds of fix "
        "marked '# port: KIND' in the model files: weight-layout groups, padding or permute fixes, "
        "convention constants; with their lines). Supported if every port passes parity and the median "
        f"port needs at most {EASY_PORT_ADAPTATIONS} adaptations, refuted if the median needs at least "
        f"{HARD_PORT_ADAPTATIONS}; inconclusive in between, when a port failed parity or could not be "
        "checked, or without the counts.",
        "sec-parity",
        c11,
        thresholds=("EASY_PORT_ADAPTATIONS", "HARD_PORT_ADAPTATIONS"),
    ),
)
