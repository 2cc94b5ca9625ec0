"""Customisation `weight_tying` over the sample keras_fit.py: the square hidden layer (and its residual
connection) applied twice with the same weights (Keras guide "The Functional API", "Shared layers":
one layer instance called on more than one tensor)."""

import keras
from keras import layers


# region: model
def build_model(input_size=40, hidden_size=100, num_classes=10):
    x = keras.Input((input_size,))
    h = layers.Dense(hidden_size, activation="relu")(x)
    shared = layers.Dense(hidden_size, activation="relu")
    h = layers.Add()([h, shared(h)])
    h = layers.Add()([h, shared(h)])
    return keras.Model(x, layers.Dense(num_classes)(h))


# endregion


# region: train
def train(model, x, y, epochs, batch_size=100, lr=1e-2):
    model.compile(
        optimizer=keras.optimizers.Adam(lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0).history


# endregion


# region: evaluate
def evaluate(model, x, y):
    return model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"]


# endregion


def run(data, epochs=1, batch_size=100):
    model = build_model()
    history = train(model, data["x_train"], data["y_train"], epochs, batch_size)
    return {"history": history, "test_accuracy": evaluate(model, data["x_test"], data["y_test"])}
