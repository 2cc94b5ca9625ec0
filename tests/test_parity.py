"""Parity per workload, in float64: same parameters, same outputs (inference and training mode) and
gradients from the same weights, tracking losses, the same outputs after a few steps; and in each
framework, its compiled modes train to the same losses and outputs as its eager mode.

Generated for every discovered workload, so a new workload folder is checked with no edit here.
"""

import pytest

from fwbench import parity
from fwbench.workloads import discover, load_impl

WORKLOADS = discover()


@pytest.fixture(scope="module")
def fp64_harnesses(harnesses):  # after the session's harnesses, which fix the thread settings
    from fwbench.frameworks import load_harness

    return {
        fw: load_harness(fw, threads=2, device="cpu", seed=0, precision=parity.PRECISION)
        for fw in ("torch", "tf")
    }


@pytest.fixture(scope="module", params=sorted(WORKLOADS))
def parity_report(request, fp64_harnesses, dataset_arrays):
    workload = WORKLOADS[request.param]
    impls = {fw: load_impl(workload.impl_path(fw), f"parity_{workload.name}_{fw}") for fw in ("torch", "tf")}
    return parity.check(
        workload, dataset_arrays(workload.spec["dataset"]), impls["torch"], impls["tf"], fp64_harnesses
    )


def test_same_parameter_count_and_shapes(parity_report):
    assert parity_report["param_count_torch"] == parity_report["param_count_tf"]
    assert parity_report["shapes_torch"] == parity_report["shapes_tf"]


def test_same_initialisation_scheme(parity_report):
    assert parity_report["init_std_max_deviation"] <= parity.INIT_STD_TOLERANCE


def test_outputs_agree_after_copying_torch_weights_into_keras(parity_report):
    assert parity_report["outputs_match"], parity_report["max_abs_output_diff"]


def test_weights_survive_the_round_trip_back_to_torch(parity_report):
    assert parity_report["max_abs_roundtrip_diff"] <= parity.OUTPUT_ATOL


def test_outputs_agree_in_training_mode_and_gradients_match(parity_report):
    assert parity_report["train_outputs_match"], parity_report["max_abs_train_output_diff"]
    assert parity_report["gradients_match"], parity_report["max_rel_gradient_gap"]


def test_losses_track_for_a_few_steps_from_the_same_weights(parity_report):
    assert parity_report["outputs_after_steps_match"], parity_report["outputs_after_steps_rel_diff"]
    assert parity_report["losses_track"], (parity_report["losses_torch"], parity_report["losses_tf"])
    assert parity_report["passed"]


COMPILED_MODES = {"torch": ["compile"], "tf": ["graph", "xla"]}  # every compiled mode of the shared loop


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_compiled_modes_compute_the_same_function_as_eager(name, fp64_harnesses, dataset_arrays):
    workload = WORKLOADS[name]
    data = dataset_arrays(workload.spec["dataset"])
    for fw, harness in fp64_harnesses.items():
        impl = load_impl(workload.impl_path(fw), f"compiled_{name}_{fw}")
        entries = parity.compiled_modes_match_eager(workload, data, impl, harness, COMPILED_MODES[fw])
        assert [e["mode"] for e in entries] == COMPILED_MODES[fw]
        for entry in entries:
            assert entry["matches"], entry
