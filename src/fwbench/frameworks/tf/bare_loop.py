"""A bare, hand-written Keras/TensorFlow training loop: the baseline of benchmarks/harness_overhead.py.

What a Keras user would write without fwbench, as Keras's guide "Writing a training loop from
scratch in TensorFlow" does: the model, Adam, a GradientTape step under tf.function, the loss read
back to the host. The batches arrive as tensors built before timing; each step is timed as the
harness's are, with perf_counter_ns around the step alone.
"""

import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

MODE = "graph"  # the harness mode this loop is the bare counterpart of (tf.function)


def bare_step_times_ms(impl, model_args: dict, batches, *, optimizer: dict, seed: int) -> np.ndarray:
    """Per-step wall time (ms) of the bare loop over `batches` (a list of numpy (x, y) pairs)."""
    keras.utils.set_random_seed(seed)
    model = impl.build_model(**model_args)
    adam = keras.optimizers.Adam(learning_rate=optimizer["lr"], epsilon=optimizer["eps"])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        adam.apply(grads, model.trainable_variables)
        return loss

    tensors = [(tf.convert_to_tensor(x), tf.convert_to_tensor(y)) for x, y in batches]
    times_ns = np.empty(len(tensors), dtype=np.int64)
    for i, (x, y) in enumerate(tensors):
        start = time.perf_counter_ns()
        float(step(x, y))
        times_ns[i] = time.perf_counter_ns() - start
    return times_ns / 1e6
