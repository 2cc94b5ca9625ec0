"""MNIST-1D reference GRU in Keras 3 (the `gru` workload).

reset_after=True (Keras's default) applies the reset gate after the recurrent matrix product, as
PyTorch's nn.GRU does; Keras orders the gates (z, r, h) and keeps both biases in one (2, 3H)
variable, so torch_weight_groups() tells the harness how to map them to PyTorch's tensors.
"""

import keras
from keras import layers

from fwbench.frameworks.keras.weight_layout import GRU, same  # port: layout


def build_model(length=40, hidden_size=6, num_classes=10) -> keras.Model:
    x = keras.Input((length,))
    h = layers.Reshape((length, 1))(x)
    gru = layers.GRU(
        hidden_size,
        return_sequences=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
    )
    h = layers.Bidirectional(gru, merge_mode="concat")(h)
    h = layers.Flatten()(h)  # time-major, like PyTorch's flatten of (batch, time, 2 * hidden)
    out = layers.Dense(num_classes, kernel_initializer="glorot_uniform", bias_initializer="zeros")(h)
    return keras.Model(x, out, name="gru")


def torch_weight_groups(model) -> list:  # port: layout
    """Forward GRU, backward GRU, then the Dense layer (kernel, bias)."""
    return [GRU, GRU, same(2)]  # port: layout
