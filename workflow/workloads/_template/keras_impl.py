"""Template workload in Keras 3: replace the model, keep build_model(**model_args).

Contract: build_model(**model_args) returns a built keras.Model computing the same function as
torch_impl.py, with its weights in the order of the PyTorch state_dict. Dense and Conv kernels
are transposed to PyTorch's layout automatically. Where a Keras layer's variables do not map one
for one (GRU gates, multi-head attention), define torch_weight_groups(model) with the groups of
fwbench.frameworks.keras.weight_layout (see workflow/workloads/gru and transformer for examples).
"""

import keras
from keras import layers


def build_model(input_size=40, hidden_size=64, num_classes=10) -> keras.Model:
    def dense(units, **kwargs):
        return layers.Dense(units, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs)

    x = keras.Input((input_size,))
    return keras.Model(x, dense(num_classes)(dense(hidden_size, activation="relu")(x)), name="template")
