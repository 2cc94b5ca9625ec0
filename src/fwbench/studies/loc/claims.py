"""The lines-of-code study's claims: custom models need fewer tweaks in PyTorch (C8), and Keras makes
standard models fast and clean (C9). Each rule and its threshold are stated here before the data;
fwbench.ledger applies them to results/loc.csv.
"""

import numpy as np
import pandas as pd

from fwbench.core.columns import PART, PORT_TOKENS
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


OWN_TOKENS = "own_tokens"  # a model file's tokens less those of its '# port:' lines (parity's code)


def _workload_models(loc: pd.DataFrame) -> pd.DataFrame:
    """Every workload's model files, with their own tokens: what the model needs, not the port."""
    models = loc[loc["subject"].eq("workload") & loc[PART].eq("model")]
    port = pd.to_numeric(models[PORT_TOKENS], errors="coerce").fillna(0) if PORT_TOKENS in models else 0
    return models.assign(**{OWN_TOKENS: pd.to_numeric(models[TOKENS], errors="coerce") - port})


def c8(tables) -> Verdict:
    """Code units: the customisation tasks only (workflow/customisations/: the claim is about
    customising a model), each the tokens its change adds and removes against its framework's
    baseline program, each side written from its framework's own guide. Whole model files and the
    harness are not customisations (they are C9's and the parity study's), and no parity-only code
    is in a task's files."""
    loc = tables.loc
    if loc is None or loc.empty or "subject" not in loc:
        return Verdict(INCONCLUSIVE, "no lines-of-code results in this run")
    units = _units(
        loc[loc["subject"].eq("customisation")],
        lambda f: "customisation " + f["name"],
        CHANGED_TOKENS,
        lambda f: f["framework"].eq("tf"),
        lambda f: f["framework"].eq("torch"),
    )
    return paired_code_test(units, "tokens changed TF / PyTorch per customisation:")


# The standard program's regions that are units of C9 of their own: its model region is the mlp
# workload's model (counted once, as that workload's unit), and the whole program is the sum of its
# regions, so neither is a unit of its own.
SAMPLE_UNITS = ("train", "evaluate")


def c9(tables) -> Verdict:
    """Independent code units only: every workload's model definition (PyTorch module vs Keras
    layers; its own tokens, the '# port:' lines left out: they are parity's code, on either side)
    and the training and evaluation regions of the same standard program (loc.csv subject
    'samples': PyTorch loop vs Keras compile/fit)."""
    loc = tables.loc
    if loc is None or loc.empty or STYLE not in loc or not loc[STYLE].eq("keras_fit").any():
        return Verdict(INCONCLUSIVE, "no line counts of a Keras compile/fit program in this run")
    samples = loc[loc["subject"].eq("samples") & loc[PART].isin(SAMPLE_UNITS)]
    units = pd.concat(
        [
            _units(
                _workload_models(loc),
                lambda f: f["name"] + " model",
                OWN_TOKENS,
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
        "Tokens changed per customisation task (workflow/customisations/: the same change to the "
        "same baseline program in each framework, written from its own guide), ratio TF / PyTorch; "
        "customisations only, never whole model files, the harness or parity-only code; supported if "
        f"the Wilcoxon signed-rank test of the log ratios (two-sided, 5 %, exact where there are no "
        f"ties, at least {MIN_CODE_UNITS} tasks) finds TF's changes longer, refuted if shorter, else "
        "inconclusive.",
        "sec-loc",
        c8,
        thresholds=("MIN_CODE_UNITS", "CONFIDENCE"),
    ),
    Claim(
        "C9",
        "Keras makes building standard models fast and clean",
        "Tokens per independent code unit, ratio PyTorch / Keras: every workload's model definition "
        "(less its '# port:' lines, parity's code on either side) "
        "and the training and evaluation regions of the same standard program (PyTorch loop vs Keras "
        "compile/fit; its model region is the mlp workload's model and the whole program the sum of its "
        f"regions, so neither counts again); the same test (at least {MIN_CODE_UNITS} units): supported "
        "if Keras is shorter, refuted if longer, else inconclusive.",
        "sec-loc",
        c9,
        thresholds=("MIN_CODE_UNITS", "CONFIDENCE"),
    ),
)
