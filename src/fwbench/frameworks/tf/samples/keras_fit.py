"""MNIST-1D MLP in idiomatic Keras 3: a functional Model and compile/fit/evaluate (counted by
fwbench.studies.loc.run)."""

import keras
from keras import layers


# region: model
def build_model(input_size=40, hidden_size=100, num_classes=10):
    x = keras.Input((input_size,))
    h = layers.Dense(hidden_size, activation="relu")(x)
    h = layers.Add()([h, layers.Dense(hidden_size, activation="relu")(h)])
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
