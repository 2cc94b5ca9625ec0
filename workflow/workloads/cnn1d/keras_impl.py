"""MNIST-1D reference CNN in Keras 3 (the `cnn1d` workload).

Two choices keep it the same function as torch_impl.py: explicit ZeroPadding1D(1) + "valid"
convolutions (Keras's "same" pads stride-2 convolutions asymmetrically, PyTorch's padding=1 does
not), and a Permute to channels-first before Flatten (PyTorch flattens channel-major).
"""

import keras
from keras import layers


def build_model(length=40, channels=25, num_classes=10) -> keras.Model:
    def conv(kernel_size):
        return layers.Conv1D(
            channels, kernel_size, strides=2, activation="relu",
            kernel_initializer="glorot_uniform", bias_initializer="zeros",
        )

    x = keras.Input((length,))
    h = layers.Reshape((length, 1))(x)
    for kernel_size in (5, 3, 3):
        h = conv(kernel_size)(layers.ZeroPadding1D(1)(h))  # port: padding
    h = layers.Flatten()(layers.Permute((2, 1))(h))  # port: permute
    out = layers.Dense(num_classes, kernel_initializer="glorot_uniform", bias_initializer="zeros")(h)
    return keras.Model(x, out, name="cnn1d")
