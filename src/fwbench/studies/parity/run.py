"""Parity of a workload's implementations, checked rather than assumed: the reference (PyTorch)
against each parity framework (the Keras model on TensorFlow, and on JAX), one pair at a time.

For one workload and one pair, in float64 on both sides (so that no check depends on fp32 rounding, the
summation order or the thread count): both models are built; parameter counts and shapes (in
PyTorch's layout) must match; the initialisation statistics must agree; the PyTorch weights are
copied into the other framework's model and back, and then, from the same weights:
- the outputs agree in inference mode and in training mode (batch-norm on batch statistics);
- the loss gradients of every weight agree (compared directly: Adam's update hides a gradient's
  scale, so tracking losses alone test little);
- fed the same batches, the losses of a few optimiser steps track, and the outputs after them
  agree in inference mode (batch-norm running statistics: momentum, biased vs unbiased variance).

Tolerances (float64): outputs and gradients agree to OUTPUT_ATOL + OUTPUT_RTOL*|y| and
GRADIENT_RTOL of the largest gradient (1e-6): float64 rounding is ~1e-16, so these are far above
summation-order noise and far below any architectural difference (O(0.1) on outputs). The
optimiser steps differ by design in one place, stated rather than hidden: Keras's Adam adds
epsilon to sqrt(v) before bias correction, PyTorch after it, so Keras's effective epsilon at
step t is eps / sqrt(1 - beta2^t) (about 32x at step 1); `adam_epsilon_effect_step1` is the size
of that difference on the first update (median and 99th percentile over the weights, relative).
Losses track to LOSS_RTOL and the outputs after the steps to AFTER_STEPS_RTOL (of the largest
output) unless a workload.yaml sets `parity: {loss_rtol, reason}` with a measured reason.

Compiled modes compute the same function as eager (compiled_modes_match_eager): in each
framework, from the same initial weights and on the same batches, PARITY_STEPS training steps in
eager mode and in each configured compiled fp32 mode of the shared loop (torch.compile of the whole
step, tf.function, XLA) give the same losses and the same outputs after the steps, to
COMPILED_RTOL: same framework, float64 arithmetic, only the kernels and their summation order
differ. The steps use plain SGD at the workload's learning rate (COMPILED_CHECK_OPTIMIZER), whose
update is linear in the gradient: Adam turns rounding-level differences of a near-zero gradient
into whole steps of +-lr, so with Adam two correct implementations drift apart (resnet's batch-norm
biases: 2 % after five steps) and no tolerance could separate rounding from a wrong function.
(Keras fit runs its own loop: tests/unit/test_keras_fit.py checks it against tf.function.)
"""

import numpy as np

from fwbench.core.columns import OUTPUTS_MATCH
from fwbench.frameworks import PARITY_REFERENCE, eager_of, precision_of, runs_own_loop
from fwbench.runs.training import batch_indices
from fwbench.studies.parity.columns import (
    INIT_STD_MAX_DEVIATION,
    LOSS_RTOL_COLUMN,
    MAX_ABS_OUTPUT_DIFF,
    MAX_ABS_ROUNDTRIP_DIFF,
    MAX_ABS_TRAIN_OUTPUT_DIFF,
    MAX_REL_GRADIENT_GAP,
    MAX_REL_LOSS_GAP,
    OUTPUT_ATOL_COLUMN,
    OUTPUT_RTOL_COLUMN,
    OUTPUTS_AFTER_STEPS_REL_DIFF,
    PARAM_COUNT_OTHER,
    PARAM_COUNT_TORCH,
    SHAPES_MATCH,
    TOLERANCE_REASON,
)

# Measured in float64 (1 and 2 threads alike): outputs agree to 2e-15 (mlp, resnet) and 2e-8
# (transformer, gpt: some attention sub-operation keeps near-single precision on one side),
# gradients to 3e-16 (mlp), 3e-13 (resnet) and 6e-9 (transformer).
OUTPUT_ATOL = 1e-6
OUTPUT_RTOL = 1e-6
GRADIENT_RTOL = 1e-6
LOSS_RTOL = 1e-3
# The outputs after the steps carry the two differences by design: Keras's Adam epsilon (about 3
# per mille of the first update at the 99th percentile) and batch-norm's running variance (biased
# in Keras, unbiased in PyTorch: <= 0.2 % here). Measured: mlp 1.2e-3, resnet 6.7e-3 of the largest
# output; an architectural difference moves outputs by O(0.1).
AFTER_STEPS_RTOL = 2e-2
# Compiled vs eager in one framework, float64, five SGD steps: kernel choice and summation order
# differ by ~1e-15 (measured: torch.compile 4e-16 on mlp, 2e-14 on resnet, 1e-15 on gpt; TF graph
# and XLA 0 and 8e-16 on cnn1d); a wrong compiled function (a dropped update, a stale graph, a
# batch-norm statistic not updated) moves them by 1e-3 and more. (With Adam, torch.compile would
# also differ by design: it computes the bias correction from Adam's float32 step counter, which
# eager mode reads as a Python float, about 1e-7 per step.)
COMPILED_RTOL = 1e-9
COMPILED_CHECK_OPTIMIZER = {"name": "sgd", "momentum": 0.0}  # at the workload's learning rate
INIT_STD_TOLERANCE = 0.3  # |std_torch / std_tf - 1| for weights with >= INIT_MIN_SIZE entries
INIT_MIN_SIZE = 100
PARITY_STEPS = 5
PARITY_BATCH = 32
PRECISION = "fp64"  # both harnesses compute in float64 (fwbench.frameworks, precision "fp64")
ADAM_BETA2 = 0.999  # PyTorch's and Keras's default, which fwbench's optimisers keep


def _max_abs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)))


def _max_rel_loss_gap(losses, reference) -> float:
    """Largest |loss - reference| / |reference| over the steps."""
    reference = np.asarray(reference)
    return float(np.max(np.abs(np.subtract(losses, reference)) / np.abs(reference)))


def _output_gap(outputs: np.ndarray, reference: np.ndarray) -> float:
    """Largest absolute output difference, relative to the reference's largest output."""
    return _max_abs(outputs, reference) / max(float(np.abs(reference).max()), 1e-12)


def _init_deviation(torch_weights, tf_weights) -> float:
    """Largest relative gap between the frameworks' initial std of the same weight tensor."""
    deviations = []
    for a, b in zip(torch_weights, tf_weights, strict=True):
        if a.size >= INIT_MIN_SIZE and a.std() > 0 and b.std() > 0:
            deviations.append(abs(a.std() / b.std() - 1))
        elif a.std() == 0 or b.std() == 0:  # zero-initialised (biases): must be zero in both
            deviations.append(0.0 if a.std() == b.std() == 0 else np.inf)
    return float(max(deviations, default=0.0))


def outputs_agree(a: np.ndarray, b: np.ndarray) -> bool:
    """Outputs from the same weights agree: within OUTPUT_ATOL + OUTPUT_RTOL * |a|."""
    return bool(np.allclose(b, a, atol=OUTPUT_ATOL, rtol=OUTPUT_RTOL))


def gradient_gap(torch_grads, other_grads) -> float:
    """Largest absolute gradient difference over all weights, relative to the largest gradient."""
    scale = max((float(np.abs(g).max()) for g in torch_grads if g.size), default=0.0) or 1.0
    return max(_max_abs(a, b) for a, b in zip(torch_grads, other_grads, strict=True)) / scale


def adam_epsilon_effect(gradients, eps: float) -> dict:
    """How much Keras's epsilon placement changes Adam's first update, per weight entry:
    lr g / (|g| + eps) (PyTorch) vs lr g / (|g| + eps / sqrt(1 - beta2)) (Keras), relative."""
    g = np.abs(np.concatenate([a.ravel() for a in gradients]))
    g = g[g > 0]
    keras_eps = eps / np.sqrt(1 - ADAM_BETA2)
    effect = (keras_eps - eps) / (g + keras_eps)
    return {"median": float(np.median(effect)), "p99": float(np.percentile(effect, 99))} if g.size else None


def check(
    workload, data: dict, torch_impl, other_impl, harnesses: dict, *, scale: str, seed: int = 0
) -> dict:
    """Run every parity check of `workload`'s model at `scale` between the reference's harness
    (harnesses[PARITY_REFERENCE]) and the other one in `harnesses`, both built at precision
    PRECISION; return the measurements and `passed`. Each side trains in its eager mode (its
    compiled modes are checked against eager by compiled_modes_match_eager)."""
    other = next(fw for fw in harnesses if fw != PARITY_REFERENCE)
    th, kh = harnesses[PARITY_REFERENCE], harnesses[other]
    args = workload.model_args(scale)
    torch_model, other_model = th.build_model(torch_impl, args), kh.build_model(other_impl, args)
    torch_w, other_w = th.export_weights(torch_model), kh.export_weights(other_model)
    report = {
        "workload": workload.name,
        "framework": other,
        "precision": PRECISION,
        PARAM_COUNT_TORCH: th.param_count(torch_model),
        PARAM_COUNT_OTHER: kh.param_count(other_model),
        "shapes_torch": [list(w.shape) for w in torch_w],
        "shapes_other": [list(w.shape) for w in other_w],
    }
    report[SHAPES_MATCH] = report["shapes_torch"] == report["shapes_other"]
    if not report[SHAPES_MATCH]:
        report["passed"] = False
        return report
    report[INIT_STD_MAX_DEVIATION] = _init_deviation(torch_w, other_w)

    def same_weights():  # both models back to the PyTorch initial weights (statistics included)
        th.import_weights(torch_model, torch_w)
        kh.import_weights(other_model, torch_w)

    x = data["x_test"][:64]
    same_weights()
    y_torch, y_other = th.outputs(torch_model, x, training=False), kh.outputs(other_model, x, training=False)
    report[MAX_ABS_OUTPUT_DIFF], report[OUTPUTS_MATCH] = (
        _max_abs(y_torch, y_other),
        outputs_agree(y_torch, y_other),
    )
    back = th.build_model(torch_impl, args)
    th.import_weights(back, kh.export_weights(other_model))
    report[MAX_ABS_ROUNDTRIP_DIFF] = _max_abs(th.outputs(back, x, training=False), y_torch)

    batches = list(batch_indices(len(data["x_train"]), PARITY_BATCH, PARITY_STEPS, seed))
    xb, yb = data["x_train"][batches[0]], data["y_train"][batches[0]]
    train_torch, train_other = (
        th.outputs(torch_model, xb, training=True),
        kh.outputs(other_model, xb, training=True),
    )
    report[MAX_ABS_TRAIN_OUTPUT_DIFF] = _max_abs(train_torch, train_other)
    report["train_outputs_match"] = outputs_agree(train_torch, train_other)
    same_weights()
    torch_grads, other_grads = th.gradients(torch_model, xb, yb), kh.gradients(other_model, xb, yb)
    report[MAX_REL_GRADIENT_GAP] = gradient_gap(torch_grads, other_grads)
    report["gradients_match"] = bool(report[MAX_REL_GRADIENT_GAP] <= GRADIENT_RTOL)
    optimizer = workload.spec["optimizer"]
    report["adam_epsilon_effect_step1"] = (
        adam_epsilon_effect(torch_grads, optimizer["eps"]) if optimizer["name"] in ("adam", "adamw") else None
    )

    same_weights()
    torch_step = th.make_train_step(torch_model, optimizer, "eager")
    other_step = kh.make_train_step(other_model, optimizer, "eager")
    losses = {"torch": [], "other": []}
    for idx in batches:
        xb, yb = data["x_train"][idx], data["y_train"][idx]
        losses["torch"].append(torch_step(*th.to_tensors(xb, yb)))
        losses["other"].append(other_step(*kh.to_tensors(xb, yb)))
    report["losses_torch"], report["losses_other"] = losses["torch"], losses["other"]
    report[MAX_REL_LOSS_GAP] = _max_rel_loss_gap(losses["other"], losses["torch"])
    report[LOSS_RTOL_COLUMN] = workload.spec.get("parity", {}).get(LOSS_RTOL_COLUMN, LOSS_RTOL)
    report["losses_track"] = bool(report[MAX_REL_LOSS_GAP] <= report[LOSS_RTOL_COLUMN])
    after_torch = th.outputs(torch_model, x, training=False)
    after_gap = _output_gap(kh.outputs(other_model, x, training=False), after_torch)
    report[OUTPUTS_AFTER_STEPS_REL_DIFF] = float(after_gap)
    report["outputs_after_steps_match"] = bool(after_gap <= AFTER_STEPS_RTOL)
    report["passed"] = bool(
        report[PARAM_COUNT_TORCH] == report[PARAM_COUNT_OTHER]
        and report[INIT_STD_MAX_DEVIATION] <= INIT_STD_TOLERANCE
        and report[OUTPUTS_MATCH]
        and report[MAX_ABS_ROUNDTRIP_DIFF] <= OUTPUT_ATOL
        and report["train_outputs_match"]
        and report["gradients_match"]
        and report["losses_track"]
        and report["outputs_after_steps_match"]
    )
    return report


def compiled_modes(framework: str, modes) -> list[str]:
    """The configured modes of `framework` that compile the shared loop's step, in fp32."""
    return [
        mode
        for mode in modes
        if mode != eager_of(mode) and precision_of(mode) == "fp32" and not runs_own_loop(framework, mode)
    ]


def compiled_modes_match_eager(
    workload, data: dict, impl, harness, modes, *, scale: str, seed: int = 0
) -> list[dict]:
    """Per compiled mode of one framework: PARITY_STEPS SGD steps of `workload`'s model at `scale`
    from the same initial weights on the same batches as eager; the largest relative loss gap, the
    outputs after the steps (relative to the largest), and `matches` (both within COMPILED_RTOL). A
    mode that raised is recorded as failed with its error, and does not match. The tolerance is
    COMPILED_RTOL unless the workload's parity.compiled_rtol sets one for the framework (with its
    measured reason)."""
    args = workload.model_args(scale)
    optimizer = {**COMPILED_CHECK_OPTIMIZER, "lr": workload.spec["optimizer"]["lr"]}
    batches = list(batch_indices(len(data["x_train"]), PARITY_BATCH, PARITY_STEPS, seed))
    x = data["x_test"][:64]

    def trained(mode):
        model = harness.build_model(impl, args)  # the same seeded initial weights every time
        step = harness.make_train_step(model, optimizer, mode)
        losses = [step(*harness.to_tensors(data["x_train"][i], data["y_train"][i])) for i in batches]
        return np.asarray(losses), harness.outputs(model, x, training=False)

    eager_losses, eager_out = trained("eager")
    rtol = workload.spec.get("parity", {}).get("compiled_rtol", {}).get(harness.framework, COMPILED_RTOL)
    entries = []
    for mode in compiled_modes(harness.framework, modes):
        entry = {"framework": harness.framework, "mode": mode, "status": "ok", "error": None, "rtol": rtol}
        try:
            losses, out = trained(mode)
            loss_gap, out_gap = _max_rel_loss_gap(losses, eager_losses), _output_gap(out, eager_out)
            entry.update(max_rel_loss_gap=loss_gap, outputs_after_steps_rel_diff=out_gap)
            entry["matches"] = bool(loss_gap <= rtol and out_gap <= rtol)
        except Exception as exc:  # recorded, never dropped: the mode does not match
            entry.update(status="failed", matches=False, error=f"{type(exc).__name__}: {exc}"[:500])
        entries.append(entry)
    return entries


PARITY_SCHEMA_VERSION = 5  # of workflow/schemas/parity.schema.json
RECORD_KEYS = (
    PARAM_COUNT_TORCH,
    PARAM_COUNT_OTHER,
    SHAPES_MATCH,
    INIT_STD_MAX_DEVIATION,
    MAX_ABS_OUTPUT_DIFF,
    OUTPUTS_MATCH,
    MAX_ABS_ROUNDTRIP_DIFF,
    MAX_ABS_TRAIN_OUTPUT_DIFF,
    "train_outputs_match",
    MAX_REL_GRADIENT_GAP,
    "gradients_match",
    "adam_epsilon_effect_step1",
    "losses_torch",
    "losses_other",
    MAX_REL_LOSS_GAP,
    LOSS_RTOL_COLUMN,
    "losses_track",
    OUTPUTS_AFTER_STEPS_REL_DIFF,
    "outputs_after_steps_match",
)


def record(
    workload,
    data_path,
    *,
    framework: str,
    threads: int,
    modes: dict,
    scale: str,
    with_reference_compiled: bool,
) -> dict:
    """The parity result file of `workload`'s model at `scale` between the reference and
    `framework` (rule parity): every check, or the error that stopped it, and the compiled modes
    (of `modes`, the run's configured modes) against eager of `framework` and, with
    `with_reference_compiled` (the rule sets it in one pair per workload), of the reference."""
    import traceback

    from fwbench.core import provenance
    from fwbench.core.results import error_record
    from fwbench.frameworks import load_harness
    from fwbench.runs import datasets
    from fwbench.runs.workloads import load_impl

    pair = (PARITY_REFERENCE, framework)
    compiled_checked = pair if with_reference_compiled else (framework,)
    result = {
        "schema_version": PARITY_SCHEMA_VERSION,
        "workload": workload.name,
        "reference": PARITY_REFERENCE,
        "framework": framework,
        "scale": scale,
        "model_args": workload.model_args(scale),
        "status": "ok",
        "passed": None,
        "error": None,
        "precision": PRECISION,
        "tolerances": {
            OUTPUT_ATOL_COLUMN: OUTPUT_ATOL,
            OUTPUT_RTOL_COLUMN: OUTPUT_RTOL,
            "gradient_rtol": GRADIENT_RTOL,
            "after_steps_rtol": AFTER_STEPS_RTOL,
            "init_std": INIT_STD_TOLERANCE,
            "compiled_rtol": COMPILED_RTOL,
        },
        TOLERANCE_REASON: workload.spec.get("parity", {}).get("reason"),
        "checks": None,
        "compiled_modes": [],
    }
    context = {"threads": {"requested": threads}, "device": {"requested": "cpu"}}
    try:
        harnesses = {
            fw: load_harness(fw, threads=threads, device="cpu", seed=0, precision=PRECISION) for fw in pair
        }
        context.update(threads=harnesses[framework].thread_info(), device=harnesses[framework].device_info())
        impls = {fw: load_impl(workload.impl_path(fw), f"parity_{workload.name}_{fw}") for fw in pair}
        data = datasets.load(data_path)
        report = check(workload, data, impls[PARITY_REFERENCE], impls[framework], harnesses, scale=scale)
        result["passed"] = report["passed"]
        result["checks"] = {key: report.get(key) for key in RECORD_KEYS}
        for fw in compiled_checked:
            result["compiled_modes"] += compiled_modes_match_eager(
                workload, data, impls[fw], harnesses[fw], modes.get(fw, ()), scale=scale
            )
    except Exception as exc:  # recorded with its reason, never dropped: the workload counts as failing
        result["status"], result["passed"] = "failed", False
        result["error"] = error_record(type(exc).__name__, str(exc) or repr(exc), traceback.format_exc())
    result["provenance"] = provenance.collect(
        threads=context["threads"], device=context["device"], data_sha256=provenance.sha256_file(data_path)
    )
    return result
