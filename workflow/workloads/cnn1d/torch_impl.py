"""MNIST-1D reference CNN in PyTorch (the `cnn1d` workload)."""

from torch import nn

from fwbench.frameworks.torch.init import glorot_zeros_  # port: init


class ConvNet(nn.Module):
    def __init__(self, length: int, channels: int, num_classes: int):
        super().__init__()
        self.conv1 = nn.Conv1d(1, channels, 5, stride=2, padding=1)
        self.conv2 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        self.conv3 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        out_length = ((length - 1) // 2 - 1) // 2 // 2 + 1  # 40 -> 19 -> 10 -> 5
        self.linear = nn.Linear(channels * out_length, num_classes)

    def forward(self, x):
        h = x.view(-1, 1, x.shape[-1])
        h = self.conv1(h).relu()
        h = self.conv2(h).relu()
        h = self.conv3(h).relu()
        return self.linear(h.flatten(1))


def build_model(length=40, channels=25, num_classes=10) -> nn.Module:
    return glorot_zeros_(ConvNet(length, channels, num_classes))  # port: init
