"""The report's opening: the machines and software behind the runs, and five sentences that each say
only what the data support, linked to the section that holds the evidence.
"""

import numpy as np
import pandas as pd

from fwbench.core.columns import STEP_TIME, TEST_ACCURACY
from fwbench.core.stats import ratio_interval
from fwbench.reporting.style import VERDICT_COLOURS
from fwbench.runs.tables import all_runs
from fwbench.studies.quality.claims import (
    ACCURACY_MARGIN_PTS,
    ACCURACY_READINGS,
    accuracy_equivalence,
    converged_only,
)
from fwbench.studies.verdict import REFUTED, SUPPORTED

INTRO = (
    "Every run is a fresh process that trains one workload in one framework and execution mode with one "
    "seed, in one of two studies. The **speed study** times fixed work in every mode: a warm-up, then "
    "steady-state steps with no evaluation among them; every speed figure and speed claim reads it. The "
    "**quality study** trains the workload's recipe, with test-set evaluations, in each framework's "
    "reference modes (`quality_modes`); accuracy and time to accuracy read it. Every framework sees the "
    "same data in the same order, the same architecture, initialisation scheme, optimiser and "
    "hyper-parameters, and the same thread count; only the training step is timed, after device "
    "synchronisation, with Python's garbage collector paused. The machines and software behind the "
    "numbers are in [Provenance](#sec-provenance)."
)


def environment_markdown(summary: pd.DataFrame) -> str:
    """One paragraph: the machines, devices and software versions the runs come from."""
    if summary.empty or "hostname" not in summary:
        return "No runs in this result set."

    def distinct(name):
        if name not in summary:
            return "not recorded"
        return ", ".join(sorted(summary[name].dropna().astype(str).unique())) or "not recorded"

    return (
        f"The runs ran on {summary['hostname'].nunique()} machine(s) ({distinct('hostname')}), on "
        f"{distinct('device')}, with {distinct('threads_intra_op')} intra-op thread(s); Python "
        f"{distinct('python_version')}, PyTorch {distinct('torch_version')}, TensorFlow "
        f"{distinct('tensorflow_version')}, JAX {distinct('jax_version')}, Keras "
        f"{distinct('keras_version')} (details in [Provenance](#sec-provenance))."
    )


def accuracy_sentence(quality: pd.DataFrame) -> str:
    """What the accuracy equivalence test found (fwbench.studies.quality.claims), and only that."""
    link = "([Accuracy](#sec-accuracy))"
    tested = accuracy_equivalence(quality) if len(quality) and TEST_ACCURACY in quality else None
    short = converged_only(quality)[1] if len(quality) else []
    lost = (
        f" Not compared, their recipe being shorter than the published one (accuracy at equal steps): "
        f"{', '.join(short)}."
        if short
        else ""
    )
    if tested is None or tested.empty:
        return f"No accuracy at a published recipe was measured in both frameworks {link}.{lost}"
    test = f"within ±{ACCURACY_MARGIN_PTS:g} points (two one-sided tests at 5 %)"
    readings = {r: tested.loc[tested["reading"].eq(r), "workload"].tolist() for r in ACCURACY_READINGS}
    if len(readings["equivalent"]) == len(tested):
        n = len(tested)
        return (
            f"Test accuracy at the published recipes is equivalent between the frameworks {test} on "
            f"all {n} workloads {link}.{lost}"
        )
    parts = "; ".join(f"{reading}: {', '.join(names)}" for reading, names in readings.items() if names)
    return f"Test accuracy at the published recipes, tested for equivalence {test}: {parts} {link}.{lost}"


def headlines(ledger: pd.DataFrame, summary: pd.DataFrame, quality: pd.DataFrame) -> list[str]:
    """Five sentences, each linked to the section that holds its evidence (speed from the speed
    study's runs, `summary`; accuracy from the quality study's, `quality`)."""
    sentences = []
    runs = all_runs(summary, quality)
    n_ok = int(runs["status"].eq("ok").sum()) if len(runs) else 0
    sentences.append(
        f"{len(summary)} speed-study and {len(quality)} quality-study runs of "
        f"{runs['workload'].nunique() if len(runs) else 0} workloads on "
        f"{runs['device'].nunique() if len(runs) else 0} device(s); {n_ok} finished with status ok "
        f"and {len(runs) - n_ok} did not ([Runs without measurements](#sec-failures))."
    )
    ok = summary[summary["status"].eq("ok")] if len(summary) else summary
    if len(ok) and ok[STEP_TIME].notna().any():
        parts = [fastest_variant(workload, runs) for workload, runs in ok.groupby("workload")]
        sentences.append(f"Fastest training step per workload: {'; '.join(parts)} ([Speed](#sec-speed)).")
    else:
        sentences.append("No run finished, so no speed was measured ([Speed](#sec-speed)).")
    sentences.append(accuracy_sentence(quality))
    counts = ledger["verdict"].value_counts()
    tally = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICT_COLOURS)
    sentences.append(f"Of the article's 13 claims, {tally} ([Claims ledger](#sec-ledger)).")
    decided = ledger[ledger["verdict"].isin([SUPPORTED, REFUTED])]
    if len(decided):
        parts = [f"{r.claim} {r.verdict} ({r.effect})" for r in decided.itertuples()]
        sentences.append(f"Decided by the measurements: {'; '.join(parts)} ([Claims ledger](#sec-ledger)).")
    else:
        sentences.append("No claim could be decided from these measurements ([Claims ledger](#sec-ledger)).")
    return sentences


def fastest_variant(workload: str, runs: pd.DataFrame) -> str:
    """The workload's fastest variant (by the geometric mean of its runs' median step times), and
    whether the runner-up is slower beyond noise (the 95 % interval of their ratio above 1) or ties
    with it; the sentence says only what the interval supports."""

    times = runs.dropna(subset=[STEP_TIME]).groupby("variant")[STEP_TIME]
    ranked = times.apply(lambda t: float(np.exp(np.log(t).mean()))).sort_values()
    best = ranked.index[0]
    text = f"{workload}: {best} ({ranked.iloc[0]:.2f} ms"
    if len(ranked) < 2:
        return text + ")"
    second = ranked.index[1]
    result = ratio_interval(times.get_group(second), times.get_group(best))
    if result is None or not np.isfinite(result["ci_low"]):
        return text + f"; {second} next, no interval)"
    if result["ci_low"] > 1:
        return text + f", {result['ratio']:.2f}x faster than the next, {second}, beyond noise)"
    interval = f"{result['ratio']:.2f}x, CI {result['ci_low']:.2f}-{result['ci_high']:.2f}"
    return text + f", not distinguishable from {second}: {interval})"
