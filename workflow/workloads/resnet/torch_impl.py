"""ResNet-style CNN in PyTorch (the `resnet` workload; blocks_per_stage 2 is ResNet-18, 1 ResNet-10).

Inputs are channels-last (batch, 32, 32, 3) images, as stored; the model permutes them to
PyTorch's channels-first layout. Batch-norm keeps PyTorch's defaults (momentum 0.1, eps 1e-5),
which keras_impl.py matches; convolutions before batch-norm have no bias.
"""

import torch
from torch import nn

from fwbench.frameworks.torch.init import glorot_zeros_  # port: init


def conv_bn(in_channels: int, out_channels: int, kernel_size: int, stride: int) -> list[nn.Module]:
    conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding=kernel_size // 2, bias=False)
    return [conv, nn.BatchNorm2d(out_channels, eps=1e-5, momentum=0.1)]


class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.conv1, self.bn1 = conv_bn(in_channels, out_channels, 3, stride)
        self.conv2, self.bn2 = conv_bn(out_channels, out_channels, 3, 1)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(*conv_bn(in_channels, out_channels, 1, stride))

    def forward(self, x):
        h = self.bn1(self.conv1(x)).relu()
        h = self.bn2(self.conv2(h))
        return (h + self.shortcut(x)).relu()


class ResNet(nn.Module):
    def __init__(self, widths: list[int], blocks_per_stage: int, num_classes: int):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(3, widths[0], 3, 1), nn.ReLU())
        blocks, in_channels = [], widths[0]
        for stage, width in enumerate(widths):
            for index in range(blocks_per_stage):
                stride = 2 if stage > 0 and index == 0 else 1
                blocks.append(BasicBlock(in_channels, width, stride))
                in_channels = width
        self.blocks = nn.Sequential(*blocks)
        self.linear = nn.Linear(in_channels, num_classes)

    def forward(self, x):
        h = self.blocks(self.stem(x.permute(0, 3, 1, 2)))
        return self.linear(torch.flatten(nn.functional.adaptive_avg_pool2d(h, 1), 1))


def build_model(widths=(8, 16, 32, 64), blocks_per_stage=2, num_classes=10) -> nn.Module:
    return glorot_zeros_(ResNet(list(widths), blocks_per_stage, num_classes))  # port: init
