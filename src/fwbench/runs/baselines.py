"""Trivial baselines of each workload's data: the accuracy a model reaches without learning the
task, which a training target must exceed to mean anything.

- **majority**: always predict the training set's most frequent label (every workload);
- **bigram**: for next-token data (inputs and labels integer sequences of one shape), predict the
  next token most often seen after the current one in the training set (a counter, no model).

Place in the pipeline: rule baselines writes results/baselines.csv (per workload, beside its
target at the run's scale); the report's accuracy section shows it, and tests/test_config_and_
workloads.py checks that every workload's target at the default and GPU scales is above it.
"""

import numpy as np
import pandas as pd

from fwbench.core.columns import BASELINE_ACCURACY, BIGRAM_ACCURACY, MAJORITY_ACCURACY, TARGET_ACCURACY

COLUMNS = [
    "workload",
    "dataset",
    MAJORITY_ACCURACY,
    BIGRAM_ACCURACY,
    BASELINE_ACCURACY,
    TARGET_ACCURACY,
]


def majority_accuracy(y_train: np.ndarray, y_test: np.ndarray) -> float:
    labels, counts = np.unique(y_train, return_counts=True)
    return float(np.mean(y_test == labels[np.argmax(counts)]))


def is_next_token(data: dict) -> bool:
    x, y = data["x_train"], data["y_train"]
    return x.shape == y.shape and x.ndim == 2 and np.issubdtype(x.dtype, np.integer)


def bigram_accuracy(data: dict) -> float | None:
    """Next-token accuracy of the training set's bigram counter; None for other data."""
    if not is_next_token(data):
        return None
    x, y = data["x_train"].ravel(), data["y_train"].ravel()
    vocab = int(max(x.max(), y.max(), data["x_test"].max(), data["y_test"].max())) + 1
    counts = np.zeros((vocab, vocab), dtype=np.int64)
    np.add.at(counts, (x, y), 1)
    predicted = counts.argmax(axis=1)[data["x_test"]]
    return float(np.mean(predicted == data["y_test"]))


def trivial_baselines(data: dict) -> dict:
    """The majority and (next-token data only) bigram accuracies on the test set, and the best."""
    majority, bigram = majority_accuracy(data["y_train"], data["y_test"]), bigram_accuracy(data)
    return {
        MAJORITY_ACCURACY: majority,
        BIGRAM_ACCURACY: bigram,
        BASELINE_ACCURACY: max(majority, bigram or 0.0),
    }


def table(workloads, data_path_pattern: str, *, scale: str) -> pd.DataFrame:
    """One row per workload (fwbench.runs.workloads.Workload): its data's trivial baselines and its
    target at `scale`; data_path_pattern: the generated data's path with a {dataset} field."""
    from fwbench.runs import datasets

    cache, rows = {}, []
    for workload in sorted(workloads, key=lambda w: w.name):
        dataset = workload.dataset(scale)
        if dataset not in cache:
            cache[dataset] = trivial_baselines(datasets.load(data_path_pattern.format(dataset=dataset)))
        target = workload.size(scale)[TARGET_ACCURACY]
        row = {"workload": workload.name, "dataset": dataset, **cache[dataset]}
        rows.append({**row, TARGET_ACCURACY: target})
    return pd.DataFrame(rows, columns=COLUMNS)
