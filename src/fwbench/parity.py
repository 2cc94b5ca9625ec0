"""Parity of a workload's two implementations, checked rather than assumed.

For one workload: both models are built; parameter counts and shapes (in PyTorch's layout) must
match; the PyTorch weights are copied into the Keras model and back, and the outputs on the same
inputs must agree; the initialisation statistics must agree; and both, started from the same
weights and fed the same batches, must produce tracking losses for a few optimiser steps.

Tolerances (fp32): outputs agree to OUTPUT_ATOL + OUTPUT_RTOL*|y|. The two frameworks sum in
different orders (and Keras's Adam adds epsilon to sqrt(v) before, PyTorch after, bias
correction), so bit equality is not expected; 1e-4 absolute on logits of order 1-10 is ~100x
the fp32 rounding of these models and far below any real architectural difference, which moves
outputs by O(0.1) or more. Losses track to LOSS_RTOL unless a workload.yaml sets
`parity: {loss_rtol, reason}` (e.g. batch-norm nets, whose fp32 gradients are ill-conditioned at
initialisation: each framework's are as far from a float64 reference as from the other's).
"""

import numpy as np

from fwbench.training import batch_indices

OUTPUT_ATOL = 1e-4
OUTPUT_RTOL = 1e-4
LOSS_RTOL = 1e-3
INIT_STD_TOLERANCE = 0.3  # |std_torch / std_tf - 1| for weights with >= INIT_MIN_SIZE entries
INIT_MIN_SIZE = 100
PARITY_STEPS = 5
PARITY_BATCH = 32


def _max_abs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)))


def _init_deviation(torch_weights, tf_weights) -> float:
    """Largest relative gap between the frameworks' initial std of the same weight tensor."""
    deviations = []
    for a, b in zip(torch_weights, tf_weights, strict=True):
        if a.size >= INIT_MIN_SIZE and a.std() > 0 and b.std() > 0:
            deviations.append(abs(a.std() / b.std() - 1))
        elif a.std() == 0 or b.std() == 0:  # zero-initialised (biases): must be zero in both
            deviations.append(0.0 if a.std() == b.std() == 0 else np.inf)
    return float(max(deviations, default=0.0))


def check(workload, data: dict, torch_impl, tf_impl, harnesses: dict, *, seed: int = 0) -> dict:
    """Run every parity check of `workload`; return the measurements and `passed`."""
    th, kh = harnesses["torch"], harnesses["tf"]
    args = workload.spec.get("model_args", {})
    torch_model, tf_model = th.build_model(torch_impl, args), kh.build_model(tf_impl, args)
    torch_w, tf_w = th.export_weights(torch_model), kh.export_weights(tf_model)
    report = {
        "workload": workload.name,
        "param_count_torch": th.param_count(torch_model),
        "param_count_tf": kh.param_count(tf_model),
        "shapes_torch": [list(w.shape) for w in torch_w],
        "shapes_tf": [list(w.shape) for w in tf_w],
    }
    report["shapes_match"] = report["shapes_torch"] == report["shapes_tf"]
    if not report["shapes_match"]:
        report["passed"] = False
        return report
    report["init_std_max_deviation"] = _init_deviation(torch_w, tf_w)

    x = data["x_test"][:64]
    kh.import_weights(tf_model, torch_w)
    y_torch, y_tf = th.predict(torch_model, x), kh.predict(tf_model, x)
    report["max_abs_output_diff"] = _max_abs(y_torch, y_tf)
    report["outputs_match"] = bool(np.allclose(y_tf, y_torch, atol=OUTPUT_ATOL, rtol=OUTPUT_RTOL))

    back = th.build_model(torch_impl, args)
    th.import_weights(back, kh.export_weights(tf_model))
    report["max_abs_roundtrip_diff"] = _max_abs(th.predict(back, x), y_torch)

    optimizer = workload.spec["optimizer"]
    torch_step = th.make_train_step(torch_model, optimizer, "eager")
    tf_step = kh.make_train_step(tf_model, optimizer, "graph")
    losses = {"torch": [], "tf": []}
    for idx in batch_indices(len(data["x_train"]), PARITY_BATCH, PARITY_STEPS, seed):
        xb, yb = data["x_train"][idx], data["y_train"][idx]
        losses["torch"].append(torch_step(*th.to_tensors(xb, yb)))
        losses["tf"].append(tf_step(*kh.to_tensors(xb, yb)))
    report["losses_torch"], report["losses_tf"] = losses["torch"], losses["tf"]
    gaps = np.abs(np.subtract(losses["torch"], losses["tf"])) / np.abs(losses["torch"])
    report["max_rel_loss_gap"] = float(gaps.max())
    report["loss_rtol"] = workload.spec.get("parity", {}).get("loss_rtol", LOSS_RTOL)
    report["losses_track"] = bool(report["max_rel_loss_gap"] <= report["loss_rtol"])
    report["passed"] = bool(
        report["param_count_torch"] == report["param_count_tf"]
        and report["init_std_max_deviation"] <= INIT_STD_TOLERANCE
        and report["outputs_match"]
        and report["max_abs_roundtrip_diff"] <= OUTPUT_ATOL
        and report["losses_track"]
    )
    return report


PARITY_SCHEMA_VERSION = 1  # of workflow/schemas/parity.schema.json
RECORD_KEYS = (
    "param_count_torch",
    "param_count_tf",
    "shapes_match",
    "init_std_max_deviation",
    "max_abs_output_diff",
    "outputs_match",
    "max_abs_roundtrip_diff",
    "losses_torch",
    "losses_tf",
    "max_rel_loss_gap",
    "loss_rtol",
    "losses_track",
)


def record(workload, data_path, *, threads: int) -> dict:
    """The parity result file of `workload` (rule parity): every check, or the error that stopped it."""
    import traceback

    from fwbench import datasets, provenance
    from fwbench.frameworks import PARITY_PAIR, load_harness
    from fwbench.results import error_record
    from fwbench.workloads import load_impl

    result = {
        "schema_version": PARITY_SCHEMA_VERSION,
        "workload": workload.name,
        "status": "ok",
        "passed": None,
        "error": None,
        "tolerances": {
            "output_atol": OUTPUT_ATOL,
            "output_rtol": OUTPUT_RTOL,
            "init_std": INIT_STD_TOLERANCE,
        },
        "tolerance_reason": workload.spec.get("parity", {}).get("reason"),
        "checks": None,
    }
    context = {"threads": {"requested": threads}, "device": {"requested": "cpu"}}
    try:
        harnesses = {fw: load_harness(fw, threads=threads, device="cpu", seed=0) for fw in PARITY_PAIR}
        context.update(threads=harnesses["torch"].thread_info(), device=harnesses["torch"].device_info())
        impls = {fw: load_impl(workload.impl_path(fw), f"parity_{workload.name}_{fw}") for fw in PARITY_PAIR}
        report = check(workload, datasets.load(data_path), impls["torch"], impls["tf"], harnesses)
        result["passed"] = report["passed"]
        result["checks"] = {key: report.get(key) for key in RECORD_KEYS}
    except Exception as exc:  # recorded with its reason, never dropped: the workload counts as failing
        result["status"], result["passed"] = "failed", False
        result["error"] = error_record(type(exc).__name__, str(exc) or repr(exc), traceback.format_exc())
    result["provenance"] = provenance.collect(
        threads=context["threads"], device=context["device"], data_sha256=provenance.sha256_file(data_path)
    )
    return result
