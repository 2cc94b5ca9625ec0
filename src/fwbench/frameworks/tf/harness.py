"""TensorFlow/Keras 3 side of the harness: threads, device, determinism, model build, train, predict.

Idiomatic Keras 3 on the TF backend: a keras.Model, a GradientTape training step, wrapped in
tf.function for graph mode and tf.function(jit_compile=True) for XLA, as in Keras's guide
"Writing a training loop from scratch in TensorFlow". Mode `fit` is the path Keras documents
first ("The Sequential model", "Training & evaluation with the built-in methods"): model.compile
with jit_compile and steps_per_execution set explicitly (FIT_JIT_COMPILE: what jit_compile="auto"
resolves to on a CPU-only machine; FIT_STEPS_PER_EXECUTION: Keras's default, one step per call, so
each step can be timed), then model.fit on the same batches in the same order (arrays, batch_size,
shuffle=False), each step timed by a callback from on_train_batch_begin to on_train_batch_end, which
Keras calls after it has pulled the step's logs to the host. That interval holds Keras's own
per-step work (taking the batch from its tf.data iterator, its train_step, callback dispatch); the
loss it reports is Keras's running mean over the fit call. Keras's train_step keeps embedding
gradients sparse (see _dense), so fit and the custom loop differ there. fp32 is true fp32
(TensorFloat-32, on by default in TF on Ampere and later GPUs, is switched off); bf16 uses Keras's
mixed_bfloat16 policy (bf16 compute, fp32 variables; the loss is computed in fp32), as Keras's
mixed-precision guide does.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

import time  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from fwbench.frameworks import DeviceUnavailable, UnsupportedMode, check_mode, runs_own_loop  # noqa: E402
from fwbench.frameworks.common import DENORMAL_FP32  # noqa: E402
from fwbench.frameworks.tf import weight_layout  # noqa: E402

KERAS_POLICIES = {"bf16": "mixed_bfloat16", "fp64": "float64"}  # Keras dtype policy per precision
FIT_JIT_COMPILE = False  # jit_compile="auto" on a machine without a GPU (Keras: "XLA off on CPU")
FIT_STEPS_PER_EXECUTION = 1  # Keras's default; more would time several steps as one

# PyTorch layout <- Keras layout of a layer kernel, by rank (Dense, Conv1D, Conv2D).
_KERNEL_TO_TORCH = {2: (1, 0), 3: (2, 1, 0), 4: (3, 2, 0, 1)}


def select_device(requested: str) -> str:
    """Make only the wanted devices visible (must run before TF initialises); return 'cpu'/'cuda'."""
    gpus = tf.config.list_physical_devices("GPU")
    if requested == "cpu" or (requested == "auto" and not gpus):
        if gpus:
            tf.config.set_visible_devices([], "GPU")
        return "cpu"
    if not gpus:
        raise DeviceUnavailable("device 'cuda' requested but TensorFlow sees no GPU")
    for gpu in gpus:  # otherwise TF reserves the whole card up front
        tf.config.experimental.set_memory_growth(gpu, True)
    return "cuda"


def xla_gpu_autotune_level(xla_flags: str) -> int:
    """XLA's GPU autotuning level in force: --xla_gpu_autotune_level in XLA_FLAGS, else XLA's
    default (4: autotune and check the results)."""
    for flag in xla_flags.split():
        if flag.startswith("--xla_gpu_autotune_level="):
            return int(flag.split("=", 1)[1])
    return 4


def make_optimizer(cfg: dict) -> keras.optimizers.Optimizer:
    name, lr = cfg["name"], cfg["lr"]
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=lr, epsilon=cfg["eps"])
    if name == "adamw":
        return keras.optimizers.AdamW(learning_rate=lr, epsilon=cfg["eps"], weight_decay=cfg["weight_decay"])
    return keras.optimizers.SGD(learning_rate=lr, momentum=cfg["momentum"])


def _to_torch_layout(variable, value) -> np.ndarray:
    """`value` (the variable's, or its gradient) in PyTorch's layout."""
    value = np.asarray(value)
    if variable.path.endswith("kernel") and value.ndim in _KERNEL_TO_TORCH:
        return value.transpose(_KERNEL_TO_TORCH[value.ndim])
    return value


def _in_torch_layout(model, values: list) -> list[np.ndarray]:
    """One array per model.weights entry (values or gradients) -> PyTorch's tensors, in order."""
    arrays = [_to_torch_layout(v, value) for v, value in zip(model.weights, values, strict=True)]
    groups = _weight_groups(model)
    return weight_layout.convert(arrays, groups, to_torch=True) if groups else arrays


def _from_torch_layout(variable, array: np.ndarray) -> np.ndarray:
    if variable.path.endswith("kernel") and array.ndim in _KERNEL_TO_TORCH:
        return array.transpose(np.argsort(_KERNEL_TO_TORCH[array.ndim]))
    return array


def _dense(gradient):
    """Embedding gradients arrive as IndexedSlices, one slice per token occurrence; Keras's Adam
    then adds up the squares of the slices (v += sum g_i^2) instead of squaring their sum, which
    is not Adam (nor PyTorch's dense nn.Embedding gradient). Densified, both run the same update."""
    return tf.convert_to_tensor(gradient) if isinstance(gradient, tf.IndexedSlices) else gradient


def _weight_groups(model) -> list | None:
    """The workload's layout groups (tf_impl.torch_weight_groups), or None for the generic layout."""
    hook = getattr(getattr(model, "_fwbench_impl", None), "torch_weight_groups", None)
    return hook(model) if hook else None


class StepTimer(keras.callbacks.Callback):
    """Per-step wall time and loss of model.fit: the clock starts in on_train_batch_begin and
    stops in on_train_batch_end, whose logs Keras has already converted to Python floats (a
    callback that is not async-safe gets synchronous, host-side logs)."""

    def __init__(self):
        super().__init__()
        self.steps: list[tuple[int, float]] = []
        self._start = 0

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter_ns()

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append((time.perf_counter_ns() - self._start, float(logs["loss"])))


class Harness:
    framework = "tf"

    def __init__(
        self, *, threads: int, device: str, seed: int, deterministic: bool = True, precision: str = "fp32"
    ):
        try:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        except RuntimeError:  # TF already initialised in this process; thread_info() records the truth
            pass
        self.requested_device = device
        self.device_kind = select_device(device)
        self.seed = seed
        self.traced_step = None  # the tf.function of the training step in graph and XLA modes
        self.fit_model = None  # the model trained with model.fit in fit mode
        tf.config.experimental.enable_tensor_float_32_execution(False)
        self.precision = precision
        self._use_precision()
        self.deterministic = deterministic
        if deterministic:
            tf.config.experimental.enable_op_determinism()

    def device_info(self) -> dict:
        name = "cpu"
        if self.device_kind == "cuda":
            details = tf.config.experimental.get_device_details(tf.config.list_physical_devices("GPU")[0])
            name = details.get("device_name", "GPU")
        return {
            "requested": self.requested_device,
            "kind": self.device_kind,
            "name": name,
            "autotuning": {  # TF's and XLA's defaults, which fwbench leaves on (as TF recommends)
                "cudnn_autotune": os.environ.get("TF_CUDNN_USE_AUTOTUNE", "1") not in ("0", "false"),
                "xla_gpu_autotune_level": xla_gpu_autotune_level(os.environ.get("XLA_FLAGS", "")),
                "op_determinism": self.deterministic,
            },
        }

    def synchronize(self) -> None:
        """Wait for the device's queued work (copies included); a no-op on the CPU."""
        if self.device_kind == "cuda":
            tf.test.experimental.sync_devices()

    @staticmethod
    def thread_info() -> dict:
        return {
            "intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
            "inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
            "denormals_flushed": float((tf.constant([DENORMAL_FP32]) * 1.0)[0]) == 0.0,
        }

    def _use_precision(self) -> None:
        """Keras's dtype settings are process-wide, so each harness sets its own before it builds:
        layers compute in bf16 (variables stay fp32), in fp32, or all in float64 (the parity
        check's precision, losses included: they compute in floatx)."""
        keras.mixed_precision.set_global_policy(KERAS_POLICIES.get(self.precision, "float32"))
        keras.config.set_floatx("float64" if self.precision == "fp64" else "float32")

    def build_model(self, impl, model_args: dict) -> keras.Model:
        self._use_precision()
        keras.utils.set_random_seed(self.seed)
        model = impl.build_model(**model_args)
        model._fwbench_impl = impl  # its optional torch_weight_groups(model) hook: see weight_layout.py
        return model

    @staticmethod
    def param_count(model: keras.Model) -> int:
        return int(sum(np.prod(v.shape) for v in model.trainable_variables))

    # region: train_step
    def make_train_step(self, model: keras.Model, optimizer_cfg: dict, mode: str):
        check_mode(self.framework, mode)
        if runs_own_loop(self.framework, mode):
            raise UnsupportedMode("mode fit runs Keras's own loop (make_steps_runner), not a step")
        optimizer = make_optimizer(optimizer_cfg)
        optimizer.build(model.trainable_variables)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        def step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = [_dense(g) for g in tape.gradient(loss, model.trainable_variables)]
            optimizer.apply(grads, model.trainable_variables)
            return loss

        if mode == "graph":
            step = tf.function(step)
        elif mode == "xla":
            step = tf.function(step, jit_compile=True)
        self.traced_step = step if mode != "eager" else None

        def train_step(x, y) -> float:
            return float(step(x, y))  # pulling the value to the host synchronises the device

        return train_step

    # endregion

    def make_steps_runner(self, model: keras.Model, optimizer_cfg: dict, mode: str, x_train, y_train):
        """Mode fit: run(batches of indices) -> [(ns, loss), ...] through model.fit (see the module
        docstring); None in the other modes, whose steps run in fwbench's shared loop."""
        check_mode(self.framework, mode)
        if not runs_own_loop(self.framework, mode):
            return None
        model.compile(
            optimizer=make_optimizer(optimizer_cfg),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            jit_compile=FIT_JIT_COMPILE,
            steps_per_execution=FIT_STEPS_PER_EXECUTION,
        )
        self.fit_model = model

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

    def compile_info(self) -> dict | None:
        """How often tf.function traced the step into a graph (None in eager mode); a tf.function
        has no graph breaks: what it cannot trace is an error. In fit mode: Keras's own train
        function's jit_compile and steps_per_execution; its tracing count is not exposed (the
        tf.function is a closure inside Keras's train function), so graphs is null."""
        if self.fit_model is not None:
            return {
                "graphs": None,
                "graph_breaks": 0,
                "break_reasons": [],
                "jit_compile": bool(self.fit_model.jit_compile),
                "steps_per_execution": int(self.fit_model.steps_per_execution),
            }
        if self.traced_step is None:
            return None
        return {
            "graphs": int(self.traced_step.experimental_get_tracing_count()),
            "graph_breaks": 0,
            "break_reasons": [],
        }

    def to_device(self, array: np.ndarray) -> tf.Tensor:
        """`array` as a tensor on the run's device, copied there now, as PyTorch's .to(device) does
        (a host tensor would be copied inside the next step or call, on its clock)."""
        with tf.device("/GPU:0" if self.device_kind == "cuda" else "/CPU:0"):
            return tf.identity(array)

    def to_tensors(self, x: np.ndarray, y: np.ndarray):
        """The batch on the run's device (the shared loop synchronises before its clock starts)."""
        return self.to_device(x), self.to_device(y)

    # region: evaluate
    @staticmethod
    def predict(model: keras.Model, x: np.ndarray) -> np.ndarray:
        return np.asarray(tf.cast(model(tf.convert_to_tensor(x), training=False), tf.float32))

    # endregion

    @staticmethod
    def export_weights(model: keras.Model) -> list[np.ndarray]:
        return _in_torch_layout(model, [v.numpy() for v in model.weights])

    # Parity check only (fwbench.parity): outputs in either mode and loss gradients, no optimiser.
    @staticmethod
    def outputs(model: keras.Model, x: np.ndarray, *, training: bool) -> np.ndarray:
        """The model's outputs in training mode (batch-norm on batch statistics; its moving
        averages move, as in a training step) or inference mode, as float64 numpy."""
        return np.asarray(model(tf.convert_to_tensor(x), training=training), dtype=np.float64)

    def gradients(self, model: keras.Model, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """The training-mode loss gradient of every weight (zeros for non-trainable ones), in
        export_weights' order and layout (PyTorch's)."""
        self._use_precision()
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        with tf.GradientTape() as tape:
            loss = loss_fn(tf.convert_to_tensor(y), model(tf.convert_to_tensor(x), training=True))
        trainable = {
            id(v): g
            for v, g in zip(
                model.trainable_variables, tape.gradient(loss, model.trainable_variables), strict=True
            )
        }
        arrays = [
            np.asarray(_dense(trainable[id(v)])) if id(v) in trainable else np.zeros(v.shape)
            for v in model.weights
        ]
        return _in_torch_layout(model, arrays)

    @staticmethod
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

    def reset_peak_device_memory(self) -> None:
        if self.device_kind == "cuda":
            tf.config.experimental.reset_memory_stats("GPU:0")

    def peak_device_memory_mb(self) -> float | None:
        if self.device_kind != "cuda":
            return None
        return tf.config.experimental.get_memory_info("GPU:0")["peak"] / 2**20

    @staticmethod
    def peak_device_reserved_mb() -> None:
        """TF's allocator reports no reserved-vs-allocated split: not applicable (NVML's per-process
        memory is the common yardstick)."""
        return None
