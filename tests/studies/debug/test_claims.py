"""The debugging study's rule (C7) on made-up fault-injection tables."""

from fwbench.studies.debug.claims import c7, fault_efforts
from fwbench.studies.verdict import INCONCLUSIVE, SUPPORTED
from tests.helpers.made_up import debug_table, verdict_of


def test_c7_debugging_effort_paired_by_workload_and_fault():
    from fwbench.studies.debug.faults import FAULTS

    debug = debug_table("silent_undetected")
    assert set(debug["fault"]) <= set(FAULTS)
    verdict = verdict_of(c7, debug=debug)
    assert verdict.verdict == SUPPORTED and "of 8 (workload, fault) pairs" in verdict.effect, verdict.effect
    assert verdict_of(c7, debug=debug_table("loud")).verdict == INCONCLUSIVE  # a tie
    few = verdict_of(c7, debug=debug_table("silent_undetected", workloads=("mlp",)))
    assert few.verdict == INCONCLUSIVE and "at least 6 needed" in few.effect


def test_c7_a_fault_that_behaves_differently_by_mode_is_a_quirk_not_absorbed():
    """Loud in TF eager, absorbed in graph mode: the graph-mode quirk the claim names."""
    quirky = debug_table({"eager": "loud", "graph": "absorbed"}, tf_modes=("eager", "graph"))
    efforts = fault_efforts(quirky)
    tf = efforts[efforts["framework"].eq("tf")]
    assert tf["quirk"].all() and (tf["effort"] >= 75).all()  # scored as silent and undetected
    verdict = verdict_of(c7, debug=quirky)
    assert verdict.verdict == SUPPORTED and "quirks" in verdict.effect, verdict.effect
    absorbed_everywhere = fault_efforts(debug_table("absorbed", tf_modes=("eager", "graph")))
    assert not absorbed_everywhere["quirk"].any()  # the same behaviour in every mode is no quirk
