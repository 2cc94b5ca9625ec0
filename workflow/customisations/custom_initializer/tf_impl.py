"""Customisation `custom_initializer` over the sample keras_fit.py: a hand-written weight initialiser
(He-scaled truncated normal: std sqrt(2 / fan_in), cut at 2 std) for the dense layers' weights
(keras.initializers docs, "Creating custom initializers": an Initializer subclass implementing
__call__(shape, dtype), passed as kernel_initializer)."""

import keras
from keras import layers


# region: model
class HeTruncatedNormal(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        stddev = (2 / shape[0]) ** 0.5
        return keras.random.truncated_normal(shape, stddev=stddev, dtype=dtype)


def build_model(input_size=40, hidden_size=100, num_classes=10):
    x = keras.Input((input_size,))
    h = layers.Dense(hidden_size, activation="relu", kernel_initializer=HeTruncatedNormal())(x)
    h = layers.Add()(
        [h, layers.Dense(hidden_size, activation="relu", kernel_initializer=HeTruncatedNormal())(h)]
    )
    return keras.Model(x, layers.Dense(num_classes, kernel_initializer=HeTruncatedNormal())(h))


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
