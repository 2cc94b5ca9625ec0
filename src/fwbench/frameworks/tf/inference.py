"""TensorFlow/Keras side of the inference sweep (rule infer): mode predictors and exports.

Modes: eager (model(x, training=False)), graph (tf.function of it) and xla (tf.function with
jit_compile=True); a new batch size is traced/compiled during the untimed warm-up calls. Inputs are
put on the run's device before the timed calls (harness.to_device), as the PyTorch side does. On a
GPU each call ends with tf.test.experimental.sync_devices(), so the clock sees finished work.
Exports: `saved_model` (Keras 3 model.export(format="tf_saved_model"), reloaded with
tf.saved_model.load and called through its `serve` endpoint) and `onnx` (tf2onnx.convert.from_function
with a dynamic batch dimension, run in ONNX Runtime).
"""

import keras
import numpy as np
import tensorflow as tf

from fwbench.frameworks import check_mode
from fwbench.frameworks.common import Export, Predictor, onnx_predictor

ONNX_OPSET = 17


def _predictor(harness, forward) -> Predictor:
    on_gpu = harness.device_kind == "cuda"

    def call(x):
        out = forward(x)
        if on_gpu:
            tf.test.experimental.sync_devices()
        return out

    return Predictor(
        prepare=harness.to_device, call=call, to_numpy=lambda out: tf.cast(out, tf.float32).numpy()
    )


def _forward(model: keras.Model):
    return lambda x: model(x, training=False)


def mode_predictor(harness, model: keras.Model, mode: str) -> Predictor:
    check_mode(harness.framework, mode)
    forward = _forward(model)
    if mode == "graph":
        forward = tf.function(forward)
    elif mode == "xla":
        forward = tf.function(forward, jit_compile=True)
    return _predictor(harness, forward)


def exports(harness, model: keras.Model, *, example: np.ndarray, threads: int) -> list[Export]:
    """`example`: rows of the data, whose shape and dtype (token ids are int64) the exports take."""
    signature = [tf.TensorSpec((None, *example.shape[1:]), tf.as_dtype(example.dtype), name="x")]

    def to_saved_model(workdir):
        path = workdir / "saved_model"
        model.export(str(path), format="tf_saved_model", verbose=False)
        loaded = tf.saved_model.load(str(path))
        tool = f"keras {keras.__version__} model.export(tf_saved_model), tf.saved_model.load"
        # the lambda keeps `loaded` alive: its variables die with it, and serve() would fail
        return _predictor(harness, lambda x: loaded.serve(x)), tool, path

    def to_onnx(workdir):
        import tf2onnx  # imported here: a missing or broken tf2onnx fails this export only

        path = workdir / "model_tf.onnx"
        tf2onnx.convert.from_function(
            tf.function(_forward(model)), input_signature=signature, opset=ONNX_OPSET, output_path=str(path)
        )
        tool = f"tf2onnx {tf2onnx.__version__} (opset {ONNX_OPSET}) + onnxruntime"
        return onnx_predictor(path, threads=threads, device_kind=harness.device_kind), tool, path

    return [Export("saved_model", to_saved_model), Export("onnx", to_onnx)]
