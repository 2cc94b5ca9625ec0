"""A framework harness that computes nothing, for tests of the shared training loop
(fwbench.runs.training): every step returns the loss 1.0 at once, predictions are zeros, the device
is a CPU with nothing to synchronise or count. A test subclasses it to change one method."""

import numpy as np


class FakeHarness:
    to_tensors = staticmethod(lambda x, y: (x, y))
    synchronize = staticmethod(lambda: None)
    predict = staticmethod(lambda model, x: np.zeros((len(x), 2), np.float32))
    reset_peak_device_memory = peak_device_memory_mb = peak_device_reserved_mb = staticmethod(lambda: None)
    device_info = staticmethod(lambda: {"kind": "cpu"})
    compile_info = staticmethod(lambda: None)

    def make_train_step(self, model, optimizer, mode):
        return lambda x, y: 1.0
