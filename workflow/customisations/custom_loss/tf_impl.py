"""Customisation `custom_loss` over the sample keras_fit.py: a hand-written label-smoothed cross-entropy
(Keras guide "Training & evaluation with the built-in methods", "Custom losses": a keras.losses.Loss
subclass implementing call(y_true, y_pred), passed to compile)."""

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
class LabelSmoothedCrossEntropy(keras.losses.Loss):
    def __init__(self, smoothing=0.1, name="label_smoothed_cross_entropy"):
        super().__init__(name=name)
        self.smoothing = smoothing

    def call(self, y_true, y_pred):
        num_classes = ops.shape(y_pred)[-1]
        soft_target = ops.one_hot(ops.cast(y_true, "int32"), num_classes) * (1 - self.smoothing)
        soft_target = soft_target + self.smoothing / num_classes
        return -ops.sum(soft_target * ops.log_softmax(y_pred), axis=-1)


def train(model, x, y, epochs, batch_size=100, lr=1e-2):
    model.compile(
        optimizer=keras.optimizers.Adam(lr),
        loss=LabelSmoothedCrossEntropy(),
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
