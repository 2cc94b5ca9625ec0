"""The debugging study's rule (C7) on made-up fault-injection tables: eager paired with eager and
compiled with compiled, quirks and inspectability as readings of their own, never a side picked
where both frameworks behave alike."""

from fwbench.studies.debug.claims import c7, fault_efforts, quirks
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import debug_table, verdict_of

BOTH_CLASSES = {"torch_modes": ("eager", "compile"), "tf_modes": ("eager", "graph", "xla")}


def test_c7_pairs_eager_with_eager_and_compiled_with_compiled():
    from fwbench.studies.debug.faults import FAULTS

    debug = debug_table("silent_undetected", **BOTH_CLASSES)
    assert set(debug["fault"]) <= set(FAULTS)
    verdict = verdict_of(c7, debug=debug)
    # 2 workloads x 4 faults x 2 mode classes, however many modes each framework has
    assert verdict.verdict == SUPPORTED and "of 16 units" in verdict.effect, verdict.effect
    assert {s["mode_class"] for s in verdict.strata} == {"eager", "compiled"}
    easier = verdict_of(c7, debug=debug_table("loud", torch_outcome="silent_undetected", **BOTH_CLASSES))
    assert easier.verdict == REFUTED


def test_c7_does_not_pick_a_side_when_both_frameworks_behave_alike():
    """Identical detection, locality and message everywhere; TF has three modes to PyTorch's two, and
    its graph mode's print runs only while tracing: the old rule read this as 'supported'."""
    kinds = {
        ("tf", "graph"): "trace_time_only",
        ("tf", "xla"): "trace_time_only",
        ("torch", "compile"): "never",
    }
    for outcome in ("loud", "silent_detected", "absorbed"):
        debug = debug_table(outcome, torch_outcome=outcome, inspect_kinds=kinds, **BOTH_CLASSES)
        verdict = verdict_of(c7, debug=debug)
        assert verdict.verdict == INCONCLUSIVE and "equal in 16 of 16" in verdict.effect, verdict.effect
        assert "tf trace_time_only" in verdict.effect and "torch never" in verdict.effect  # shown beside


def test_c7_a_fault_that_behaves_differently_by_mode_is_a_quirk_in_either_framework():
    """Loud in eager, absorbed when compiled: the quirk the claim names, tested alike on both sides."""
    quirky = debug_table({"eager": "loud", "graph": "absorbed", "xla": "absorbed"}, **BOTH_CLASSES)
    found = quirks(quirky)
    assert found[found["framework"].eq("tf")]["quirk"].all()
    assert not found[found["framework"].eq("torch")]["quirk"].any()
    efforts = fault_efforts(quirky, found)
    compiled_tf = efforts[efforts["framework"].eq("tf") & efforts["mode_class"].eq("compiled")]
    assert (compiled_tf["effort"] == 100).all()  # scored as silent and undetected
    verdict = verdict_of(c7, debug=quirky)
    assert verdict.verdict == SUPPORTED and "tf 8 of 8" in verdict.effect and "torch 0 of 8" in verdict.effect
    mirrored = debug_table(
        "loud", torch_outcome={"eager": "loud", "compile": "absorbed"}, **BOTH_CLASSES
    )  # the same quirk in PyTorch reads the other way
    assert verdict_of(c7, debug=mirrored).verdict == REFUTED
    absorbed_everywhere = quirks(debug_table("absorbed", **BOTH_CLASSES))
    assert not absorbed_everywhere["quirk"].any()  # the same behaviour in every mode is no quirk


def test_c7_names_the_units_one_framework_lacks_and_needs_its_minimum():
    only_tf_compiled = debug_table("silent_undetected", tf_modes=("eager", "graph"))
    verdict = verdict_of(c7, debug=only_tf_compiled)
    assert len(verdict.missing) == 8 and all("only TF" in line for line in verdict.missing)
    assert {s["mode_class"] for s in verdict.strata} == {"eager"}
    few = verdict_of(c7, debug=debug_table("silent_undetected", workloads=("mlp",)))
    assert few.verdict == INCONCLUSIVE and "at least 6 needed" in few.effect
