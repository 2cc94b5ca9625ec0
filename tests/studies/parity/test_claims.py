"""The parity study's rule (C11) on made-up parity and port tables."""

import pandas as pd

from fwbench.studies.parity.claims import c11
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import port_table, verdict_of


def test_c11_reads_what_switching_cost_not_only_whether_parity_passed():
    parity = pd.DataFrame({"workload": ["mlp", "cnn1d", "gru"], "passed": [True, True, True]})
    # lines only the port needs, (PyTorch, Keras), of 100 model lines per workload
    easy = verdict_of(c11, parity=parity, loc=port_table({"mlp": (2, 0), "cnn1d": (2, 4), "gru": (2, 6)}))
    assert easy.verdict == SUPPORTED, easy.effect
    assert "cnn1d 6% (6 of 100 lines, 2 kinds)" in easy.effect and "median 6%" in easy.effect
    assert "kinds rule, set earlier: median 2 kinds of fix, supported" in easy.effect
    hard = verdict_of(
        c11, parity=parity, loc=port_table({"mlp": (10, 20), "cnn1d": (5, 20), "gru": (20, 20)})
    )
    assert hard.verdict == REFUTED, hard.effect
    # reachable without every kind of fix: the kinds rule called this port easy (2 kinds of fix)
    assert "kinds rule, set earlier: median 2 kinds of fix, supported" in hard.effect
    between = verdict_of(
        c11, parity=parity, loc=port_table({"mlp": (5, 10), "cnn1d": (15, 0), "gru": (0, 15)})
    )
    assert between.verdict == INCONCLUSIVE
    assert verdict_of(c11, parity=parity).verdict == INCONCLUSIVE  # no counts: no verdict
    failed = parity.assign(passed=[True, False, True])
    none = port_table({"mlp": (0, 0), "cnn1d": (0, 0), "gru": (0, 0)})
    verdict = verdict_of(c11, parity=failed, loc=none)
    assert verdict.verdict == INCONCLUSIVE and "failed: cnn1d" in verdict.effect  # the port, not the API
    errored = parity.assign(status=["ok", "failed", "ok"], passed=[True, False, True])
    verdict = verdict_of(c11, parity=errored, loc=none)
    assert verdict.verdict == INCONCLUSIVE and "could not run for: cnn1d" in verdict.effect


def test_c11_counts_the_port_on_both_sides_alike():
    parity = pd.DataFrame({"workload": ["mlp", "cnn1d", "gru"], "passed": [True, True, True]})
    keras_side = verdict_of(c11, parity=parity, loc=port_table({w: (0, 30) for w in ("mlp", "cnn1d", "gru")}))
    torch_side = verdict_of(c11, parity=parity, loc=port_table({w: (30, 0) for w in ("mlp", "cnn1d", "gru")}))
    assert keras_side.verdict == torch_side.verdict == REFUTED
