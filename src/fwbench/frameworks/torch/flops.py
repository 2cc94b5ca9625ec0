"""FLOPs of one training step of a workload, counted by PyTorch's FLOP counter (rule count_flops).

torch.utils.flop_counter.FlopCounterMode counts the matrix multiplications and convolutions of
the forward pass, the loss and the backward pass (2 FLOPs per multiply-add); element-wise work and
the optimiser update are not counted, as in the usual MFU definition. Counted with the workload's
PyTorch model on PyTorch's meta device (shapes only, no arithmetic), so that a GPU-size model (GPT-2
small on 16 K tokens: about 17 TFLOP a step) costs no more to count than a small one, on any machine;
the count serves TensorFlow too, since the models are the same.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

COUNTER = f"torch.utils.flop_counter.FlopCounterMode (torch {torch.__version__})"


def training_step_flops(impl, model_args: dict, batch: np.ndarray) -> dict:
    """{'flops_per_step', 'forward_flops_per_step'} of one step on a batch of `batch`'s shape and
    dtype (the workload's own, so token ids stay integers); only its shape is read."""
    with torch.device("meta"):
        model = impl.build_model(**model_args)
    x = torch.empty(batch.shape, dtype=torch.from_numpy(batch[:0]).dtype, device="meta")
    with FlopCounterMode(display=False) as forward_counter:
        with torch.no_grad():
            model(x)
    with FlopCounterMode(display=False) as step_counter:
        logits = model(x)
        target = torch.zeros(logits.shape[:-1], dtype=torch.long, device="meta")
        F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1)).backward()
    return {
        "flops_per_step": int(step_counter.get_total_flops()),
        "forward_flops_per_step": int(forward_counter.get_total_flops()),
    }
