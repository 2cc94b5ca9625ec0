"""MNIST-1D reference MLP in Keras 3 (the `mlp` workload)."""

import keras
from keras import layers


def build_model(input_size=40, hidden_size=100, num_classes=10) -> keras.Model:
    def dense(units, **kwargs):
        return layers.Dense(units, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs)

    x = keras.Input((input_size,))
    h = dense(hidden_size, activation="relu")(x)
    h = layers.Add()([h, dense(hidden_size, activation="relu")(h)])
    return keras.Model(x, dense(num_classes)(h), name="mlp")
