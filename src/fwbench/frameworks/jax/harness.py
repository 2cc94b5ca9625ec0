"""JAX side of the harness: the workloads' Keras 3 models (keras_impl.py) on Keras's JAX backend.

The same Keras model file the TensorFlow runtime runs, so a JAX-vs-TF difference is the runtime's
and a PyTorch-vs-JAX one is the model API's plus the runtime's. The training step is the one
Keras documents for JAX ("Writing a training loop from scratch in JAX"): model.stateless_call
inside jax.value_and_grad, then optimizer.stateless_apply, the state (trainable, non-trainable and
optimiser variables) carried from step to step and written back to the model before it is read
(predict, weights, parity), as Keras's own JAX trainer does. Modes: `jit` (the whole step under
jax.jit, its state buffers donated, as Keras's trainer does), `eager` (the same step, op by op,
without jax.jit: JAX's debugging path) and `fit` (Keras model.fit, jit_compile=True set
explicitly: what "auto" resolves to on the JAX backend).

Settings, all before JAX starts its backend (the harness is built before any array exists):
- threads: XLA's CPU thread pool is sized to the CPUs the process may run on, and JAX has no
  thread setting, so a run of n threads is confined to n CPUs (os.sched_setaffinity); thread_info
  records the pool's size;
- device: `cpu` restricts JAX to its CPU platform; `auto`/`cuda` take JAX's default backend;
- memory: XLA_PYTHON_CLIENT_PREALLOCATE=false (JAX would reserve 75 % of the GPU up front, as TF
  would without memory growth, which the TF harness switches on);
- numerics: fp32 is true fp32 (jax_default_matmul_precision "highest": JAX's default uses
  TensorFloat-32 on Ampere and later GPUs, switched off in PyTorch and TF too); bf16 is Keras's
  mixed_bfloat16 policy; fp64 (the parity check) enables jax_enable_x64 and keeps float64 in
  Keras's type promotion (keep_float64_in_keras_promotion);
- TensorFlow: not loaded in a JAX run's process (see below the docstring);
- determinism: XLA's CPU kernels are deterministic; on a GPU, deterministic=True adds
  --xla_gpu_deterministic_ops=true to XLA_FLAGS. XLA's GPU autotuning stays at its default level.
"""

import os
import sys

os.environ["KERAS_BACKEND"] = "jax"  # Keras reads it once, on its first import
os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
# A JAX run loads no TensorFlow, as on a JAX-only install: Keras imports TensorFlow wherever it is
# installed, only to seed it too (keras.utils.set_random_seed), which would add TF's import time
# and memory to every JAX run. Marked absent, every optional TF use in Keras sees it missing.
sys.modules.setdefault("tensorflow", None)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

from fwbench.frameworks import DeviceUnavailable  # noqa: E402
from fwbench.frameworks.common import DENORMAL_FP32, xla_gpu_autotune_level  # noqa: E402
from fwbench.frameworks.keras import shared  # noqa: E402

shared.require_backend("jax")

FIT_JIT_COMPILE = True  # jit_compile="auto" on the JAX backend
DETERMINISTIC_GPU_FLAG = "--xla_gpu_deterministic_ops=true"


def confine_threads(threads: int) -> int:
    """Confine the process to `threads` of its CPUs (XLA sizes its CPU pool to them); return the
    number it may run on."""
    allowed = sorted(os.sched_getaffinity(0))
    if threads < len(allowed):
        os.sched_setaffinity(0, allowed[:threads])
    return len(os.sched_getaffinity(0))


def select_device(requested: str) -> jax.Device:
    """The device the run computes on; DeviceUnavailable if `cuda` is asked for and JAX has none."""
    if requested == "cpu":
        jax.config.update("jax_platforms", "cpu")
        return jax.devices("cpu")[0]
    device = jax.devices()[0]
    if requested == "cuda" and device.platform != "gpu":
        raise DeviceUnavailable("device 'cuda' requested but JAX sees no GPU (install jax[cuda12])")
    return device


def keep_float64_in_keras_promotion() -> None:
    """Keras's type promotion maps float64 to float32 on every backend but TensorFlow (a rule for
    JAX's default, 64-bit types off), so layers that promote their inputs (batch-norm, attention,
    the GRU) would compute in float32 under the float64 policy. With jax_enable_x64 on (the parity
    check's precision only) float64 stays float64, as on the TF backend, so the check is float64 on
    both sides (without it, outputs differ from PyTorch's by 1e-8 to 1e-6)."""
    from keras.src.backend.common import dtypes

    dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"


class ModelState:
    """A model's variables as the stateless step carries them: read from the model at the first
    step after a write-back (placed on the run's device, as the step's outputs are: an array not
    yet committed to a device is another input signature, which jax.jit would compile again at
    the second step), written back before anyone reads the model."""

    def __init__(self, model: keras.Model, optimizer: keras.optimizers.Optimizer, device: jax.Device):
        self.model, self.optimizer, self.device, self.value = model, optimizer, device, None

    def get(self):
        if self.value is None:
            values = (
                [v.value for v in self.model.trainable_variables],
                [v.value for v in self.model.non_trainable_variables],
                [v.value for v in self.optimizer.variables],
            )
            self.value = jax.device_put(values, self.device)
        return self.value

    def write_back(self) -> None:
        if self.value is None:
            return
        owners = (
            self.model.trainable_variables,
            self.model.non_trainable_variables,
            self.optimizer.variables,
        )
        for variables, values in zip(owners, self.value, strict=True):
            for variable, value in zip(variables, values, strict=True):
                variable.assign(value)
        self.value = None


class Harness:
    framework = "jax"

    def __init__(
        self, *, threads: int, device: str, seed: int, deterministic: bool = True, precision: str = "fp32"
    ):
        self.cpu_threads = confine_threads(threads)
        self.deterministic = deterministic
        if deterministic and DETERMINISTIC_GPU_FLAG not in os.environ.get("XLA_FLAGS", ""):
            os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {DETERMINISTIC_GPU_FLAG}".strip()
        self.requested_device = device
        self.device = select_device(device)
        self.device_kind = "cuda" if self.device.platform == "gpu" else "cpu"
        jax.config.update("jax_enable_x64", precision == "fp64")
        if precision == "fp64":
            keep_float64_in_keras_promotion()
        jax.config.update("jax_default_matmul_precision", "highest")
        self.seed = seed
        self.precision = precision
        shared.use_precision(precision)
        self.states: dict[int, ModelState] = {}  # id(model) -> the state its training step carries
        self.jitted_step = None  # the jax.jit of the training step in mode jit
        self.example_batch = None  # the shapes of the last batch (compile_info's cost analysis)
        self.fit_model = None

    def device_info(self) -> dict:
        return {
            "requested": self.requested_device,
            "kind": self.device_kind,
            "name": self.device.device_kind if self.device_kind == "cuda" else "cpu",
            "autotuning": {
                "xla_gpu_autotune_level": xla_gpu_autotune_level(os.environ.get("XLA_FLAGS", "")),
                "xla_gpu_deterministic_ops": DETERMINISTIC_GPU_FLAG in os.environ.get("XLA_FLAGS", ""),
            },
        }

    def thread_info(self) -> dict:
        return {
            "intra_op": self.cpu_threads,
            "inter_op": self.cpu_threads,
            "method": "cpu affinity (XLA's CPU pool has one thread per allowed CPU)",
            "denormals_flushed": float((jnp.asarray([DENORMAL_FP32]) * 1.0)[0]) == 0.0,
        }

    def synchronize(self) -> None:
        """A no-op: to_tensors waits for its own copies, and a step's float() waits for the step."""

    def build_model(self, impl, model_args: dict) -> keras.Model:
        return shared.build_model(impl, model_args, seed=self.seed, precision=self.precision)

    param_count = staticmethod(shared.param_count)

    def _state(self, model, optimizer) -> ModelState:
        self.states[id(model)] = ModelState(model, optimizer, self.device)
        return self.states[id(model)]

    def write_back(self, model) -> None:
        """The trained state into the model's variables (before anything reads the model)."""
        if id(model) in self.states:
            self.states[id(model)].write_back()

    # region: train_step
    def make_train_step(self, model: keras.Model, optimizer_cfg: dict, mode: str):
        shared.check_step_mode(self.framework, mode)
        optimizer = shared.make_optimizer(optimizer_cfg)
        optimizer.build(model.trainable_variables)
        loss_fn = shared.loss_function()

        def compute_loss(trainable, non_trainable, x, y):
            logits, non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
            return loss_fn(y, logits), non_trainable

        grad_fn = jax.value_and_grad(compute_loss, has_aux=True)

        def step(state, x, y):
            trainable, non_trainable, optimizer_vars = state
            (loss, non_trainable), grads = grad_fn(trainable, non_trainable, x, y)
            trainable, optimizer_vars = optimizer.stateless_apply(optimizer_vars, grads, trainable)
            return loss, (trainable, non_trainable, optimizer_vars)

        if mode == "jit":
            step = jax.jit(step, donate_argnums=0)
        self.jitted_step = step if mode == "jit" else None
        state = self._state(model, optimizer)

        def train_step(x, y) -> float:
            loss, state.value = step(state.get(), x, y)
            return float(loss)  # pulling the value to the host waits for the step

        return train_step

    # endregion

    def make_steps_runner(self, model: keras.Model, optimizer_cfg: dict, mode: str, x_train, y_train):
        """Mode fit: run(batches of indices) -> [(ns, loss), ...] through model.fit (Keras's JAX
        trainer, jit-compiled); None in the other modes, whose steps run in fwbench's shared loop."""
        run = shared.fit_steps_runner(
            self.framework, mode, model, optimizer_cfg, x_train, y_train, jit_compile=FIT_JIT_COMPILE
        )
        if run is not None:
            self.fit_model = model
        return run

    def compile_info(self) -> dict | None:
        """Mode jit: how many programs jax.jit compiled for the step (one per input signature; JAX
        has no graph breaks: what it cannot trace is an error) and XLA's own FLOP count of one
        step (cost analysis of the lowered step: a cross-check of fwbench's shared count). Mode
        fit: Keras's jit_compile and steps_per_execution. None in eager mode."""
        if self.fit_model is not None:
            return shared.fit_compile_info(self.fit_model)
        if self.jitted_step is None:
            return None
        info = {"graphs": int(self.jitted_step._cache_size()), "graph_breaks": 0, "break_reasons": []}
        state = next(iter(self.states.values()), None)
        if state is not None and self.example_batch is not None:
            shapes = jax.tree.map(lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), state.get())
            cost = self.jitted_step.lower(shapes, *self.example_batch).cost_analysis()
            info["xla_flops_per_step"] = float(cost["flops"]) if cost and "flops" in cost else None
        return info

    def to_device(self, array: np.ndarray) -> jax.Array:
        """`array` on the run's device, copied there now (a host array would be copied inside the
        next step or call, on its clock)."""
        return jax.device_put(array, self.device).block_until_ready()

    def to_tensors(self, x: np.ndarray, y: np.ndarray):
        self.example_batch = (jax.ShapeDtypeStruct(x.shape, x.dtype), jax.ShapeDtypeStruct(y.shape, y.dtype))
        return self.to_device(x), self.to_device(y)

    # region: evaluate
    def predict(self, model: keras.Model, x: np.ndarray) -> np.ndarray:
        self.write_back(model)
        return np.asarray(model(x, training=False), dtype=np.float32)

    # endregion

    def export_weights(self, model: keras.Model) -> list[np.ndarray]:
        self.write_back(model)
        return shared.export_weights(model)

    def import_weights(self, model: keras.Model, arrays) -> None:
        self.write_back(model)
        shared.import_weights(model, arrays)

    # Parity check only (fwbench.studies.parity.run): outputs in either mode and loss gradients, no optimiser.
    def outputs(self, model: keras.Model, x: np.ndarray, *, training: bool) -> np.ndarray:
        """The model's outputs in training mode (batch-norm on batch statistics; its moving
        averages move, as in a training step) or inference mode, as float64 numpy."""
        self.write_back(model)
        return np.asarray(model(x, training=training), dtype=np.float64)

    def gradients(self, model: keras.Model, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """The training-mode loss gradient of every weight (zeros for non-trainable ones), in
        PyTorch's order and layout; the model's variables do not change."""
        self.write_back(model)
        shared.use_precision(self.precision)
        loss_fn = shared.loss_function()
        non_trainable = [v.value for v in model.non_trainable_variables]

        def loss_of(trainable):
            logits, _ = model.stateless_call(trainable, non_trainable, x, training=True)
            return loss_fn(y, logits)

        grads = jax.grad(loss_of)([v.value for v in model.trainable_variables])
        return shared.gradients_in_torch_layout(model, grads)

    def reset_peak_device_memory(self) -> None:
        """JAX cannot reset its allocator's peak: peak_device_memory_mb is the peak since the run's
        process started (each run is a fresh process, so its model and data are in it)."""

    def _memory_stats(self) -> dict:
        return (self.device.memory_stats() or {}) if self.device_kind == "cuda" else {}

    def peak_device_memory_mb(self) -> float | None:
        peak = self._memory_stats().get("peak_bytes_in_use")
        return None if peak is None else peak / 2**20

    def peak_device_reserved_mb(self) -> float | None:
        reserved = self._memory_stats().get("peak_pool_bytes", self._memory_stats().get("pool_bytes"))
        return None if reserved is None else reserved / 2**20
