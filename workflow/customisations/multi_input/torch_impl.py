"""Customisation `multi_input` over the sample torch_loop.py: a model with two inputs (the first and last
20 of the 40 features), each through its own dense branch, concatenated (torch.nn.Module docs:
forward() takes the inputs as separate arguments; the DataLoader yields both)."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


# region: model
class MLP(nn.Module):
    def __init__(self, input_size=40, hidden_size=100, num_classes=10):
        super().__init__()
        self.branch_a = nn.Linear(input_size // 2, hidden_size // 2)
        self.branch_b = nn.Linear(input_size // 2, hidden_size // 2)
        self.linear2 = nn.Linear(hidden_size, hidden_size)
        self.linear3 = nn.Linear(hidden_size, num_classes)

    def forward(self, x_a, x_b):
        h = torch.cat([self.branch_a(x_a).relu(), self.branch_b(x_b).relu()], dim=1)
        h = h + self.linear2(h).relu()
        return self.linear3(h)


# endregion


# region: train
def train(model, x, y, epochs, batch_size=100, lr=1e-2):
    x = torch.as_tensor(x)
    loader = DataLoader(TensorDataset(x[:, :20], x[:, 20:], torch.as_tensor(y)), batch_size, shuffle=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    model.train()
    for _ in range(epochs):
        for xb_a, xb_b, yb in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xb_a, xb_b), yb)
            loss.backward()
            optimizer.step()
            history.append({"loss": loss.item()})
    return history


# endregion


# region: evaluate
def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        x = torch.as_tensor(x)
        predicted = model(x[:, :20], x[:, 20:]).argmax(dim=1)
    return (predicted == torch.as_tensor(y)).float().mean().item()


# endregion


def run(data, epochs=1, batch_size=100):
    model = MLP()
    history = train(model, data["x_train"], data["y_train"], epochs, batch_size)
    return {"history": history, "test_accuracy": evaluate(model, data["x_test"], data["y_test"])}
