"""Parity per workload, in float64: same parameters, same outputs (inference and training mode) and
gradients from the same weights, tracking losses, the same outputs after a few steps; and in each
framework, its compiled modes train to the same losses and outputs as its eager mode.

Generated for every discovered workload, so a new workload folder is checked with no edit here.
"""

import pytest

from fwbench.runs.workloads import discover, load_impl
from fwbench.studies.parity import run as parity

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
    data = dataset_arrays(workload.dataset("default"))
    return parity.check(workload, data, impls["torch"], impls["tf"], fp64_harnesses, scale="default")


def test_same_parameter_count_and_shapes(parity_report):
    assert parity_report["param_count_torch"] == parity_report["param_count_other"]
    assert parity_report["shapes_torch"] == parity_report["shapes_other"]


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
    assert parity_report["losses_track"], (parity_report["losses_torch"], parity_report["losses_other"])
    assert parity_report["passed"]


COMPILED_MODES = {"torch": ["compile"], "tf": ["graph", "xla"]}  # every compiled mode of the shared loop


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_compiled_modes_compute_the_same_function_as_eager(name, fp64_harnesses, dataset_arrays):
    workload = WORKLOADS[name]
    data = dataset_arrays(workload.dataset("default"))
    for fw, harness in fp64_harnesses.items():
        impl = load_impl(workload.impl_path(fw), f"compiled_{name}_{fw}")
        entries = parity.compiled_modes_match_eager(
            workload, data, impl, harness, COMPILED_MODES[fw], scale="default"
        )
        assert [e["mode"] for e in entries] == COMPILED_MODES[fw]
        for entry in entries:
            assert entry["matches"], entry


# The gpu size's real models (GPT-2 small, BERT base, ResNet-18): the parameters outside the
# embeddings, in millions, that a GPU user knows them by (GPT-2 small and BERT base: 85 M in
# their 12 blocks; ResNet-18 on CIFAR-sized inputs: 11.2 M).
GPU_SIZE_PARAMS_M = {"gpt": (84, 86), "transformer": (84, 86), "resnet": (11.0, 11.4)}
REDUCED_LENGTH = 16  # the parity check of a gpu-size text model runs on 16 of its positions
EMBEDDING_TENSORS = ("token_embedding", "position_embedding")


def gpu_size_models(harness_pair: dict, workload, model_args: dict):
    impls = {fw: load_impl(workload.impl_path(fw), f"gpu_size_{workload.name}_{fw}") for fw in harness_pair}
    return {fw: h.build_model(impls[fw], model_args) for fw, h in harness_pair.items()}


@pytest.mark.parametrize("name", sorted(GPU_SIZE_PARAMS_M))
def test_the_gpu_size_is_the_real_model_in_both_frameworks(name, harnesses):
    """Built at the gpu size's model_args: the same parameter count in both frameworks, and the
    size the published model has outside its embeddings."""
    workload = WORKLOADS[name]
    models = gpu_size_models(harnesses, workload, workload.model_args("gpu"))
    counts = {fw: harnesses[fw].param_count(m) for fw, m in models.items()}
    assert counts["torch"] == counts["tf"], counts
    embeddings = sum(
        p.numel() for key, p in models["torch"].named_parameters() if key.split(".")[-2] in EMBEDDING_TENSORS
    )
    low, high = GPU_SIZE_PARAMS_M[name]
    assert low <= (counts["torch"] - embeddings) / 1e6 <= high, (counts, embeddings)


@pytest.mark.parametrize("name", sorted(GPU_SIZE_PARAMS_M))
def test_the_gpu_size_computes_the_same_function_in_both_frameworks(name, fp64_harnesses, dataset_arrays):
    """Parity at the gpu size, on the CPU: the PyTorch weights copied into Keras give the same
    outputs (inference and training mode) and gradients, at batch 2 and, for the text models,
    REDUCED_LENGTH positions (the same blocks and widths; only the position table is shorter)."""
    workload = WORKLOADS[name]
    args = workload.model_args("gpu")
    data = dataset_arrays(workload.dataset("default"))
    x, y = data["x_train"][:2], data["y_train"][:2]
    if "length" in args:
        args = {**args, "length": REDUCED_LENGTH}
        x, y = x[:, :REDUCED_LENGTH], y[:, :REDUCED_LENGTH] if y.ndim == 2 else y
    th, kh = fp64_harnesses["torch"], fp64_harnesses["tf"]
    models = gpu_size_models(fp64_harnesses, workload, args)
    kh.import_weights(models["tf"], th.export_weights(models["torch"]))
    for training in (False, True):
        out_torch = th.outputs(models["torch"], x, training=training)
        out_tf = kh.outputs(models["tf"], x, training=training)
        assert parity.outputs_agree(out_torch, out_tf), (training, abs(out_torch - out_tf).max())
    gap = parity.gradient_gap(th.gradients(models["torch"], x, y), kh.gradients(models["tf"], x, y))
    assert gap <= parity.GRADIENT_RTOL, gap


def test_a_compiled_check_that_could_not_run_is_its_own_reading_not_a_failure():
    from fwbench.studies.parity.tables import _compiled_columns

    entries = [
        {
            "framework": "torch",
            "mode": "compile",
            "status": "ok",
            "matches": True,
            "error": None,
            "max_rel_loss_gap": 1e-6,
            "outputs_after_steps_rel_diff": 2e-6,
        },
        {
            "framework": "tf",
            "mode": "xla",
            "status": "failed",
            "matches": False,
            "error": "UnimplementedError: GPU MaxPool gradient ops do not yet have a deterministic XLA "
            "implementation",
        },
    ]
    columns = _compiled_columns(entries)
    assert columns["compiled_modes_match"] is True and columns["compiled_modes_differ"] is None
    assert (
        columns["compiled_modes_unchecked"] == "tf xla"
        and "check could not run" in columns["compiled_modes_checked"]
    )
