"""The parity study's rule (C11) on made-up parity and port tables."""

import pandas as pd

from fwbench.studies.parity.claims import c11
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import port_table, verdict_of


def test_c11_reads_what_switching_cost_not_only_whether_parity_passed():
    parity = pd.DataFrame({"workload": ["mlp", "cnn1d", "gru"], "passed": [True, True, True]})
    easy = verdict_of(c11, parity=parity, loc=port_table({"mlp": 0, "cnn1d": 2, "gru": 1}))
    assert easy.verdict == SUPPORTED and "cnn1d 2 (6 lines)" in easy.effect and "median 1" in easy.effect
    hard = verdict_of(c11, parity=parity, loc=port_table({"mlp": 4, "cnn1d": 5, "gru": 3}))
    assert hard.verdict == REFUTED, hard.effect
    between = verdict_of(c11, parity=parity, loc=port_table({"mlp": 3, "cnn1d": 3, "gru": 3}))
    assert between.verdict == INCONCLUSIVE
    assert verdict_of(c11, parity=parity).verdict == INCONCLUSIVE  # no counts: no verdict
    failed = parity.assign(passed=[True, False, True])
    verdict = verdict_of(c11, parity=failed, loc=port_table({"mlp": 0, "cnn1d": 0, "gru": 0}))
    assert verdict.verdict == INCONCLUSIVE and "failed: cnn1d" in verdict.effect  # the port, not the API
    errored = parity.assign(status=["ok", "failed", "ok"], passed=[True, False, True])
    verdict = verdict_of(c11, parity=errored, loc=port_table({"mlp": 0, "cnn1d": 0, "gru": 0}))
    assert verdict.verdict == INCONCLUSIVE and "could not run for: cnn1d" in verdict.effect
