"""Transformer encoder classifier in Keras 3 (the `transformer` workload).

Each block is one layer whose sub-layers are created in nn.TransformerEncoderLayer's order
(attention, feed-forward in and out, the two layer-norms), so everything but the attention lines
up with PyTorch's state_dict; torch_weight_groups() maps keras.layers.MultiHeadAttention's
per-head query/key/value/output kernels to PyTorch's stacked in_proj and out_proj.
"""

import keras
from keras import layers, ops

from fwbench.frameworks.keras.weight_layout import multi_head_attention, same  # port: layout


class EncoderBlock(layers.Layer):
    """Pre-norm block: x + attention(norm1(x)), then x + ff_out(gelu(ff_in(norm2(x))))."""

    def __init__(self, d_model, heads, d_ff, causal=False, **kwargs):
        super().__init__(**kwargs)
        # Glorot-uniform of one (d_model x d_model) projection
        limit = (6 / (2 * d_model)) ** 0.5  # port: constant
        self.attention = layers.MultiHeadAttention(
            heads,
            d_model // heads,
            kernel_initializer=keras.initializers.RandomUniform(-limit, limit),  # port: constant
            bias_initializer="zeros",
        )
        self.ff_in = layers.Dense(d_ff, activation="gelu", kernel_initializer="glorot_uniform")
        self.ff_out = layers.Dense(d_model, kernel_initializer="glorot_uniform")
        self.norm1 = layers.LayerNormalization(epsilon=1e-5)  # port: constant
        self.norm2 = layers.LayerNormalization(epsilon=1e-5)  # port: constant
        self.causal = causal

    def call(self, x):
        h = self.norm1(x)
        x = x + self.attention(h, h, use_causal_mask=self.causal)
        return x + self.ff_out(self.ff_in(self.norm2(x)))


class Encoder(layers.Layer):
    """Token + position embeddings (N(0, 0.02)), the blocks, a final layer-norm."""

    def __init__(self, vocab_size, length, d_model, heads, d_ff, num_layers, causal=False, **kwargs):
        super().__init__(**kwargs)
        init = keras.initializers.RandomNormal(stddev=0.02)
        self.token_embedding = layers.Embedding(vocab_size, d_model, embeddings_initializer=init)
        self.position_embedding = layers.Embedding(length, d_model, embeddings_initializer=init)
        self.blocks = [EncoderBlock(d_model, heads, d_ff, causal) for _ in range(num_layers)]
        self.norm = layers.LayerNormalization(epsilon=1e-5)  # port: constant

    def call(self, tokens):
        h = self.token_embedding(tokens) + self.position_embedding(ops.arange(ops.shape(tokens)[1]))
        for block in self.blocks:
            h = block(h)
        return self.norm(h)


def encoder_weight_groups(encoder: Encoder) -> list:  # port: layout
    """Layout groups of an Encoder: embeddings, per block (attention, 2 Dense, 2 LayerNorm), norm."""
    heads = encoder.blocks[0].attention.num_heads  # port: layout
    per_block = [multi_head_attention(heads), same(8)]  # port: layout
    return [same(2), *per_block * len(encoder.blocks), same(2)]  # port: layout


def build_model(vocab_size=256, length=64, d_model=64, heads=4, d_ff=128, layers=2, num_classes=10):
    tokens = keras.Input((length,), dtype="int64")
    encoded = Encoder(vocab_size, length, d_model, heads, d_ff, layers, name="encoder")(tokens)
    pooled = keras.layers.GlobalAveragePooling1D()(encoded)
    logits = keras.layers.Dense(num_classes, kernel_initializer="glorot_uniform")(pooled)
    return keras.Model(tokens, logits, name="transformer")


def torch_weight_groups(model) -> list:  # port: layout
    return [*encoder_weight_groups(model.get_layer("encoder")), same(2)]  # port: layout
