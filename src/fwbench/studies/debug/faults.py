"""The debugging study's catalogue (claim C7): the fault classes and the documented sanity checks.

Framework-neutral definitions, stated before any data: each fault's taxonomy source and what it
breaks (each framework's folder holds its text mutation, frameworks/<name>/faults.py), and the
checks a careful user runs, with their thresholds. fwbench.studies.debug.probes runs the faults,
fwbench.studies.debug.tables classifies and scores what the probes observed.
"""

# fault id -> (taxonomy source, what it is, the property a good message names)
FAULTS = {
    "none": ("control", "the clean code (control run; also measures inspectability)", None),
    "shape_mismatch": (
        "Humbatova et al. ICSE'20 (wrong tensor shape); Zhang et al. ISSTA'18 (unaligned tensor)",
        "the input loses one feature on its last axis before the forward pass",
        "shape",
    ),
    "dtype_mismatch": (
        "Humbatova et al. ICSE'20 (wrong tensor type); Islam et al. FSE'19 (data type)",
        "float64 inputs given to a float32 model",
        "dtype",
    ),
    "device_placement": (
        "Humbatova et al. ICSE'20 (GPU usage: wrong device)",
        "the batch is put on (or computed on) the CPU while the model is on the GPU",
        "device",
    ),
    "wrong_loss_input": (
        "silent-bug literature; Humbatova et al. ICSE'20 (wrong loss input)",
        "probabilities (softmax) given where the loss expects logits",
        None,
    ),
    "wrong_softmax_axis": (
        "silent-bug literature; Islam et al. FSE'19 (API misuse: wrong axis)",
        "log-softmax taken over the batch axis instead of the class axis",
        None,
    ),
    "detached_gradient": (
        "silent-bug literature; Humbatova et al. ICSE'20 (missing gradient path)",
        "the model output detached / stop_gradient before the loss",
        None,
    ),
    "nan_bad_op": (
        "Zhang et al. ISSTA'18 (NaN/numerical errors); Islam et al. FSE'19",
        "log of the logits (negative values) in the loss input",
        None,
    ),
    "layout_nchw_nhwc": (
        "Humbatova et al. ICSE'20 (wrong input format); NCHW vs NHWC",
        "the batch reshaped where a transpose (layout change) was needed",
        None,
    ),
    "missing_optimizer_step": (
        "Humbatova et al. ICSE'20 (training process: optimiser); Islam et al. FSE'19 (API misuse)",
        "the optimiser's update is left out of the step (torch: optimizer.step(); tf: optimizer.apply()): "
        "the same bug in the same place in both",
        None,
    ),
}
FAULT_IDS = tuple(FAULTS)
CONTROL_FAULT = "none"  # the clean code: every probe set has it (accuracy baseline, inspectability)
REQUIRES_GPU = {"device_placement"}

# The documented sanity checks a careful user runs; thresholds are part of the method.
SANITY_CHECKS = {
    "nan_check": "the training loss is NaN or infinite (checked every step)",
    "loss_not_decreasing": "mean loss over the last eval_every steps > 0.95 x mean loss over the first "
    "eval_every // 3 steps (checked at every evaluation)",
    "accuracy_at_chance": "test accuracy <= 1/num_classes + 0.05 (checked at every evaluation)",
}
