"""The lines-of-code study's rules (C8, C9) on made-up loc tables."""

import pandas as pd

from fwbench.studies.loc.claims import c8, c9
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import CUSTOMISATION_EXTRA_TF_TOKENS, loc_table, verdict_of


def test_c8_reads_the_customisation_tasks_only_with_an_exact_test():
    verdict = verdict_of(c8, loc=loc_table())
    assert verdict.verdict == SUPPORTED, verdict.effect
    assert "larger in 10, smaller in 0, equal in 0 of 10 units" in verdict.effect
    # whole model files and the harness are not customisations: they never move C8
    assert verdict_of(c8, loc=loc_table(tf_model_tokens=10)).effect == verdict.effect
    assert "model" not in verdict.effect and "harness" not in verdict.effect
    shorter = verdict_of(c8, loc=loc_table(tf_extra=[-extra // 2 for extra in CUSTOMISATION_EXTRA_TF_TOKENS]))
    assert shorter.verdict == REFUTED, shorter.effect
    mixed = verdict_of(c8, loc=loc_table(tf_extra=(30, -25, 20, -10, 15, -25, 5, -20, 35, -15)))
    assert mixed.verdict == INCONCLUSIVE, mixed.effect
    nine = verdict_of(c8, loc=loc_table(tf_extra=CUSTOMISATION_EXTRA_TF_TOKENS[:9]))
    assert nine.verdict == INCONCLUSIVE and "at least 10 units" in nine.effect


def test_c9_counts_independent_units_only():
    loc = loc_table(tf_model_tokens=90)
    verdict = verdict_of(c9, loc=loc)
    # six workload models and the standard program's training and evaluation regions: its model
    # region is the mlp workload's model, and the whole program the sum of its regions
    assert "of 8 units" in verdict.effect and "sample program" not in verdict.effect, verdict.effect
    assert "sample model" not in verdict.effect
    assert verdict.verdict == INCONCLUSIVE and "at least 10 units" in verdict.effect
    assert verdict_of(c9, loc=loc[loc["style"].ne("keras_fit")]).verdict == INCONCLUSIVE


def test_c9_decides_once_it_has_ten_independent_units():
    loc = loc_table(tf_model_tokens=90)
    more = loc[loc["subject"].eq("workload") & loc["part"].eq("model")].copy()
    more["name"] = more["name"] + "_bis"  # two more workloads' models: 10 units
    more = more[more["name"].isin(["mlp_bis", "gru_bis"])]
    verdict = verdict_of(c9, loc=pd.concat([loc, more]))
    assert verdict.verdict == SUPPORTED and "of 10 units" in verdict.effect, verdict.effect
    longer = loc_table(tf_model_tokens=130, keras_fit_tokens=260)
    more_longer = more.assign(tokens=lambda f: f["tokens"].where(f["framework"].eq("torch"), 130))
    assert verdict_of(c9, loc=pd.concat([longer, more_longer])).verdict == REFUTED
    tie = pd.concat([loc, more]).assign(tokens=100)
    assert verdict_of(c9, loc=tie).verdict == INCONCLUSIVE  # identical counts: no difference
