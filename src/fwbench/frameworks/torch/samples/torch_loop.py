"""MNIST-1D MLP in idiomatic PyTorch: an nn.Module and an explicit training loop (counted by
fwbench.studies.loc.run)."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


# region: model
class MLP(nn.Module):
    def __init__(self, input_size=40, hidden_size=100, num_classes=10):
        super().__init__()
        self.linear1 = nn.Linear(input_size, hidden_size)
        self.linear2 = nn.Linear(hidden_size, hidden_size)
        self.linear3 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        h = self.linear1(x).relu()
        h = h + self.linear2(h).relu()
        return self.linear3(h)


# endregion


# region: train
def train(model, x, y, epochs, batch_size=100, lr=1e-2):
    loader = DataLoader(TensorDataset(torch.as_tensor(x), torch.as_tensor(y)), batch_size, shuffle=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    model.train()
    for _ in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            history.append({"loss": loss.item()})
    return history


# endregion


# region: evaluate
def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        predicted = model(torch.as_tensor(x)).argmax(dim=1)
    return (predicted == torch.as_tensor(y)).float().mean().item()


# endregion


def run(data, epochs=1, batch_size=100):
    model = MLP()
    history = train(model, data["x_train"], data["y_train"], epochs, batch_size)
    return {"history": history, "test_accuracy": evaluate(model, data["x_test"], data["y_test"])}
