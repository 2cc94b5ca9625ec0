"""Transformer encoder classifier in PyTorch (the `transformer` workload).

Built from nn.TransformerEncoderLayer (pre-norm, GELU, no dropout, layer-norm eps 1e-5).
Initialisation, set explicitly to match keras_impl.py: token and position embeddings N(0, 0.02),
every projection Glorot-uniform over its own (d_model x d_model) matrix (PyTorch's in_proj
stacks q, k and v into one (3D, D) matrix, so it is initialised per third), zero biases.
"""

import torch
from torch import nn

from fwbench.frameworks.torch.init import glorot_zeros_  # port: init


class Encoder(nn.Module):
    """Embeddings + pre-norm encoder blocks + final layer-norm; `causal` masks future positions."""

    def __init__(self, vocab_size, length, d_model, heads, d_ff, layers, causal=False):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, d_model)
        self.position_embedding = nn.Embedding(length, d_model)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(
                d_model,
                heads,
                d_ff,
                dropout=0.0,
                activation="gelu",
                layer_norm_eps=1e-5,
                batch_first=True,
                norm_first=True,
            )
            for _ in range(layers)
        )
        self.norm = nn.LayerNorm(d_model, eps=1e-5)
        mask = nn.Transformer.generate_square_subsequent_mask(length) if causal else None
        self.register_buffer("mask", mask, persistent=False)  # not a weight: kept out of state_dict
        self.causal = causal

    def forward(self, tokens):
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        h = self.token_embedding(tokens) + self.position_embedding(positions)
        for block in self.blocks:
            h = block(h, src_mask=self.mask, is_causal=self.causal)
        return self.norm(h)


def init_(model: nn.Module) -> nn.Module:  # port: init
    """Glorot-uniform / zeros everywhere, then the embeddings and the per-projection in_proj."""
    glorot_zeros_(model)  # port: init
    for module in model.modules():  # port: init
        if isinstance(module, nn.Embedding):  # port: init
            nn.init.normal_(module.weight, std=0.02)  # port: init
        if isinstance(module, nn.MultiheadAttention):  # port: init
            for third in module.in_proj_weight.data.chunk(3):  # port: init
                nn.init.xavier_uniform_(third)  # port: init
    return model  # port: init


class Classifier(nn.Module):
    def __init__(self, vocab_size, length, d_model, heads, d_ff, layers, num_classes):
        super().__init__()
        self.encoder = Encoder(vocab_size, length, d_model, heads, d_ff, layers)
        self.head = nn.Linear(d_model, num_classes)

    def forward(self, tokens):
        return self.head(self.encoder(tokens).mean(dim=1))


def build_model(vocab_size=256, length=64, d_model=64, heads=4, d_ff=128, layers=2, num_classes=10):
    return init_(Classifier(vocab_size, length, d_model, heads, d_ff, layers, num_classes))  # port: init
