"""What the two Keras 3 runtimes (frameworks/tf and frameworks/jax) share: the Keras side of a harness.

Both run each workload's keras_impl.py, one Keras model file, so the Keras-level parts of their
harnesses are the same code: the backend check, dtype policies, optimisers, model build and
parameter count, weights in PyTorch's layout (the parity check's common currency), the timed
model.fit runner (mode `fit`) and the debugging study's print probe. What differs by runtime
(threads, devices, the training step, compilation, device memory) stays in each runtime's folder.
Keras picks its backend once per process, from KERAS_BACKEND when it is first imported: the
runtime's harness sets it before it imports this module, and require_backend() checks it took.
"""

import time

import keras
import numpy as np

from fwbench.frameworks import UnsupportedMode, check_mode, runs_own_loop
from fwbench.frameworks.keras import weight_layout

KERAS_POLICIES = {"bf16": "mixed_bfloat16", "fp64": "float64"}  # Keras dtype policy per precision
FIT_STEPS_PER_EXECUTION = 1  # Keras's default; more would time several steps as one

# PyTorch layout <- Keras layout of a layer kernel, by rank (Dense, Conv1D, Conv2D).
_KERNEL_TO_TORCH = {2: (1, 0), 3: (2, 1, 0), 4: (3, 2, 0, 1)}


def require_backend(backend: str) -> None:
    """RuntimeError unless Keras runs on `backend` in this process (it cannot switch once imported)."""
    if keras.backend.backend() != backend:
        raise RuntimeError(
            f"Keras was imported with the {keras.backend.backend()!r} backend before this {backend!r} "
            "harness: run each Keras runtime in its own process (fwbench's runs do)"
        )


def use_precision(precision: str) -> None:
    """Keras's dtype settings are process-wide, so each harness sets its own before it builds:
    layers compute in bf16 (variables stay fp32), in fp32, or all in float64 (the parity check's
    precision, losses included: they compute in floatx)."""
    keras.mixed_precision.set_global_policy(KERAS_POLICIES.get(precision, "float32"))
    keras.config.set_floatx("float64" if precision == "fp64" else "float32")


def make_optimizer(cfg: dict) -> keras.optimizers.Optimizer:
    name, lr = cfg["name"], cfg["lr"]
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=lr, epsilon=cfg["eps"])
    if name == "adamw":
        return keras.optimizers.AdamW(learning_rate=lr, epsilon=cfg["eps"], weight_decay=cfg["weight_decay"])
    return keras.optimizers.SGD(learning_rate=lr, momentum=cfg["momentum"])


def check_step_mode(framework: str, mode: str) -> None:
    """UnsupportedMode unless `mode` is one of the framework's modes that runs the hand-written
    step (mode fit runs Keras's own loop: make_steps_runner)."""
    check_mode(framework, mode)
    if runs_own_loop(framework, mode):
        raise UnsupportedMode("mode fit runs Keras's own loop (make_steps_runner), not a step")


def loss_function() -> keras.losses.Loss:
    """The training loss of every workload: cross-entropy of integer labels on logits."""
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def build_model(impl, model_args: dict, *, seed: int, precision: str) -> keras.Model:
    """The workload's Keras model under the precision's policy, initialised from `seed`."""
    use_precision(precision)
    keras.utils.set_random_seed(seed)
    model = impl.build_model(**model_args)
    model._fwbench_impl = impl  # its optional torch_weight_groups(model) hook: see weight_layout.py
    return model


def param_count(model: keras.Model) -> int:
    return int(sum(np.prod(v.shape) for v in model.trainable_variables))


def _weight_groups(model) -> list | None:
    """The workload's layout groups (keras_impl.torch_weight_groups), or None for the generic layout."""
    hook = getattr(getattr(model, "_fwbench_impl", None), "torch_weight_groups", None)
    return hook(model) if hook else None


def _to_torch_layout(variable, value) -> np.ndarray:
    """`value` (the variable's, or its gradient) in PyTorch's layout."""
    value = np.asarray(value)
    if variable.path.endswith("kernel") and value.ndim in _KERNEL_TO_TORCH:
        return value.transpose(_KERNEL_TO_TORCH[value.ndim])
    return value


def _from_torch_layout(variable, array: np.ndarray) -> np.ndarray:
    if variable.path.endswith("kernel") and array.ndim in _KERNEL_TO_TORCH:
        return array.transpose(np.argsort(_KERNEL_TO_TORCH[array.ndim]))
    return array


def in_torch_layout(model, values: list) -> list[np.ndarray]:
    """One array per model.weights entry (values or gradients) -> PyTorch's tensors, in order."""
    arrays = [_to_torch_layout(v, value) for v, value in zip(model.weights, values, strict=True)]
    groups = _weight_groups(model)
    return weight_layout.convert(arrays, groups, to_torch=True) if groups else arrays


def export_weights(model: keras.Model) -> list[np.ndarray]:
    return in_torch_layout(model, [np.asarray(v.numpy()) for v in model.weights])


def import_weights(model: keras.Model, arrays) -> None:
    groups = _weight_groups(model)
    if groups:
        arrays = weight_layout.convert(list(arrays), groups, to_torch=False)
    if len(model.weights) != len(arrays):
        raise ValueError(f"keras model has {len(model.weights)} weights, got {len(arrays)} arrays")
    for variable, array in zip(model.weights, arrays, strict=True):
        value = _from_torch_layout(variable, np.asarray(array))
        if tuple(variable.shape) != value.shape:
            raise ValueError(f"{variable.path}: shape {tuple(variable.shape)} != {value.shape}")
        variable.assign(value)


def gradients_in_torch_layout(model: keras.Model, trainable_gradients) -> list[np.ndarray]:
    """Gradients of model.trainable_variables (in their order) as one array per model.weights
    entry (zeros for the non-trainable ones), in PyTorch's order and layout."""
    by_variable = {
        id(v): np.asarray(g) for v, g in zip(model.trainable_variables, trainable_gradients, strict=True)
    }
    arrays = [by_variable.get(id(v), np.zeros(v.shape)) for v in model.weights]
    return in_torch_layout(model, arrays)


class StepTimer(keras.callbacks.Callback):
    """Per-step wall time and loss of model.fit: the clock starts in on_train_batch_begin and
    stops in on_train_batch_end, whose logs Keras has already converted to Python floats (a
    callback that is not async-safe gets synchronous, host-side logs, on every backend)."""

    def __init__(self):
        super().__init__()
        self.steps: list[tuple[int, float]] = []
        self._start = 0

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter_ns()

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append((time.perf_counter_ns() - self._start, float(logs["loss"])))


def fit_steps_runner(
    framework: str, mode: str, model: keras.Model, optimizer_cfg: dict, x_train, y_train, *, jit_compile: bool
):
    """Mode fit: run(batches of indices) -> [(ns, loss), ...] through model.compile (jit_compile
    set explicitly, steps_per_execution 1) and model.fit on the same batches in the same order
    (arrays, batch_size, shuffle=False), each step timed by StepTimer. That interval holds Keras's
    own per-step work (taking the batch from its iterator, its train_step, callback dispatch); the
    loss it reports is Keras's running mean over the fit call. None in the modes whose steps run
    in fwbench's shared loop."""
    check_mode(framework, mode)
    if not runs_own_loop(framework, mode):
        return None
    model.compile(
        optimizer=make_optimizer(optimizer_cfg),
        loss=loss_function(),
        jit_compile=jit_compile,
        steps_per_execution=FIT_STEPS_PER_EXECUTION,
    )

    def run(batches) -> list[tuple[int, float]]:
        if not batches:
            return []
        order = np.concatenate(batches)
        timer = StepTimer()
        model.fit(
            x_train[order],
            y_train[order],
            batch_size=len(batches[0]),
            epochs=1,
            shuffle=False,
            verbose=0,
            callbacks=[timer],
        )
        return timer.steps

    return run


def fit_compile_info(model: keras.Model) -> dict:
    """What model.fit compiled with: its jit_compile and steps_per_execution; Keras's train function
    is a closure whose tracing count it does not expose, so graphs is null."""
    return {
        "graphs": None,
        "graph_breaks": 0,
        "break_reasons": [],
        "jit_compile": bool(model.jit_compile),
        "steps_per_execution": int(model.steps_per_execution),
    }


def with_print_probe(model, stream):
    """Wrap the model in one whose call() prints its output (to `stream`); return the wrapper."""

    class Printing(keras.Model):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner
            self.built = inner.built  # no weights of its own (JAX's stateless_call needs it built)

        def call(self, x, training=False):
            out = self.inner(x, training=training)
            print("fwbench-probe:", keras.ops.reshape(out, (-1,))[:3], file=stream)
            return out

    return Printing(model)


def reset_session() -> None:
    """Keras's global state cleared (layer-name counters, the TF graph, cached functions), as a
    fresh process starts: the debugging study probes several faults in one process."""
    keras.backend.clear_session()
