"""What every study's claims share: the verdict words, the Verdict and Claim records, the thresholds
register's record, and the comparisons the rules are built from (no claim's own numbers).

Place in the pipeline: each study's claims.py declares its claims as `Claim` rows over the
functions here; fwbench.ledger gathers the rows of every registered study, judges them from the
aggregated tables and writes results/ledger.json. Nothing here knows a claim id or a study.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fwbench.core.columns import COMPILED_DIFFERS, PARITY_PASSED, THROUGHPUT
from fwbench.core.labels import device_label
from fwbench.core.stats import combined_ratio_interval
from fwbench.frameworks import DISPLAY_NAMES, PARITY_REFERENCE, SHORT_NAMES
from fwbench.runs.training import STEADY_DRIFT_LIMIT

SUPPORTED, REFUTED, INCONCLUSIVE, NOT_TESTABLE = "supported", "refuted", "inconclusive", "not testable here"
VERDICTS = (SUPPORTED, REFUTED, INCONCLUSIVE, NOT_TESTABLE)
ARTICLE, BEYOND = "article", "beyond"  # a claim of the article (C1-C13) or a question beyond it (B1, B2)
ARTICLE_FRAMEWORKS = ("torch", "tf")  # the article's claims C1-C13 compare these two

# When each rule's thresholds were set (date, commit): printed beside every threshold, so a reader
# can see which rules were fixed before which runs. The 2026-12-01 rules replaced earlier ones after
# a review of earlier default runs; they are frozen from then on and judge only runs made after them.
SET_EARLY = ("2026-11-25", "308a625")
SET_C5 = ("2026-12-01", "dc8d42d")
SET_C11 = ("2026-12-01", "55ac9fa")
SET_C7 = ("2026-12-01", "7b35544")
SET_C11_LINES = ("2026-12-03", "e920b52")  # C11 in lines, on both sides


@dataclass(frozen=True)
class Threshold:
    """One number a verdict rule reads: its name (the constant's), value, what it decides, and the
    date and commit that set it."""

    name: str
    value: float
    meaning: str
    set_on: tuple[str, str]  # (date, commit)

    def record(self) -> dict:
        return {
            "value": self.value,
            "meaning": self.meaning,
            "set_on": self.set_on[0],
            "commit": self.set_on[1],
        }


CONFIDENCE = 0.95
MIN_RUNS = 3  # runs per side and stratum before a ratio counts
MIN_UNITS = 3  # workloads / faults before a comparison across them counts
EQUIVALENCE_LEVEL = 0.90  # two one-sided tests at 5 % each: the 90 % interval within the margin (TOST)
THRESHOLDS = (
    Threshold("CONFIDENCE", CONFIDENCE, "level of every interval but the equivalence tests'", SET_EARLY),
    Threshold("MIN_RUNS", MIN_RUNS, "ok runs per side and stratum before a ratio counts", SET_EARLY),
    Threshold(
        "MIN_UNITS", MIN_UNITS, "workloads or fault classes before a comparison across them counts", SET_EARLY
    ),
    Threshold(
        "EQUIVALENCE_LEVEL", EQUIVALENCE_LEVEL, "C5, accuracy: interval of the two one-sided tests", SET_C5
    ),
)
DIRECTIONAL = (
    "supported if the 95 % CI of the ratio lies above 1, refuted if below 1, inconclusive if it contains 1"
)


@dataclass
class Verdict:
    """What a claim's rule found: the verdict, the measured effect in words, and, where the effect
    is a ratio, its interval; the strata the comparison used (each with its own result) and those
    it could not use."""

    verdict: str
    effect: str
    interval: tuple | None = None  # (ratio, ci_low, ci_high) where the effect is a ratio with a CI
    threshold: float = 1.0  # the ratio the verdict rule compares the interval with
    strata: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    n: int | None = None  # the smallest number of runs (or units) behind a side


@dataclass(frozen=True)
class Claim:
    """One row of the ledger: a claim of the article (or a question beyond it), the rule that
    judges it, stated before the data, and the function that applies the rule to the tables."""

    id: str
    text: str
    rule: str
    evidence: str  # the report section (anchor) that holds the evidence
    judge: Callable  # Tables -> Verdict
    group: str = ARTICLE
    thresholds: tuple[str, ...] = ()  # names of the thresholds the rule reads


# Column names other stages may use for the same quantity (the first one present is read).
COLUMNS = {
    "gpu_util": ["gpu_utilization_pct_mean"],
    "throughput": [THROUGHPUT, "throughput_samples_s"],
    "batch": ["batch_size"],
    "export_format": ["format", "export_format"],
    PARITY_PASSED: ["passed", PARITY_PASSED],
}


def column(frame: pd.DataFrame | None, quantity: str) -> str | None:
    """The column of `frame` holding `quantity` (see COLUMNS), or None."""
    if frame is None:
        return None
    return next((name for name in COLUMNS[quantity] if name in frame), None)


def with_device(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if "device" not in frame:
        frame["device"] = device_label(frame)
    return frame


def usable_runs(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The runs with status ok and a value of `metric`, less those of an implementation that
    failed its parity check (another model); each labelled with its device."""
    if summary.empty or metric not in summary:
        return with_device(summary.iloc[0:0])
    ok = summary[summary["status"].eq("ok")].copy()
    if COMPILED_DIFFERS in ok:  # a compiled mode that computes something else than eager is not timed as it
        ok = ok[~ok[COMPILED_DIFFERS].astype(str).str.lower().eq("true")]
    if PARITY_PASSED in ok:  # an implementation that differs from the reference's is another model;
        # the reference's own runs stay (a comparison with it loses its other side already)
        differs = ok[PARITY_PASSED].astype(str).str.lower().eq("false")
        ok = ok[~(differs & ok["framework"].ne(PARITY_REFERENCE))]
    ok[metric] = pd.to_numeric(ok[metric], errors="coerce")
    return with_device(ok.dropna(subset=[metric]))


def _side(stratum: pd.DataFrame, framework: str, modes, metric: str, *, lower_is_better=True):
    """Values of one side in one stratum: the given mode, or the best of several modes (by median)
    among those with at least MIN_RUNS runs. Returns (mode, values) or None.

    The best is chosen on the same runs the interval is then computed from, and the choice is not
    repeated inside the interval; tests/unit/test_stats_ci.py checks by simulation, at the default 5 runs
    a side and the mode counts the claims choose from (1 of 3, 2 of 4), that the winner's interval
    still calls a difference where there is none at most 5 % of the time and covers the winning
    pair's true ratio at least 93 % of the time; so it is not widened for the choice."""
    candidates = [modes] if isinstance(modes, str) else list(modes)
    best = None
    for mode in candidates:
        values = stratum.loc[stratum["framework"].eq(framework) & stratum["mode"].eq(mode), metric]
        if len(values) < MIN_RUNS:
            continue
        key = np.median(values) if lower_is_better else -np.median(values)
        if best is None or key < best[0]:
            best = (key, mode, values.to_numpy())
    return None if best is None else (best[1], best[2])


def compare(
    frame,
    numerator,
    denominator,
    metric,
    *,
    by=("device", "workload"),
    lower_is_better=True,
    level=CONFIDENCE,
):
    """Ratio metric(numerator) / metric(denominator) per stratum (geometric means over runs) and
    combined over strata, each with its t-interval (fwbench.core.stats.combined_ratio_interval).
    numerator / denominator: (framework, mode or tuple of modes: the best of them per stratum).
    Returns (result dict or None, list of strata without enough runs)."""
    strata, used, short = [], [], []
    for key, stratum in frame.groupby(list(by)):
        num = _side(stratum, *numerator, metric, lower_is_better=lower_is_better)
        den = _side(stratum, *denominator, metric, lower_is_better=lower_is_better)
        if num is None or den is None:
            short.append(" / ".join(map(str, key)))
            continue
        strata.append((num[1], den[1]))
        used.append(
            {
                "stratum": key,
                "numerator_mode": num[0],
                "denominator_mode": den[0],
                "n_numerator": len(num[1]),
                "n_denominator": len(den[1]),
            }
        )
    if not strata:
        return None, short
    result = combined_ratio_interval(strata, level=level)
    if result is None:  # a side with no positive, finite value: no ratio to take
        return None, short + [" / ".join(map(str, s["stratum"])) for s in used]
    for stratum, own in zip(used, result["per_stratum"], strict=True):
        stratum.update(own)
    result["strata"] = used
    result["sides"] = (numerator[0], denominator[0])
    return result, short


def strata_records(result: dict | None, what: str = "") -> list[dict]:
    """The strata of a compare() result as plain records for the ledger: where (device, workload),
    the modes each side used, the ratio with its interval and the runs a side."""
    if not result:
        return []
    first, second = result["sides"]
    records = []
    for stratum in result["strata"]:
        device, *rest = stratum["stratum"]
        records.append(
            {
                "device": device,
                "workload": " / ".join(map(str, rest)),
                "metric": what,
                "comparison": f"{SHORT_NAMES[first]} {stratum['numerator_mode']} / "
                f"{SHORT_NAMES[second]} {stratum['denominator_mode']}",
                "ratio": stratum["ratio"],
                "ci_low": stratum["ci_low"],
                "ci_high": stratum["ci_high"],
                "n_numerator": stratum["n_numerator"],
                "n_denominator": stratum["n_denominator"],
            }
        )
    return records


def directional(low: float, high: float, threshold: float = 1.0) -> str:
    """Supported above the threshold, refuted below it, inconclusive when the CI straddles it."""
    if low > threshold:
        return SUPPORTED
    if high < threshold:
        return REFUTED
    return INCONCLUSIVE


def equivalent(low: float, high: float, margin: float, *, additive: bool = False) -> str:
    """Within the margin (a ratio's 1/margin..margin, or a difference's -margin..margin): supported;
    entirely outside it: refuted; else inconclusive."""
    lower = -margin if additive else 1 / margin
    if lower <= low and high <= margin:
        return SUPPORTED
    if low > margin or high < lower:
        return REFUTED
    return INCONCLUSIVE


def by_signed_rank(p_value: float, effect_positive: bool) -> str:
    """Supported when the two-sided test is significant at 1 - CONFIDENCE and the effect is on the
    claim's side (positive), refuted when significant the other way, else inconclusive."""
    if p_value >= 1 - CONFIDENCE:
        return INCONCLUSIVE
    return SUPPORTED if effect_positive else REFUTED


def describe(result: dict, what: str) -> str:
    devices = {s["stratum"][0] for s in result["strata"]} if "strata" in result else set()
    workloads = len(result["strata"]) if "strata" in result else result["n_strata"]
    where = f", on {len(devices)} device{'s' * (len(devices) != 1)}" if devices else ""
    text = (
        f"{what} {result['ratio']:.2f}x, {result['level']:.0%} CI "
        f"{result['ci_low']:.2f}-{result['ci_high']:.2f}, n={result['n_min']}, "
        f"geometric mean over {workloads} workload{'s' * (workloads != 1)}{where}"
    )
    if result.get("heterogeneous"):
        text += (
            f"; the workloads disagree beyond their noise (between-workload SD of the log ratio "
            f"{result['between_sd_log']:.2f}), so the interval is on "
            f"{result['n_strata'] - 1} degrees of freedom"
        )
    return text + against(result)


def every_stratum_on_one_side(result: dict, threshold: float = 1.0) -> str | None:
    """SUPPORTED (REFUTED) when at least two strata are compared and each one's own interval lies above
    (below) the threshold: an intersection-union test, valid at the strata's own level with no
    correction, for workloads that agree in direction but not in size."""
    strata = result.get("strata", [])
    if len(strata) < 2:
        return None
    if all(s["ci_low"] > threshold for s in strata):
        return SUPPORTED
    if all(s["ci_high"] < threshold for s in strata):
        return REFUTED
    return None


def mixed(result: dict, threshold: float = 1.0) -> bool:
    """At least one stratum clearly above the threshold and one clearly below: a mixed result."""
    strata = result.get("strata", [])
    return any(s["ci_low"] > threshold for s in strata) and any(s["ci_high"] < threshold for s in strata)


def against(result: dict) -> str:
    """The strata whose own interval lies on the other side of 1 from the combined ratio: a
    combined figure never hides a workload that goes the other way."""
    if "strata" not in result or len(result["strata"]) < 2:
        return ""
    combined_above = result["ratio"] > 1
    other = [s for s in result["strata"] if (s["ci_high"] < 1 if combined_above else s["ci_low"] > 1)]
    if not other:
        return ""
    listed = ", ".join(
        f"{' / '.join(map(str, s['stratum']))} {s['ratio']:.2f}x (CI {s['ci_low']:.2f}-{s['ci_high']:.2f})"
        for s in other
    )
    return f"; but the other way in {listed}"


def missing_runs(short: list[str]) -> str:
    return f"fewer than {MIN_RUNS} ok runs per side in: {', '.join(short)}" if short else "no ok runs"


def variant_of(result: dict, side: str, framework: str) -> str:
    """The variant one side of a comparison used (the modes picked as best, where there was a choice)."""
    modes = sorted({stratum[f"{side}_mode"] for stratum in result["strata"]})
    return f"{DISPLAY_NAMES[framework]} {'/'.join(modes)}"


def interval_of(result: dict) -> tuple:
    return result["ratio"], result["ci_low"], result["ci_high"]


def ratio_and_interval(result: dict) -> str:
    return f"{result['ratio']:.2f}x ({result['ci_low']:.2f}-{result['ci_high']:.2f})"


def per_stratum(result: dict) -> str:
    return ", ".join(
        f"{' / '.join(map(str, s['stratum'][1:]))} {s['ratio']:.2f}x ({s['ci_low']:.2f}-{s['ci_high']:.2f})"
        for s in result["strata"]
    )


def ratio_verdict(result: dict | None, short: list[str], what: str, decide: Callable = directional, **extra):
    """A Verdict from a compare() result: `decide` on its interval, the effect described as `what`,
    its strata and the strata without enough runs; inconclusive when there was nothing to compare."""
    if result is None:
        return Verdict(INCONCLUSIVE, missing_runs(short), missing=list(short), **extra)
    verdict, effect = decide(result["ci_low"], result["ci_high"]), describe(result, what)
    workloads = {tuple(stratum["stratum"][1:]) for stratum in result.get("strata", [])}
    if len(workloads) < MIN_UNITS:
        verdict = INCONCLUSIVE
        effect = (
            f"{len(workloads)} workload(s) with enough runs, fewer than the {MIN_UNITS} a verdict needs: "
            + effect
        )
    elif decide is directional and mixed(result):
        verdict, effect = INCONCLUSIVE, f"mixed: {effect}"
    elif decide is directional and verdict == INCONCLUSIVE and (side := every_stratum_on_one_side(result)):
        verdict, effect = side, f"{effect}; every workload on its own lies on one side of 1"
    return Verdict(
        verdict,
        effect,
        interval_of(result),
        strata=strata_records(result),
        missing=list(short),
        n=result["n_min"],
        **extra,
    )


GENERAL_RULES = [
    "Effects are ratios of geometric means over runs (processes are the unit of replication; a run's own "
    "value is its median step time, its peak memory, ...), computed per stratum (one device and one "
    "workload) and combined over strata by their geometric mean. Uncertainty: a Welch t-interval on the "
    f"log scale, {CONFIDENCE:.0%}, per stratum and for the combined ratio (its coverage and its rate of "
    "false differences are checked by simulation at 3 and 5 runs a side); a stratum whose own interval "
    "lies on the other side of 1 is named beside the combined figure. Where the workloads disagree "
    "more than their run-to-run noise explains, the combined interval is a t-interval on k-1 degrees "
    "of freedom over the k workloads' log ratios (Hartung-Knapp, never narrower than the noise alone "
    "gives), and the between-workload spread is printed: the combined figure is an average over "
    "these workloads, not a law. A mixed result (at least one workload clearly each way) is "
    "inconclusive for a directional claim, and the effect begins with 'mixed'; workloads that agree "
    "in direction but not in size (each one's own interval on the same side of 1) decide the "
    "directional verdict when the combined interval does not (an intersection-union test).",
    "Where a side is the best of several modes (C3, C5, C6), the best is chosen on the same runs the "
    "interval is computed from. Simulation at 5 runs a side, choosing 1 of 3 and 2 of 4 modes, shows "
    "the winner's interval still calls a difference where there is none at most 5 % of the time "
    "(4.8 % and 3.1 %) and covers the winning pair's true ratio at least 93 % of the time (95.5 % "
    "and 96.2 %), so it is not widened (a Bonferroni widening would cost power for no gain in "
    "error rate). Where a verdict is a union over workloads (C5 refuted when any workload is "
    "clearly outside), each workload is tested at 1/k of the error. Across claims there is no "
    "correction: each claim is its own question, read on its own, and its rule was written down "
    "before the data it judges (the thresholds table gives the date each was set).",
    f"A stratum counts only when both sides have at least {MIN_RUNS} runs with status ok; comparisons "
    f"across workloads or fault classes need at least {MIN_UNITS} of them, code-unit comparisons "
    "their own minimum (thresholds table). Otherwise the "
    "verdict is inconclusive and the reason says what is missing. Runs of a workload that failed its parity "
    "check (the two implementations are not the same model) are left out of every comparison, and so are "
    "the runs of a compiled mode whose check against eager differed (it computes something else).",
    "Directional claims (A is faster / lighter / shorter than B): supported when the interval of the ratio "
    "lies entirely on the claim's side of 1, refuted when it lies entirely on the other side, inconclusive "
    "when it contains 1 (the difference is inside run-to-run noise).",
    f"'Roughly equal' (C5) is an equivalence test per workload (two one-sided tests at 5 %: the "
    f"{EQUIVALENCE_LEVEL:.0%} interval of the workload's ratio within the claim's margin, fixed in "
    "advance above this machine's run-to-run noise): "
    "supported only when every workload is equivalent, refuted when any workload's interval lies "
    "entirely outside the margin, else inconclusive; a combined figure never decides it.",
    "A claim about hardware this run did not have (a GPU, several vendors, several GPUs) is not testable "
    "here, with the reason; the CPU figure is given as context where there is one.",
    "Missing evidence (a table or column another stage did not produce) gives inconclusive with the "
    "reason; no number is ever filled in.",
    "Unsteady runs (the median of the second half of a run's timed steps more than "
    f"{STEADY_DRIFT_LIMIT:.0%} off the first half's: a warm-up too short, or the machine changed under "
    "it) are kept, and every verdict is also "
    "judged on the steady runs alone; the ledger shows both, so a verdict that rests on unsteady runs "
    "is visible as one.",
]
