"""The quality study's rule (B2-accuracy) on made-up quality runs."""

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
