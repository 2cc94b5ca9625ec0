"""The lines-of-code study's rules (C8, C9) on made-up loc tables."""

from fwbench.studies.loc.claims import c8, c9
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import loc_table, verdict_of


def test_c8_pairs_eleven_code_units_with_an_exact_test():
    verdict = verdict_of(c8, loc=loc_table())
    assert verdict.verdict == SUPPORTED, verdict.effect
    assert "larger in 11, smaller in 0, equal in 0 of 11 units" in verdict.effect
    assert "Wilcoxon" in verdict.effect and "train_step (harness)" in verdict.effect  # one unit, not six
    mixed = verdict_of(c8, loc=loc_table(tf_model_tokens=90))  # TF shorter models, longer rest
    assert mixed.verdict == INCONCLUSIVE, mixed.effect
    few = loc_table()
    few = few[few["subject"].ne("workload") | few["name"].isin(["mlp", "cnn1d"])]
    short = verdict_of(c8, loc=few)
    assert short.verdict == INCONCLUSIVE and "at least 10 units" in short.effect


def test_c9_keras_fit_against_the_pytorch_loop():
    loc = loc_table(tf_model_tokens=90)
    verdict = verdict_of(c9, loc=loc)
    assert verdict.verdict == SUPPORTED and "of 10 units" in verdict.effect, verdict.effect
    assert verdict_of(c9, loc=loc[loc["style"].ne("keras_fit")]).verdict == INCONCLUSIVE
    longer = verdict_of(c9, loc=loc_table(tf_model_tokens=130, keras_fit_tokens=260))
    assert longer.verdict == REFUTED, longer.effect
    tie = loc.assign(tokens=100)
    assert verdict_of(c9, loc=tie).verdict == INCONCLUSIVE  # identical counts: no difference
