"""Small, complete, runnable training programs counted by fwbench.loc (issue 5, claims C8/C9).

One workload (the MNIST-1D MLP) written the idiomatic way on each side, so that what is counted is
code that works (tests/test_loc.py runs each for a couple of steps):

- torch_loop.py: PyTorch nn.Module + an explicit training loop (DataLoader, optimiser, backward);
- keras_fit.py: Keras functional Model + compile/fit/evaluate;
- keras_custom_train_step.py: Keras Model subclass overriding train_step, still driven by fit.

Each file marks its parts with `# region: model|train|evaluate` ... `# endregion`. torch_loop.py and
keras_fit.py are also the baselines of the customisation diffs in workflow/customisations/.
Every program exposes run(data, epochs, batch_size) -> {"history": ..., "test_accuracy": float}
(history: per-step losses in PyTorch, Keras's per-epoch History.history in Keras).
"""
