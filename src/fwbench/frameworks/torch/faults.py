"""PyTorch part of the debugging study (fwbench.studies.debug.probes): fault mutations, print probe.

Each mutation is a list of (old, new) text replacements applied to the `train_step` region of
harness.py beside this file, the training step every workload goes through, so every workload can be put
through every fault. `new` may span several lines; continuation lines take the old line's indent.
"""

MUTATIONS = {
    "none": [],
    "shape_mismatch": [("logits = model(x)", "logits = model(x[..., 1:])")],
    "dtype_mismatch": [("logits = model(x)", "logits = model(x.double())")],
    "device_placement": [("logits = model(x)", "logits = model(x.cpu())")],
    "wrong_loss_input": [("F.cross_entropy(logits.reshape(", "F.cross_entropy(logits.softmax(-1).reshape(")],
    "wrong_softmax_axis": [
        (
            "loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))",
            "loss = F.nll_loss(logits.log_softmax(dim=0).reshape(-1, logits.shape[-1]), y.reshape(-1))",
        )
    ],
    "detached_gradient": [("logits = model(x)", "logits = model(x).detach()")],
    "nan_bad_op": [("logits = model(x)", "logits = model(x).log()")],
    "layout_nchw_nhwc": [("logits = model(x)", "logits = model(x.transpose(0, -1).reshape(x.shape))")],
    # The same bug in the same place as in TF: the optimiser's update left out of the step.
    "missing_optimizer_step": [("optimizer.step()", "pass  # optimizer.step() forgotten")],
}


def with_print_probe(model, stream):
    """Put a print inside the model's forward (writing to `stream`); return the model."""
    forward = model.forward

    def printing_forward(*args, **kwargs):
        out = forward(*args, **kwargs)
        print("fwbench-probe:", out.flatten()[:3], file=stream)
        return out

    model.forward = printing_forward
    return model


def reset_session() -> None:
    """Between two probes in one process: forget what Dynamo traced and compiled for the last one
    (its guards, its recompile counts), as a fresh process would; Inductor's compiled kernels stay
    on disk in the process's cache folder, as they would for a user editing and re-running."""
    import torch

    torch._dynamo.reset()
