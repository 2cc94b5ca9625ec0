"""MNIST-1D reference MLP in PyTorch (the `mlp` workload)."""

from torch import nn

from fwbench.frameworks.torch.init import glorot_zeros_  # port: init


class MLP(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_classes: int):
        super().__init__()
        self.linear1 = nn.Linear(input_size, hidden_size)
        self.linear2 = nn.Linear(hidden_size, hidden_size)
        self.linear3 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        h = self.linear1(x).relu()
        h = h + self.linear2(h).relu()
        return self.linear3(h)


def build_model(input_size=40, hidden_size=100, num_classes=10) -> nn.Module:
    return glorot_zeros_(MLP(input_size, hidden_size, num_classes))  # port: init
