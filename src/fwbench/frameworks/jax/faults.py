"""JAX part of the debugging study (fwbench.studies.debug.probes): fault mutations, print probe.

Each mutation is a list of (old, new) text replacements applied to the `train_step` region of
harness.py beside this file, the training step every workload goes through, so every workload can be put
through every fault. `new` may span several lines; continuation lines take the old line's indent.
The faults are the same bugs in the same places as in the other frameworks; under jax.jit an
error raised while tracing (a tracer error) is classified like any other loud failure, and a fault
that behaves differently with and without jax.jit counts as a mode-dependent quirk
(fwbench.studies.debug.tables).
"""

_FORWARD = "model.stateless_call(trainable, non_trainable, x, training=True)"

MUTATIONS = {
    "none": [],
    "shape_mismatch": [(_FORWARD, _FORWARD.replace(", x,", ", x[..., 1:],"))],
    "dtype_mismatch": [(_FORWARD, _FORWARD.replace(", x,", ", x.astype(jnp.float64),"))],
    "device_placement": [(_FORWARD, _FORWARD.replace(", x,", ', jax.device_put(x, jax.devices("cpu")[0]),'))],
    "wrong_loss_input": [("loss_fn(y, logits)", "loss_fn(y, jax.nn.softmax(logits))")],
    "wrong_softmax_axis": [("loss_fn(y, logits)", "loss_fn(y, jax.nn.log_softmax(logits, axis=0))")],
    "detached_gradient": [("loss_fn(y, logits)", "loss_fn(y, jax.lax.stop_gradient(logits))")],
    "nan_bad_op": [("loss_fn(y, logits)", "loss_fn(y, jnp.log(logits))")],
    "layout_nchw_nhwc": [
        (_FORWARD, _FORWARD.replace(", x,", ", jnp.reshape(jnp.swapaxes(x, 0, -1), x.shape),"))
    ],
    # The same bug in the same place as in PyTorch and TF: the optimiser's update left out of the step.
    "missing_optimizer_step": [
        (
            "trainable, optimizer_vars = optimizer.stateless_apply(optimizer_vars, grads, trainable)",
            "pass  # optimizer.stateless_apply() forgotten",
        )
    ],
}


def with_print_probe(model, stream):
    """The Keras runtimes' print probe (frameworks/keras/shared.py), imported only when a probe
    runs: this module is read for MUTATIONS before the harness sets Keras's backend."""
    from fwbench.frameworks.keras.shared import with_print_probe as keras_print_probe

    return keras_print_probe(model, stream)


def reset_session() -> None:
    """Between two probes in one process: Keras's global state cleared (layer names, the graph), as
    a fresh process starts (frameworks/keras/shared.py)."""
    from fwbench.frameworks.keras.shared import reset_session as keras_reset_session

    keras_reset_session()
