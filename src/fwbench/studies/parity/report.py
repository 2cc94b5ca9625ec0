"""The parity study's report table: per workload and framework checked against PyTorch, the
parameter counts, the largest output, gradient and loss gaps, the compiled-vs-eager check and the
verdict, from results/parity.csv (fwbench.studies.parity.tables).
"""

from pathlib import Path

import pandas as pd

from fwbench.core.tables import read_csv_or_none
from fwbench.frameworks import DISPLAY_NAMES
from fwbench.studies.parity.columns import (
    ADAM_EPSILON_EFFECT_MEDIAN,
    COMPILED_MAX_REL_DIFF,
    COMPILED_MODES_CHECKED,
    LOSS_RTOL_COLUMN,
    MAX_ABS_OUTPUT_DIFF,
    MAX_ABS_ROUNDTRIP_DIFF,
    MAX_ABS_TRAIN_OUTPUT_DIFF,
    MAX_REL_GRADIENT_GAP,
    MAX_REL_LOSS_GAP,
    OUTPUTS_AFTER_STEPS_REL_DIFF,
    PARAM_COUNT_OTHER,
    PARAM_COUNT_TORCH,
    TOLERANCE_REASON,
)


def parity_table(results_dir) -> pd.DataFrame:
    """Parity per workload and framework checked against PyTorch (results/parity.csv): parameter
    counts, output and loss gaps, verdict; None when the parity study did not run."""
    parity = read_csv_or_none(Path(results_dir) / "parity.csv")
    if parity is None or parity.empty:
        return None
    parity["verdict"] = parity["passed"].map({True: "same model", False: "NOT the same model"})
    parity["verdict"] = parity["verdict"].fillna("not checked")
    parity["framework"] = parity["framework"].map(DISPLAY_NAMES).fillna(parity["framework"])
    columns = {
        "workload": "workload",
        "framework": "checked against PyTorch",
        PARAM_COUNT_TORCH: "parameters (PyTorch)",
        PARAM_COUNT_OTHER: "parameters (Keras)",
        MAX_ABS_OUTPUT_DIFF: "max |output diff|",
        MAX_ABS_ROUNDTRIP_DIFF: "max |round-trip diff|",
        MAX_ABS_TRAIN_OUTPUT_DIFF: "max |output diff|, training mode",
        MAX_REL_GRADIENT_GAP: "max gradient gap (relative)",
        ADAM_EPSILON_EFFECT_MEDIAN: "Keras's Adam epsilon: effect on step 1 (median, relative)",
        MAX_REL_LOSS_GAP: "max relative loss gap",
        LOSS_RTOL_COLUMN: "loss tolerance",
        OUTPUTS_AFTER_STEPS_REL_DIFF: "output gap after the steps (relative)",
        "verdict": "verdict",
        COMPILED_MODES_CHECKED: "compiled modes against eager",
        COMPILED_MAX_REL_DIFF: "compiled vs eager: largest gap (relative)",
        TOLERANCE_REASON: "why the loss tolerance differs",
        "error_message": "error",
    }
    return parity[list(columns)].rename(columns=columns)


def method() -> str:
    """The parity check in words, its tolerances read from the code that applies them."""
    from fwbench.studies.parity.run import (
        AFTER_STEPS_RTOL,
        COMPILED_RTOL,
        LOSS_RTOL,
        OUTPUT_ATOL,
        OUTPUT_RTOL,
        PARITY_STEPS,
    )

    return (
        "Before any comparison, each workload's PyTorch implementation and its Keras model, on each Keras "
        "runtime (TensorFlow, JAX), are checked to be the same model, one pair at a time (rule `parity`, "
        "`fwbench.studies.parity.run`), in float64 on both sides, so that the check depends neither on fp32 "
        "rounding nor on the thread count: equal parameter counts and shapes; the same initialisation "
        "scheme; the PyTorch weights copied into Keras give the same outputs in inference and in training "
        f"mode and the same loss gradient for every weight (|Δ| ≤ {OUTPUT_ATOL:g} + {OUTPUT_RTOL:g}·|y|), "
        f"and survive the trip back; from the same weights and batches, losses track for {PARITY_STEPS} "
        f"optimiser steps (relative gap ≤ {LOSS_RTOL:g} unless the workload states a looser tolerance and "
        f"why) and the outputs after them agree (≤ {AFTER_STEPS_RTOL:.0%} of the largest output). Keras's "
        "Adam adds epsilon before bias correction, PyTorch after it: the table gives the size of that "
        "difference on the first update. A pair that fails is marked here and the other framework's runs "
        "of that workload carry `parity_passed = False` in `results/summary.csv` (PyTorch's runs carry it "
        "when any pair failed): its timings compare two different models, so they are left out of every "
        "comparison. Within each framework, every configured compiled mode of the shared loop "
        "(`torch.compile` of the whole step, `tf.function`, XLA, `jax.jit`) is checked to compute what "
        f"eager computes: from the same weights and batches, {PARITY_STEPS} float64 steps of plain SGD in "
        f"eager and in the mode give the same losses and outputs (relative gap ≤ {COMPILED_RTOL:g}; SGD "
        "because Adam turns rounding-level differences of near-zero gradients into whole steps); a mode "
        'that differs is marked "(differs)"; a workload may hold one framework to a looser tolerance only '
        "with a measured reason (shown in the table). To keep the check in float64 on JAX, its harness "
        "keeps float64 in Keras's type promotion, which maps it to float32 on every backend but "
        "TensorFlow. Keras `fit` is checked against `tf.function` and against `jax.jit` by the tests."
    )
