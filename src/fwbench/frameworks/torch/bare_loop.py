"""A bare, hand-written PyTorch training loop: the baseline of benchmarks/harness_overhead.py.

What a PyTorch user would write for the workload without fwbench, in eager mode: build the model
and Adam, then per batch zero_grad, forward, loss, backward, step and `.item()` on the loss. The
batches arrive as tensors built before timing; each step is timed as the harness's are, with
perf_counter_ns around the step alone.
"""

import time

import numpy as np
import torch
import torch.nn.functional as F

MODE = "eager"  # the harness mode this loop is the bare counterpart of


def bare_step_times_ms(impl, model_args: dict, batches, *, optimizer: dict, seed: int) -> np.ndarray:
    """Per-step wall time (ms) of the bare loop over `batches` (a list of numpy (x, y) pairs)."""
    torch.manual_seed(seed)
    model = impl.build_model(**model_args)
    model.train()
    adam = torch.optim.Adam(model.parameters(), lr=optimizer["lr"], eps=optimizer["eps"])
    tensors = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in batches]
    times_ns = np.empty(len(tensors), dtype=np.int64)
    for i, (x, y) in enumerate(tensors):
        start = time.perf_counter_ns()
        adam.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        adam.step()
        loss.item()
        times_ns[i] = time.perf_counter_ns() - start
    return times_ns / 1e6
