"""MNIST-1D MLP in Keras 3 with a custom train_step driven by fit (Keras guide "Customizing what
happens in fit()", TensorFlow backend); counted by fwbench.studies.loc.run."""

import keras
import tensorflow as tf
from keras import layers


# region: model
class MLP(keras.Model):
    def __init__(self, hidden_size=100, num_classes=10):
        super().__init__()
        self.dense1 = layers.Dense(hidden_size, activation="relu")
        self.dense2 = layers.Dense(hidden_size, activation="relu")
        self.dense3 = layers.Dense(num_classes)

    def call(self, x):
        h = self.dense1(x)
        h = h + self.dense2(h)
        return self.dense3(h)

    # endregion

    # region: train
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            logits = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=logits)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, logits)
        return {metric.name: metric.result() for metric in self.metrics}

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
    model = MLP()
    history = train(model, data["x_train"], data["y_train"], epochs, batch_size)
    return {"history": history, "test_accuracy": evaluate(model, data["x_test"], data["y_test"])}
