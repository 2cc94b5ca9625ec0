"""Keras <-> PyTorch weight layouts where one Keras layer's variables are not PyTorch's one for one.

The TF harness (harness.py beside this file) exports every Keras variable in PyTorch's per-layer
layout (kernels transposed). Most layers then line up with the PyTorch state_dict one for one.
Where they do not (a GRU's gate order and bias split, the query/key/value projections of
multi-head attention), a workload's keras_impl.py defines the one optional hook

    def torch_weight_groups(model) -> list[Group]

which cuts model.weights (in order) into groups and says how each group maps to PyTorch's
tensors; Harness.export_weights / import_weights apply it in both directions. Used by the
parity check (fwbench.studies.parity.run) and anything else that moves weights between the frameworks.
"""

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np


class Group(NamedTuple):
    """`keras_count` consecutive Keras arrays <-> `torch_count` consecutive PyTorch tensors."""

    keras_count: int
    torch_count: int
    to_torch: Callable[[list], list]
    from_torch: Callable[[list], list]


def same(count: int) -> Group:
    """`count` arrays that already line up one for one (Dense, Conv, LayerNorm, BatchNorm, ...)."""
    return Group(count, count, list, list)


def _swap_first_two_gates(array: np.ndarray) -> np.ndarray:
    """Keras orders GRU gates (z, r, h), PyTorch (r, z, n) on axis 0; swapping is its own inverse."""
    z, r, h = np.split(array, 3, axis=0)
    return np.concatenate([r, z, h])


def _gru_to_torch(arrays: list) -> list:
    kernel, recurrent_kernel, bias = arrays  # bias (2, 3H): input and recurrent (reset_after=True)
    return [_swap_first_two_gates(a) for a in (kernel, recurrent_kernel, bias[0], bias[1])]


def _gru_from_torch(arrays: list) -> list:
    weight_ih, weight_hh, bias_ih, bias_hh = (_swap_first_two_gates(a) for a in arrays)
    return [weight_ih, weight_hh, np.stack([bias_ih, bias_hh])]


GRU = Group(3, 4, _gru_to_torch, _gru_from_torch)  # keras.layers.GRU(reset_after=True) <-> nn.GRU


def _mha_to_torch(arrays: list) -> list:
    """query/key/value kernels arrive as (head_dim, heads, d_model) (the generic rank-3 transpose of
    Keras's (d_model, heads, head_dim)); PyTorch stacks them as rows of in_proj_weight (3D, D)."""
    qk, qb, kk, kb, vk, vb, ok, ob = arrays
    rows = [k.transpose(1, 0, 2).reshape(-1, k.shape[-1]) for k in (qk, kk, vk)]
    out = ok.transpose(0, 2, 1).reshape(ok.shape[0], -1)  # (D, head_dim, heads) -> (D, heads*head_dim)
    return [np.concatenate(rows), np.concatenate([qb.ravel(), kb.ravel(), vb.ravel()]), out, ob]


def _mha_from_torch(arrays: list, heads: int) -> list:
    in_weight, in_bias, out_weight, out_bias = arrays
    d_model = in_weight.shape[1]
    head_dim = d_model // heads
    kernels = [w.reshape(heads, head_dim, d_model).transpose(1, 0, 2) for w in np.split(in_weight, 3)]
    biases = [b.reshape(heads, head_dim) for b in np.split(in_bias, 3)]
    out = out_weight.reshape(d_model, heads, head_dim).transpose(0, 2, 1)
    return [kernels[0], biases[0], kernels[1], biases[1], kernels[2], biases[2], out, out_bias]


def multi_head_attention(heads: int) -> Group:
    """keras.layers.MultiHeadAttention (key_dim = d_model / heads) <-> nn.MultiheadAttention."""
    return Group(8, 4, _mha_to_torch, partial(_mha_from_torch, heads=heads))


def convert(arrays: list, groups: list[Group], *, to_torch: bool) -> list:
    """Apply `groups` to the flat list `arrays` (Keras order if to_torch, else PyTorch order)."""
    converted, start = [], 0
    for group in groups:
        count = group.keras_count if to_torch else group.torch_count
        chunk = list(arrays[start : start + count])
        if len(chunk) != count:
            raise ValueError(f"weight groups expect more arrays than the {len(arrays)} given")
        converted.extend((group.to_torch if to_torch else group.from_torch)(chunk))
        start += count
    if start != len(arrays):
        raise ValueError(f"weight groups cover {start} of {len(arrays)} arrays")
    return converted
