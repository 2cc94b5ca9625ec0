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

os.environ["KERAS_BACKEND"] = "tensorflow"  # Keras reads it once, on its first import
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from fwbench.frameworks import DeviceUnavailable  # noqa: E402
from fwbench.frameworks.common import DENORMAL_FP32, xla_gpu_autotune_level  # noqa: E402
from fwbench.frameworks.keras import shared  # noqa: E402

shared.require_backend("tensorflow")

FIT_JIT_COMPILE = False  # jit_compile="auto" on a machine without a GPU (Keras: "XLA off on CPU")


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


def _dense(gradient):
    """Embedding gradients arrive as IndexedSlices, one slice per token occurrence; Keras's Adam
    then adds up the squares of the slices (v += sum g_i^2) instead of squaring their sum, which
    is not Adam (nor PyTorch's dense nn.Embedding gradient). Densified, both run the same update."""
    return tf.convert_to_tensor(gradient) if isinstance(gradient, tf.IndexedSlices) else gradient


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
        shared.use_precision(precision)
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

    def build_model(self, impl, model_args: dict) -> keras.Model:
        return shared.build_model(impl, model_args, seed=self.seed, precision=self.precision)

    param_count = staticmethod(shared.param_count)

    # region: train_step
    def make_train_step(self, model: keras.Model, optimizer_cfg: dict, mode: str):
        shared.check_step_mode(self.framework, mode)
        optimizer = shared.make_optimizer(optimizer_cfg)
        optimizer.build(model.trainable_variables)
        loss_fn = shared.loss_function()

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
        run = shared.fit_steps_runner(
            self.framework, mode, model, optimizer_cfg, x_train, y_train, jit_compile=FIT_JIT_COMPILE
        )
        if run is not None:
            self.fit_model = model
        return run

    def compile_info(self) -> dict | None:
        """How often tf.function traced the step into a graph (None in eager mode); a tf.function
        has no graph breaks: what it cannot trace is an error. In fit mode: Keras's own train
        function's jit_compile and steps_per_execution; its tracing count is not exposed (the
        tf.function is a closure inside Keras's train function), so graphs is null."""
        if self.fit_model is not None:
            return shared.fit_compile_info(self.fit_model)
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

    export_weights = staticmethod(shared.export_weights)

    # Parity check only (fwbench.studies.parity.run): outputs in either mode and loss gradients, no optimiser.
    @staticmethod
    def outputs(model: keras.Model, x: np.ndarray, *, training: bool) -> np.ndarray:
        """The model's outputs in training mode (batch-norm on batch statistics; its moving
        averages move, as in a training step) or inference mode, as float64 numpy."""
        return np.asarray(model(tf.convert_to_tensor(x), training=training), dtype=np.float64)

    def gradients(self, model: keras.Model, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """The training-mode loss gradient of every weight (zeros for non-trainable ones), in
        export_weights' order and layout (PyTorch's)."""
        shared.use_precision(self.precision)
        with tf.GradientTape() as tape:
            loss = shared.loss_function()(
                tf.convert_to_tensor(y), model(tf.convert_to_tensor(x), training=True)
            )
        grads = tape.gradient(loss, model.trainable_variables)
        return shared.gradients_in_torch_layout(model, [_dense(g) for g in grads])

    import_weights = staticmethod(shared.import_weights)

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
