"""TensorFlow/Keras part of the debugging study (fwbench.studies.debug.probes): fault mutations, print probe.

Each mutation is a list of (old, new) text replacements applied to the `train_step` region of
harness.py beside this file, the training step every workload goes through, so every workload can be put
through every fault. `new` may span several lines; continuation lines take the old line's indent.
"""

MUTATIONS = {
    "none": [],
    "shape_mismatch": [("model(x, training=True)", "model(x[..., 1:], training=True)")],
    "dtype_mismatch": [("model(x, training=True)", "model(tf.cast(x, tf.float64), training=True)")],
    "device_placement": [
        ("with tf.GradientTape() as tape:", 'with tf.device("/CPU:0"), tf.GradientTape() as tape:')
    ],
    "wrong_loss_input": [
        ("loss_fn(y, model(x, training=True))", "loss_fn(y, tf.nn.softmax(model(x, training=True)))")
    ],
    "wrong_softmax_axis": [
        (
            "loss_fn(y, model(x, training=True))",
            "loss_fn(y, tf.nn.log_softmax(model(x, training=True), axis=0))",
        )
    ],
    "detached_gradient": [
        ("loss_fn(y, model(x, training=True))", "loss_fn(y, tf.stop_gradient(model(x, training=True)))")
    ],
    "nan_bad_op": [
        ("loss_fn(y, model(x, training=True))", "loss_fn(y, tf.math.log(model(x, training=True)))")
    ],
    "layout_nchw_nhwc": [
        (
            "model(x, training=True)",
            "model(tf.reshape(tf.experimental.numpy.swapaxes(x, 0, -1), x.shape), training=True)",
        )
    ],
    # The same bug in the same place as in PyTorch: the optimiser's update left out of the step.
    "missing_optimizer_step": [
        ("optimizer.apply(grads, model.trainable_variables)", "pass  # optimizer.apply() forgotten")
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
