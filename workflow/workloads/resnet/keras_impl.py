"""ResNet-style CNN in Keras 3 (the `resnet` workload; blocks_per_stage 2 is ResNet-18, 1 ResNet-10).

Same function as torch_impl.py: stride-2 convolutions get explicit ZeroPadding2D(1) + "valid"
(Keras's "same" pads stride-2 convolutions asymmetrically, PyTorch's padding=1 symmetrically);
batch-norm momentum 0.9 and epsilon 1e-5 (Keras's convention for PyTorch's momentum 0.1: Keras
keeps 0.9 of the old moving average, PyTorch mixes in 0.1 of the new batch). Each residual
block is one layer whose sub-layers are created in PyTorch's module order, so the weights line
up with the state_dict one for one (gamma, beta, moving mean, moving variance per batch-norm).
One difference remains and is documented rather than patched: the moving variance averages the
biased batch variance in Keras and the unbiased one (x n/(n-1)) in PyTorch; with n = batch x
height x width >= 512 here that is <= 0.2 % on the variance, and training itself (which
normalises with the biased variance in both) is unaffected.
"""

import keras
from keras import layers


def conv_bn(filters: int, kernel_size: int, stride: int) -> list:
    pad = stride > 1 and kernel_size > 1  # port: padding
    padding = [layers.ZeroPadding2D(kernel_size // 2)] if pad else []  # port: padding
    conv = layers.Conv2D(
        filters,
        kernel_size,
        strides=stride,
        padding="valid" if padding or kernel_size == 1 else "same",  # port: padding
        use_bias=False,
        kernel_initializer="glorot_uniform",
    )
    return [*padding, conv, layers.BatchNormalization(momentum=0.9, epsilon=1e-5)]  # port: constant


class BasicBlock(layers.Layer):
    def __init__(self, in_channels: int, filters: int, stride: int, **kwargs):
        super().__init__(**kwargs)
        self.main = [*conv_bn(filters, 3, stride), layers.ReLU(), *conv_bn(filters, 3, 1)]
        self.shortcut = conv_bn(filters, 1, stride) if stride != 1 or in_channels != filters else []

    def call(self, x, training=None):
        h, s = x, x
        for layer in self.main:
            h = layer(h, training=training) if isinstance(layer, layers.BatchNormalization) else layer(h)
        for layer in self.shortcut:
            s = layer(s, training=training) if isinstance(layer, layers.BatchNormalization) else layer(s)
        return keras.ops.relu(h + s)


def build_model(widths=(8, 16, 32, 64), blocks_per_stage=2, num_classes=10) -> keras.Model:
    x = keras.Input((32, 32, 3))
    h = x
    for layer in conv_bn(widths[0], 3, 1):
        h = layer(h)
    h = layers.ReLU()(h)
    in_channels = widths[0]
    for stage, width in enumerate(widths):
        for index in range(blocks_per_stage):
            h = BasicBlock(in_channels, width, 2 if stage > 0 and index == 0 else 1)(h)
            in_channels = width
    h = layers.GlobalAveragePooling2D()(h)
    out = layers.Dense(num_classes, kernel_initializer="glorot_uniform", bias_initializer="zeros")(h)
    return keras.Model(x, out, name="resnet")
