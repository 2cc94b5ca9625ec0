"""Customisation `multi_input` over the sample keras_fit.py: a model with two inputs (the first and last
20 of the 40 features), each through its own dense branch, concatenated (Keras guide "The Functional
API", "Models with multiple inputs and outputs": two keras.Input, fit and evaluate given a list)."""

import keras
from keras import layers


# region: model
def build_model(input_size=40, hidden_size=100, num_classes=10):
    x_a, x_b = keras.Input((input_size // 2,)), keras.Input((input_size // 2,))
    h_a = layers.Dense(hidden_size // 2, activation="relu")(x_a)
    h_b = layers.Dense(hidden_size // 2, activation="relu")(x_b)
    h = layers.Concatenate()([h_a, h_b])
    h = layers.Add()([h, layers.Dense(hidden_size, activation="relu")(h)])
    return keras.Model([x_a, x_b], layers.Dense(num_classes)(h))


# endregion


# region: train
def train(model, x, y, epochs, batch_size=100, lr=1e-2):
    model.compile(
        optimizer=keras.optimizers.Adam(lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model.fit([x[:, :20], x[:, 20:]], y, batch_size=batch_size, epochs=epochs, verbose=0).history


# endregion


# region: evaluate
def evaluate(model, x, y):
    return model.evaluate([x[:, :20], x[:, 20:]], y, verbose=0, return_dict=True)["accuracy"]


# endregion


def run(data, epochs=1, batch_size=100):
    model = build_model()
    history = train(model, data["x_train"], data["y_train"], epochs, batch_size)
    return {"history": history, "test_accuracy": evaluate(model, data["x_test"], data["y_test"])}
