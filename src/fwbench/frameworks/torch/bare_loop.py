"""A bare, hand-written PyTorch training step: the baseline of fwbench.studies.harness_overhead.run.

What a PyTorch user would write for the workload without fwbench, in eager mode: build the model
and Adam, then per batch zero_grad, forward, loss, backward, step and `.item()` on the loss. The
batches arrive as tensors built before timing (`prebuilt`); the benchmark times each call of the
step with perf_counter_ns, as the pipeline's loop times the harness's step.
"""

import torch
import torch.nn.functional as F

MODE = "eager"  # the harness mode this loop is the bare counterpart of


def prebuilt(batches) -> list:
    """The numpy (x, y) batches as tensors, built once before any step is timed."""
    return [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in batches]


def make_step(impl, model_args: dict, *, optimizer: dict, seed: int):
    """The model, Adam and one training step: step(x, y) -> the loss as a Python float."""
    torch.manual_seed(seed)
    model = impl.build_model(**model_args)
    model.train()
    adam = torch.optim.Adam(model.parameters(), lr=optimizer["lr"], eps=optimizer["eps"])

    def step(x: torch.Tensor, y: torch.Tensor) -> float:
        adam.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        adam.step()
        return loss.item()

    return step
