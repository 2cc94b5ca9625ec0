"""Explicit initialisation for PyTorch workloads: Glorot-uniform weights and zero biases.

PyTorch's default (Kaiming-uniform with a=sqrt(5), uniform biases) differs from Keras's default
(Glorot-uniform, zero biases), so every workload sets Glorot + zeros explicitly in both frameworks.
"""

from torch import nn

_GLOROT_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d)


def glorot_zeros_(model: nn.Module) -> nn.Module:
    """Re-initialise every Linear/Conv layer of `model` in place; return the model."""
    for layer in model.modules():
        if isinstance(layer, _GLOROT_LAYERS):
            nn.init.xavier_uniform_(layer.weight)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
    return model
