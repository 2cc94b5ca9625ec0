"""A bare, hand-written Keras-on-JAX training step: the baseline of fwbench.studies.harness_overhead.run.

What a Keras user on JAX would write without fwbench, as Keras's guide "Writing a training loop
from scratch in JAX" does: the model and Adam, a pure step over the model's and the optimiser's
state (`stateless_call`, `jax.value_and_grad`, `stateless_apply`) under `jax.jit`, the state
threaded through the calls by hand and the loss read back to the host. The state buffers are
donated to the step, as Keras's own JAX trainer and the harness's `jit` mode do, so that both sides
compute the same program. The batches arrive as device arrays built before timing (`prebuilt`).
"""

import os

os.environ["KERAS_BACKEND"] = "jax"

import jax  # noqa: E402
import keras  # noqa: E402

MODE = "jit"  # the harness mode this loop is the bare counterpart of (jax.jit)


def prebuilt(batches) -> list:
    """The numpy (x, y) batches as device arrays, copied once before any step is timed."""
    return [(jax.device_put(x), jax.device_put(y)) for x, y in batches]


def make_step(impl, model_args: dict, *, optimizer: dict, seed: int):
    """The model, Adam and one training step: step(x, y) -> the loss as a Python float."""
    keras.utils.set_random_seed(seed)
    model = impl.build_model(**model_args)
    adam = keras.optimizers.Adam(learning_rate=optimizer["lr"], epsilon=optimizer["eps"])
    adam.build(model.trainable_variables)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def loss_and_updates(trainable, non_trainable, x, y):
        logits, non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
        return loss_fn(y, logits), non_trainable

    grad_fn = jax.value_and_grad(loss_and_updates, has_aux=True)

    def train_step(state, x, y):
        trainable, non_trainable, optimizer_vars = state
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, x, y)
        trainable, optimizer_vars = adam.stateless_apply(optimizer_vars, grads, trainable)
        return loss, (trainable, non_trainable, optimizer_vars)

    jitted_step = jax.jit(train_step, donate_argnums=0)
    state = (
        [variable.value for variable in model.trainable_variables],
        [variable.value for variable in model.non_trainable_variables],
        [variable.value for variable in adam.variables],
    )

    def step(x, y) -> float:
        nonlocal state
        loss, state = jitted_step(state, x, y)
        return float(loss)

    return step
