"""Decoder-only byte-level language model in Keras 3 (the `gpt` workload).

The transformer workload's Keras encoder with use_causal_mask=True, a final layer-norm and a
Dense head to next-byte logits (batch, time, 256); its weights map to PyTorch's the same way.
"""

from pathlib import Path

import keras

from fwbench.frameworks.keras.weight_layout import same  # port: layout
from fwbench.runs.workloads import load_impl

encoder_impl = load_impl(
    Path(__file__).parents[1] / "transformer" / "keras_impl.py", "fwbench_transformer_keras"
)


def build_model(vocab_size=256, length=64, d_model=64, heads=4, d_ff=128, layers=2) -> keras.Model:
    tokens = keras.Input((length,), dtype="int64")
    encoder = encoder_impl.Encoder(
        vocab_size, length, d_model, heads, d_ff, layers, causal=True, name="encoder"
    )
    logits = keras.layers.Dense(vocab_size, kernel_initializer="glorot_uniform")(encoder(tokens))
    return keras.Model(tokens, logits, name="gpt")


def torch_weight_groups(model) -> list:  # port: layout
    return [*encoder_impl.encoder_weight_groups(model.get_layer("encoder")), same(2)]  # port: layout
