"""The lines-of-code study's claims: custom models need fewer tweaks in PyTorch (C8), and Keras makes
standard models fast and clean (C9). Each rule and its threshold are stated here before the data;
fwbench.ledger applies them to results/loc.csv.
"""

import numpy as np
import pandas as pd

from fwbench.core.columns import PART
from fwbench.core.stats import geometric_mean_interval, signed_rank_p
from fwbench.studies.loc.columns import CHANGED_TOKENS, STYLE, TOKENS
from fwbench.studies.verdict import (
    CONFIDENCE,
    INCONCLUSIVE,
    SET_C5,
    Claim,
    Threshold,
    Verdict,
    by_signed_rank,
)

MIN_CODE_UNITS = 10  # C8/C9: code units before the exact paired test counts
THRESHOLDS = (
    Threshold(
        "MIN_CODE_UNITS", MIN_CODE_UNITS, "C8, C9: code units before the signed-rank test counts", SET_C5
    ),
)


def _units(frame: pd.DataFrame, unit, value: str, numerator, denominator) -> pd.DataFrame:
    """One row per code unit: the value (tokens) of each side; unit(frame) names each row's unit."""
    rows = frame.assign(unit=unit(frame), value=pd.to_numeric(frame[value], errors="coerce"))
    sides = {
        side: rows[select(rows)].drop_duplicates("unit").set_index("unit")["value"]
        for side, select in (("numerator", numerator), ("denominator", denominator))
    }
    return pd.DataFrame(sides).dropna()


def paired_code_test(units: pd.DataFrame, what: str) -> Verdict:
    """Ratio numerator / denominator per code unit; decided by the Wilcoxon signed-rank test of the
    log ratios (two-sided, 5 %; exact where there are no ties): line counts are exact, the units
    are the sample. The geometric mean with its t-interval is shown, not used to decide."""
    ratios = (units["numerator"] / units["denominator"]).replace([np.inf, -np.inf], np.nan).dropna()
    ratios = ratios[ratios > 0]
    logs = np.log(ratios.to_numpy())
    longer, shorter = int((logs > 0).sum()), int((logs < 0).sum())
    equal = len(logs) - longer - shorter
    counts = f"larger in {longer}, smaller in {shorter}, equal in {equal} of {len(logs)} units"
    strata = [{"unit": unit, "metric": TOKENS, "ratio": float(ratio)} for unit, ratio in ratios.items()]
    if len(logs) < MIN_CODE_UNITS:
        return Verdict(
            INCONCLUSIVE,
            f"{what} {counts} (at least {MIN_CODE_UNITS} units needed)",
            strata=strata,
            n=len(logs),
        )
    ratio, low, high = geometric_mean_interval(ratios)
    p_value = signed_rank_p(logs)
    text = (
        f"{what} geometric mean {ratio:.2f}x ({CONFIDENCE:.0%} CI {low:.2f}-{high:.2f}); {counts}; "
        f"Wilcoxon signed-rank test (two-sided) p = {p_value:.3g}; units: {', '.join(ratios.index)}"
    )
    return Verdict(by_signed_rank(p_value, ratio > 1), text, (ratio, low, high), strata=strata, n=len(logs))


def _workload_models(loc: pd.DataFrame) -> pd.DataFrame:
    return loc[loc["subject"].eq("workload") & loc[PART].eq("model")]


def c8(tables) -> Verdict:
    """Code units: the tokens each customisation changes against its framework's baseline program,
    every workload's model definition, and the shared training step and evaluation (one unit
    each: every workload uses the same harness regions)."""
    loc = tables.loc
    if loc is None or loc.empty or "subject" not in loc:
        return Verdict(INCONCLUSIVE, "no lines-of-code results in this run")
    tf, torch = (lambda f: f["framework"].eq("tf")), (lambda f: f["framework"].eq("torch"))
    harness = loc[loc["subject"].eq("workload") & loc[PART].isin(["train_step", "evaluate"])]
    units = pd.concat(
        [
            _units(
                loc[loc["subject"].eq("customisation")],
                lambda f: "customisation " + f["name"],
                CHANGED_TOKENS,
                tf,
                torch,
            ),
            _units(_workload_models(loc), lambda f: f["name"] + " model", TOKENS, tf, torch),
            _units(harness, lambda f: f[PART] + " (harness)", TOKENS, tf, torch),
        ]
    )
    return paired_code_test(units, "tokens TF / PyTorch per unit:")


def c9(tables) -> Verdict:
    """Code units: every workload's model definition (PyTorch module vs Keras layers) and each
    region of the same standard program (loc.csv subject 'samples'): PyTorch loop vs Keras
    compile/fit, and the whole program."""
    loc = tables.loc
    if loc is None or loc.empty or STYLE not in loc or not loc[STYLE].eq("keras_fit").any():
        return Verdict(INCONCLUSIVE, "no line counts of a Keras compile/fit program in this run")
    samples = loc[loc["subject"].eq("samples")]
    units = pd.concat(
        [
            _units(
                _workload_models(loc),
                lambda f: f["name"] + " model",
                TOKENS,
                lambda f: f["framework"].eq("torch"),
                lambda f: f["framework"].eq("tf"),
            ),
            _units(
                samples,
                lambda f: "sample " + f[PART],
                TOKENS,
                lambda f: f[STYLE].eq("torch_loop"),
                lambda f: f[STYLE].eq("keras_fit"),
            ),
        ]
    )
    return paired_code_test(units, "tokens PyTorch / Keras per unit:")


CLAIMS = (
    Claim(
        "C8",
        "Custom models: PyTorch needs fewer tweaks; TensorFlow/Keras is more verbose",
        "Tokens per code unit, ratio TF / PyTorch: the tokens each customisation changes, every "
        "workload's model definition, the training step and the evaluation; supported if the "
        f"Wilcoxon signed-rank test of the log ratios (two-sided, 5 %, exact where there are no ties, at "
        f"least {MIN_CODE_UNITS} units) "
        "finds TF longer, refuted if it finds TF shorter, else inconclusive.",
        "sec-loc",
        c8,
        thresholds=("MIN_CODE_UNITS", "CONFIDENCE"),
    ),
    Claim(
        "C9",
        "Keras makes building standard models fast and clean",
        "Tokens per code unit, ratio PyTorch / Keras: every workload's model definition and each "
        "region of the same standard program (PyTorch loop vs Keras compile/fit) and the whole program; "
        f"the same test (at least {MIN_CODE_UNITS} units): supported if Keras is shorter, refuted "
        "if longer, else inconclusive.",
        "sec-loc",
        c9,
        thresholds=("MIN_CODE_UNITS", "CONFIDENCE"),
    ),
)
