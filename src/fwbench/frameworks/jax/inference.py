"""JAX side of the inference sweep (rule infer): mode predictors and exports.

Modes: eager (model(x, training=False), op by op) and jit (jax.jit of model.stateless_call with
the weights as arguments, as Keras's own predict does on JAX); a new batch size is compiled during
the untimed warm-up calls. Inputs are put on the run's device before the timed calls
(harness.to_device); each call waits for its result (block_until_ready), so the clock sees
finished work. Exports: `jax_export` (jax.export of the jitted forward pass with a symbolic batch
dimension and the weights as constants, serialised to StableHLO bytes, read back and called).
Keras's other formats on the JAX backend (model.export "tf_saved_model", "onnx") go through jax2tf
and need TensorFlow: they are recorded as unsupported with that reason, not attempted.
"""

import jax
import keras
import numpy as np

from fwbench.frameworks import UnsupportedMode, check_mode
from fwbench.frameworks.common import Export, Predictor

NEEDS_TENSORFLOW = ("saved_model", "onnx")  # Keras's exporters on JAX convert through jax2tf


def _predictor(harness, forward) -> Predictor:
    return Predictor(
        prepare=harness.to_device,
        call=lambda x: forward(x).block_until_ready(),
        to_numpy=lambda out: np.asarray(out, dtype=np.float32),
    )


def _stateless_forward(model: keras.Model):
    """forward(trainable, non_trainable, x) -> logits in inference mode, without side effects."""
    return lambda trainable, non_trainable, x: model.stateless_call(
        trainable, non_trainable, x, training=False
    )[0]


def _weights(model: keras.Model) -> tuple[list, list]:
    return [v.value for v in model.trainable_variables], [v.value for v in model.non_trainable_variables]


def mode_predictor(harness, model: keras.Model, mode: str) -> Predictor:
    check_mode(harness.framework, mode)
    harness.write_back(model)
    if mode == "eager":
        return _predictor(harness, lambda x: model(x, training=False))
    forward, (trainable, non_trainable) = jax.jit(_stateless_forward(model)), _weights(model)
    return _predictor(harness, lambda x: forward(trainable, non_trainable, x))


def _needs_tensorflow(format_name: str) -> Export:
    def build(workdir):
        raise UnsupportedMode(
            f"Keras's {format_name} export on the JAX backend converts through jax2tf and needs TensorFlow"
        )

    return Export(format_name, build)


def exports(harness, model: keras.Model, *, example: np.ndarray, threads: int) -> list[Export]:
    """`example`: rows of the data, whose shape (after the batch) and dtype the export takes."""
    harness.write_back(model)

    def to_jax_export(workdir):
        trainable, non_trainable = _weights(model)
        forward = jax.jit(lambda x: _stateless_forward(model)(trainable, non_trainable, x))
        (batch,) = jax.export.symbolic_shape("batch")
        spec = jax.ShapeDtypeStruct((batch, *example.shape[1:]), jax.numpy.asarray(example[:1]).dtype)
        path = workdir / "model.jax_export"
        path.write_bytes(jax.export.export(forward)(spec).serialize())
        loaded = jax.export.deserialize(bytearray(path.read_bytes()))
        tool = f"jax.export {jax.__version__} (StableHLO, symbolic batch), jax.export.deserialize"
        return _predictor(harness, loaded.call), tool, path

    return [Export("jax_export", to_jax_export), *map(_needs_tensorflow, NEEDS_TENSORFLOW)]
