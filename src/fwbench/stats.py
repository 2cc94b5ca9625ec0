"""Descriptive statistics of timings, shared by both frameworks' runs and by aggregation."""

import numpy as np


def summarise_ms(samples_ms) -> dict | None:
    """Median, IQR, p95, mean, min and n of per-step times (ms); None when there are no samples."""
    values = np.asarray(samples_ms, dtype=float)
    if values.size == 0:
        return None
    q25, median, q75, p95 = np.percentile(values, [25, 50, 75, 95])
    return {
        "median": float(median),
        "iqr": float(q75 - q25),
        "p95": float(p95),
        "mean": float(values.mean()),
        "min": float(values.min()),
        "n": int(values.size),
    }
