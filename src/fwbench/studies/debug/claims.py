"""The debugging study's claim: debugging is easier in PyTorch, and TF's graph-mode quirks still
appear (C7). Its rule and threshold are stated here before the data; fwbench.ledger applies it to
results/debug.csv.

The rule compares like with like: a framework's eager mode with the other's eager mode, its compiled
modes (torch.compile; tf.function with or without XLA) with the other's compiled modes, so that a
framework with more modes is neither favoured nor penalised. Three readings, each its own:
the per-fault effort (detection, locality, message: what the verdict tests), the quirks (a fault that
behaves differently between a framework's eager and compiled modes, counted alike in both), and
inspectability (a print inside the step, from the control runs), shown per mode class.
"""

import numpy as np
import pandas as pd

from fwbench.core.stats import signed_rank_p
from fwbench.frameworks import eager_of
from fwbench.studies.debug.columns import INSPECT_KIND
from fwbench.studies.debug.faults import CONTROL_FAULT
from fwbench.studies.debug.tables import SCORED_OUTCOMES, effort_components, weighted_effort
from fwbench.studies.verdict import INCONCLUSIVE, SET_C7, Claim, Threshold, Verdict, by_signed_rank

MIN_PAIRS = 6  # C7: paired units; with fewer, a signed-rank test can never reach p < 0.05
THRESHOLDS = (
    Threshold("MIN_PAIRS", MIN_PAIRS, "C7: paired units before the signed-rank test counts", SET_C7),
)
SIDES = ("torch", "tf")  # the claim's two frameworks (PyTorch first: TF - PyTorch differences)
EAGER, COMPILED = "eager", "compiled"
UNIT = ["workload", "fault", "mode_class"]  # the paired unit of C7


def mode_class(mode: str) -> str:
    """eager for a framework's eager mode, compiled for every mode that traces or compiles the step."""
    return EAGER if mode == eager_of(mode) else COMPILED


def quirks(debug: pd.DataFrame) -> pd.DataFrame:
    """Per (workload, fault, framework) with results in both mode classes: `quirk` is True when the
    fault's outcome in some compiled mode differs from its eager outcome (code that fails in one
    mode and runs in another, what "graph-mode quirks" means), the same test for every framework."""
    faults = debug[debug["fault"].ne(CONTROL_FAULT) & debug["outcome"].isin(SCORED_OUTCOMES)].assign(
        mode_class=lambda table: table["mode"].map(mode_class)
    )
    rows = []
    for (workload, fault, framework), group in faults.groupby(["workload", "fault", "framework"]):
        eager = set(group.loc[group["mode_class"].eq(EAGER), "outcome"])
        compiled = set(group.loc[group["mode_class"].eq(COMPILED), "outcome"])
        if eager and compiled:
            rows.append(
                {"workload": workload, "fault": fault, "framework": framework, "quirk": compiled != eager}
            )
    return pd.DataFrame(rows, columns=["workload", "fault", "framework", "quirk"])


def fault_efforts(debug: pd.DataFrame, found_quirks: pd.DataFrame) -> pd.DataFrame:
    """Per (workload, fault, mode class, framework) of the fault-injection runs (debug.csv): the effort
    (0-100) of the per-fault components (detection, locality, message), the mean over the class's
    modes. Where a fault is a quirk of that framework (`found_quirks`, from quirks()), a mode that
    absorbed it is scored as silent and undetected: the code ran there and failed in the other class.
    Controls and runs without a result are left out; inspectability is not a per-fault effort
    (inspectability())."""
    quirky = {(row.workload, row.fault, row.framework) for row in found_quirks.itertuples() if row.quirk}
    rows = []
    for run in debug[debug["fault"].ne(CONTROL_FAULT)].to_dict("records"):
        if (run["workload"], run["fault"], run["framework"]) in quirky and run["outcome"] == "absorbed":
            run = {**run, "outcome": "silent_undetected"}
        components = effort_components(run)
        if components is not None:
            rows.append(
                {
                    "workload": run["workload"],
                    "fault": run["fault"],
                    "mode_class": mode_class(run["mode"]),
                    "framework": run["framework"],
                    "effort": weighted_effort(components),
                }
            )
    columns = [*UNIT, "framework", "effort"]
    return pd.DataFrame(rows, columns=columns).groupby(UNIT + ["framework"], as_index=False)["effort"].mean()


def inspectability(debug: pd.DataFrame) -> dict:
    """{(framework, mode class): the inspect kinds of its control runs}, e.g. ('tf', 'compiled') ->
    ['trace_time_only']: where a print inside the step runs (every step, while tracing, never)."""
    control = debug[debug["fault"].eq(CONTROL_FAULT)]
    kinds = {}
    for run in control.itertuples():
        kind = getattr(run, INSPECT_KIND, None)
        if isinstance(kind, str):
            kinds.setdefault((run.framework, mode_class(run.mode)), set()).add(kind)
    return {key: sorted(value) for key, value in kinds.items()}


def _readings(debug: pd.DataFrame, found: pd.DataFrame) -> str:
    """The quirk (`found`, from quirks()) and inspectability readings in words, for both frameworks alike."""
    parts = []
    for framework in SIDES:
        mine = found[found["framework"].eq(framework)]
        listed = ", ".join(f"{r.fault} ({r.workload})" for r in mine[mine["quirk"]].itertuples())
        parts.append(
            f"{framework} {int(mine['quirk'].sum())} of {len(mine)}" + (f" ({listed})" if listed else "")
        )
    kinds = inspectability(debug)
    inspect = "; ".join(
        f"{cls}: " + ", ".join(f"{fw} {'/'.join(kinds.get((fw, cls), ['not measured']))}" for fw in SIDES)
        for cls in (EAGER, COMPILED)
    )
    return (
        "quirks (a fault whose outcome differs between the framework's eager and compiled modes, of the "
        f"faults run in both): {'; '.join(parts)}; inspectability (a print inside the step), {inspect}"
    )


def c7(tables) -> Verdict:
    """Paired by (workload, fault, mode class): TF - PyTorch effort, with the Wilcoxon signed-rank test."""
    debug = tables.debug
    if debug is None or debug.empty or "outcome" not in debug:
        return Verdict(INCONCLUSIVE, "no fault-injection results in this run")
    found = quirks(debug)
    efforts = fault_efforts(debug, found)
    per_unit = efforts.pivot_table(index=UNIT, columns="framework", values="effort")
    for side in SIDES:
        if side not in per_unit:
            per_unit[side] = np.nan
    paired = (per_unit["tf"] - per_unit["torch"]).dropna()
    one_sided = per_unit[per_unit[list(SIDES)].isna().any(axis=1)]
    missing = [
        f"{workload} {fault} ({cls}): only {'PyTorch' if pd.isna(row['tf']) else 'TF'} has a scored result"
        for (workload, fault, cls), row in one_sided.iterrows()
    ]
    strata = [
        {
            "workload": workload,
            "fault": fault,
            "mode_class": cls,
            "metric": "debugging effort",
            "difference": float(value),
        }
        for (workload, fault, cls), value in paired.items()
    ]
    if len(paired) < MIN_PAIRS:
        measured = f"{len(paired)} (workload, fault, mode class) units measured in both frameworks"
        return Verdict(
            INCONCLUSIVE,
            f"{measured} (at least {MIN_PAIRS} needed); {_readings(debug, found)}",
            strata=strata,
            missing=missing,
            n=len(paired),
        )
    p_value = signed_rank_p(paired)
    diff = float(paired.mean())
    more, less = int((paired > 0).sum()), int((paired < 0).sum())
    workloads = paired.index.get_level_values("workload").nunique()
    text = (
        f"debugging effort per fault (0-100: detection, locality, message), eager paired with eager and "
        f"compiled with compiled, over {workloads} workload(s): TF - PyTorch {diff:+.1f} points on average; "
        f"TF more in {more}, less in {less}, equal in {len(paired) - more - less} of {len(paired)} units; "
        f"Wilcoxon signed-rank test (two-sided) p = {p_value:.3g}; {_readings(debug, found)}"
    )
    return Verdict(by_signed_rank(p_value, diff > 0), text, strata=strata, missing=missing, n=len(paired))


CLAIMS = (
    Claim(
        "C7",
        "Debugging is easier in PyTorch; TF graph-mode quirks still appear",
        "Debugging effort per fault (0-100: detection, locality, message), the mean over a mode class's "
        "modes, paired by (workload, fault, mode class): each framework's eager mode against the other's, "
        "its compiled modes against the other's; difference TF - PyTorch; supported if the Wilcoxon "
        f"signed-rank test (two-sided, 5 %, at least {MIN_PAIRS} units) finds TF harder, refuted if it "
        "finds TF easier, else inconclusive. A fault whose outcome differs between a framework's eager "
        "and compiled modes is a quirk (the same test for both frameworks; a mode that absorbed it counts "
        "as silent and undetected), and the quirks per framework and the inspectability per mode class "
        "(a print inside the step) are shown beside as readings of their own.",
        "sec-debugging",
        c7,
        thresholds=("MIN_PAIRS", "CONFIDENCE"),
    ),
)
