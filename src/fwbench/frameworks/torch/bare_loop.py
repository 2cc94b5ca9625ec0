"""A bare, hand-written PyTorch training loop: the baseline of benchmarks/harness_overhead.py.

What a PyTorch user would write for the workload without fwbench: build the model, Adam, slice
seeded batches, forward, loss, backward, step, `.item()` on the loss, and evaluate at the end.
"""

import numpy as np
import torch
import torch.nn.functional as F


def bare_train_s(
    impl, model_args: dict, data: dict, *, steps: int, batch_size: int, lr: float, eps: float, seed: int
):
    """Train `steps` steps plus one final test evaluation; return the wall time (s) of that part."""
    import time

    torch.manual_seed(seed)
    model = impl.build_model(**model_args)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, eps=eps)
    x_train, y_train = torch.from_numpy(data["x_train"]), torch.from_numpy(data["y_train"])
    x_test = torch.from_numpy(data["x_test"])
    rng = np.random.default_rng(seed)
    per_epoch = len(x_train) // batch_size
    start = time.perf_counter()
    order = torch.from_numpy(rng.permutation(len(x_train)))
    for step in range(steps):
        if step and step % per_epoch == 0:
            order = torch.from_numpy(rng.permutation(len(x_train)))
        idx = order[(step % per_epoch) * batch_size : (step % per_epoch + 1) * batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
        loss.backward()
        optimizer.step()
        loss.item()
    model.eval()
    with torch.inference_mode():
        model(x_test).numpy()
    return time.perf_counter() - start
