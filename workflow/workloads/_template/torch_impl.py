"""Template workload in PyTorch: replace the model, keep build_model(**model_args).

Contract: build_model(**model_args) returns an nn.Module whose forward maps a batch of inputs
(as stored in the data set) to logits: (batch, classes), or (batch, time, vocab) for sequence
targets. Initialise explicitly as keras_impl.py does (glorot_zeros_: Glorot-uniform weights, zero
biases, Keras's defaults), and register parameters in the same order as the Keras weights, so
the parity check (tests/studies/parity/test_parity.py, rule parity) can copy weights across.
"""

from torch import nn

from fwbench.frameworks.torch.init import glorot_zeros_


class Model(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_classes: int):
        super().__init__()
        self.hidden = nn.Linear(input_size, hidden_size)
        self.out = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        return self.out(self.hidden(x).relu())


def build_model(input_size=40, hidden_size=64, num_classes=10) -> nn.Module:
    return glorot_zeros_(Model(input_size, hidden_size, num_classes))
