"""MNIST-1D reference GRU in PyTorch (the `gru` workload).

Initialised as Keras initialises a GRU (set explicitly; PyTorch's default is uniform +-1/sqrt(H)
everywhere): Glorot-uniform input weights, orthogonal recurrent weights, zero biases.
"""

from torch import nn

from fwbench.frameworks.torch.init import glorot_zeros_  # port: init


class GRUNet(nn.Module):
    def __init__(self, length: int, hidden_size: int, num_classes: int):
        super().__init__()
        self.gru = nn.GRU(1, hidden_size, batch_first=True, bidirectional=True)
        self.linear = nn.Linear(2 * hidden_size * length, num_classes)
        for name, weight in self.gru.named_parameters():  # port: init
            if name.startswith("weight_ih"):  # port: init
                nn.init.xavier_uniform_(weight)  # port: init
            elif name.startswith("weight_hh"):  # port: init
                nn.init.orthogonal_(weight)  # port: init
            else:  # port: init
                nn.init.zeros_(weight)  # port: init

    def forward(self, x):
        outputs, _ = self.gru(x.unsqueeze(-1))  # (batch, time, 2 * hidden), h0 = 0
        return self.linear(outputs.flatten(1))


def build_model(length=40, hidden_size=6, num_classes=10) -> nn.Module:
    return glorot_zeros_(GRUNet(length, hidden_size, num_classes))  # port: init
