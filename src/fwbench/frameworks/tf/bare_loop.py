"""A bare, hand-written Keras/TensorFlow training step: the baseline of fwbench.studies.harness_overhead.run.

What a Keras user would write without fwbench, as Keras's guide "Writing a training loop from
scratch in TensorFlow" does: the model, Adam, a GradientTape step under tf.function, the loss read
back to the host. The batches arrive as tensors built before timing (`prebuilt`); the benchmark
times each call of the step with perf_counter_ns, as the pipeline's loop times the harness's step.
"""

import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

MODE = "graph"  # the harness mode this loop is the bare counterpart of (tf.function)


def prebuilt(batches) -> list:
    """The numpy (x, y) batches as tensors, built once before any step is timed."""
    return [(tf.convert_to_tensor(x), tf.convert_to_tensor(y)) for x, y in batches]


def make_step(impl, model_args: dict, *, optimizer: dict, seed: int):
    """The model, Adam and one training step: step(x, y) -> the loss as a Python float."""
    keras.utils.set_random_seed(seed)
    model = impl.build_model(**model_args)
    adam = keras.optimizers.Adam(learning_rate=optimizer["lr"], epsilon=optimizer["eps"])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def graph_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        adam.apply(grads, model.trainable_variables)
        return loss

    def step(x: tf.Tensor, y: tf.Tensor) -> float:
        return float(graph_step(x, y))

    return step
