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


BOOTSTRAP_RESAMPLES = 2000


def bootstrap_ci(
    samples, statistic, *, n_resamples=BOOTSTRAP_RESAMPLES, confidence=0.95, seed=0, vectorized=False
):
    """Percentile-bootstrap interval of `statistic(*samples)`: every sample (a 1-D array) is
    resampled with replacement, independently of the others, from one seeded generator, so the
    same data always give the same interval. Returns (estimate, low, high).

    With `vectorized`, `statistic` reduces over the last axis and is called once on all the
    resamples at once (arrays of shape (n_resamples, size)): the same bootstrap, without a Python
    loop over resamples."""
    arrays = [np.asarray(sample, dtype=float) for sample in samples]
    rng = np.random.default_rng(seed)
    if vectorized:
        indices = [rng.integers(0, array.size, (n_resamples, array.size)) for array in arrays]
        draws = statistic(*(array[index] for array, index in zip(arrays, indices, strict=True)))
    else:
        draws = [
            statistic(*(array[rng.integers(0, array.size, array.size)] for array in arrays))
            for _ in range(n_resamples)
        ]
    tail = (1 - confidence) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return float(statistic(*arrays)), float(low), float(high)


def geometric_mean_ratio_ci(strata, **bootstrap_options) -> dict:
    """Geometric mean over strata (workloads, devices) of median(numerator) / median(denominator),
    with a stratified bootstrap interval (each stratum's two samples resampled independently).
    `strata` is a list of (numerator_values, denominator_values). `inside_noise` is True when the
    interval contains 1."""
    samples = [values for pair in strata for values in pair]

    def statistic(*arrays):
        ratios = [np.median(num) / np.median(den) for num, den in zip(arrays[::2], arrays[1::2], strict=True)]
        return float(np.exp(np.mean(np.log(ratios))))

    ratio, low, high = bootstrap_ci(samples, statistic, **bootstrap_options)
    return {
        "ratio": ratio,
        "ci_low": low,
        "ci_high": high,
        "inside_noise": low <= 1 <= high,
        "n_min": min(len(values) for values in samples),
        "n_strata": len(strata),
    }


def bootstrap_ratio_ci(
    numerator, denominator, *, statistic=np.median, n_boot: int = 10_000, level: float = 0.95, seed: int = 0
) -> dict | None:
    """Ratio statistic(numerator) / statistic(denominator) with a percentile bootstrap interval
    (bootstrap_ci: each group resampled on its own, seeded, so the interval is reproducible;
    `statistic` takes numpy's `axis`, like np.median and np.mean).

    `inside_noise` is True when the interval contains 1: the data do not show which side is
    faster. None when a group has no finite value. With one value per group the interval collapses
    to the point (n is reported beside it).
    """
    a = np.asarray(numerator, dtype=float)
    b = np.asarray(denominator, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size == 0 or b.size == 0:
        return None
    ratio, low, high = bootstrap_ci(
        [a, b],
        lambda x, y: statistic(x, axis=-1) / statistic(y, axis=-1),
        n_resamples=n_boot,
        confidence=level,
        seed=seed,
        vectorized=True,
    )
    return {
        "ratio": ratio,
        "ci_low": low,
        "ci_high": high,
        "level": level,
        "n_numerator": int(a.size),
        "n_denominator": int(b.size),
        "inside_noise": bool(low <= 1 <= high),
    }


def time_to_accuracy_mlperf(times_s) -> dict:
    """MLPerf-style time to accuracy over seeds: drop the best and the worst run when n >= 5,
    then average the rest (MLPerf Training rules, "Benchmark results"). Runs that never reached
    the target (None/NaN) are counted in `n_not_reached` and left out; the value is None if no
    run reached it."""
    values = np.asarray([np.nan if t is None else t for t in times_s], dtype=float)
    reached = np.sort(values[np.isfinite(values)])
    dropped = reached.size >= 5
    kept = reached[1:-1] if dropped else reached
    return {
        "time_to_accuracy_s": float(kept.mean()) if kept.size else None,
        "n_used": int(kept.size),
        "n_not_reached": int(values.size - reached.size),
        "dropped_best_and_worst": bool(dropped),
    }
