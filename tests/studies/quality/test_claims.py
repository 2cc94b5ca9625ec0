"""The quality study's rule (B2-accuracy) on made-up quality runs."""

import pandas as pd

from fwbench.ledger import Tables
from fwbench.studies.quality.claims import b2_accuracy
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import KERAS_RUNTIMES, quality_runs, runs


def test_b2_accuracy_equivalent_different_and_missing():
    same = b2_accuracy(
        Tables(summary=runs(KERAS_RUNTIMES), quality=quality_runs({"torch": 0.80, "jax": 0.805}))
    )
    assert same.verdict == SUPPORTED and same.effect.count("equivalent") == 2, same.effect
    apart = quality_runs({"torch": 0.80, "jax": 0.70})
    assert b2_accuracy(Tables(summary=runs(KERAS_RUNTIMES), quality=apart)).verdict == REFUTED
    noisy = quality_runs({"torch": 0.80, "jax": 0.80}, sd=0.05)
    assert b2_accuracy(Tables(summary=runs(KERAS_RUNTIMES), quality=noisy)).verdict == INCONCLUSIVE
    no_jax = b2_accuracy(Tables(summary=runs(KERAS_RUNTIMES), quality=quality_runs({"torch": 0.8})))
    assert no_jax.verdict == INCONCLUSIVE and "no workload" in no_jax.effect
    assert b2_accuracy(Tables(summary=runs(KERAS_RUNTIMES))).verdict == INCONCLUSIVE


def test_b2_accuracy_reads_published_recipes_only_and_names_the_short_ones():
    converged = quality_runs({"torch": 0.80, "jax": 0.805})
    short = quality_runs({"torch": 0.30, "jax": 0.45}, workloads=("resnet",), published_recipe=False)
    verdict = b2_accuracy(Tables(summary=runs(KERAS_RUNTIMES), quality=pd.concat([converged, short])))
    assert verdict.verdict == SUPPORTED, verdict.effect  # resnet's equal-step gap is not a verdict input
    assert "not compared" in verdict.effect and "resnet" in verdict.effect
    only_short = b2_accuracy(Tables(summary=runs(KERAS_RUNTIMES), quality=short))
    assert only_short.verdict == INCONCLUSIVE and "resnet" in only_short.effect
