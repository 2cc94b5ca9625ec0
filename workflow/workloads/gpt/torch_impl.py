"""Decoder-only byte-level language model in PyTorch (the `gpt` workload).

The transformer workload's encoder with a causal mask (each position attends to itself and the
past), a final layer-norm and a linear head to next-byte logits (batch, time, 256).
"""

from pathlib import Path

from torch import nn

from fwbench.runs.workloads import load_impl

encoder_impl = load_impl(
    Path(__file__).parents[1] / "transformer" / "torch_impl.py", "fwbench_transformer_torch"
)


class GPT(nn.Module):
    def __init__(self, vocab_size, length, d_model, heads, d_ff, layers):
        super().__init__()
        self.encoder = encoder_impl.Encoder(vocab_size, length, d_model, heads, d_ff, layers, causal=True)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        return self.head(self.encoder(tokens))


def build_model(vocab_size=256, length=64, d_model=64, heads=4, d_ff=128, layers=2) -> nn.Module:
    return encoder_impl.init_(GPT(vocab_size, length, d_model, heads, d_ff, layers))  # port: init
