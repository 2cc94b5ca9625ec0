"""Customisation `training_hook` over the sample keras_fit.py: the global L2 norm of the weights recorded
after every training step (Keras guide "Writing your own callbacks": a keras.callbacks.Callback
subclass overriding on_train_batch_end, passed to fit)."""

import keras
from keras import layers, ops


# region: model
def build_model(input_size=40, hidden_size=100, num_classes=10):
    x = keras.Input((input_size,))
    h = layers.Dense(hidden_size, activation="relu")(x)
    h = layers.Add()([h, layers.Dense(hidden_size, activation="relu")(h)])
    return keras.Model(x, layers.Dense(num_classes)(h))


# endregion


# region: train
class WeightNormLog(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.norms = []

    def on_train_batch_end(self, batch, logs=None):
        weights = [ops.ravel(w) for w in self.model.trainable_weights]
        self.norms.append(float(ops.norm(ops.concatenate(weights))))


def train(model, x, y, epochs, batch_size=100, lr=1e-2):
    model.compile(
        optimizer=keras.optimizers.Adam(lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    log = WeightNormLog()
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[log]).history
    return {**history, "weight_norm": log.norms}


# endregion


# region: evaluate
def evaluate(model, x, y):
    return model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"]


# endregion


def run(data, epochs=1, batch_size=100):
    model = build_model()
    history = train(model, data["x_train"], data["y_train"], epochs, batch_size)
    return {"history": history, "test_accuracy": evaluate(model, data["x_test"], data["y_test"])}
