"""Statistics of the study: descriptive statistics of timings, the intervals of timing ratios
(Welch t on log scale, per stratum and combined), a seeded bootstrap for other means, and MLPerf's
time to accuracy. Framework-neutral; used by the training loop, aggregation, report and verdicts."""

import numpy as np

from fwbench.core.columns import TIME_TO_ACCURACY


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


def bootstrap_ci(samples, statistic, *, n_resamples=BOOTSTRAP_RESAMPLES, confidence=0.95, seed=0):
    """Percentile-bootstrap interval of `statistic(*samples)`: every sample (a 1-D array) is
    resampled with replacement, independently of the others, from one seeded generator, so the
    same data always give the same interval. Returns (estimate, low, high)."""
    arrays = [np.asarray(sample, dtype=float) for sample in samples]
    rng = np.random.default_rng(seed)
    draws = [
        statistic(*(array[rng.integers(0, array.size, array.size)] for array in arrays))
        for _ in range(n_resamples)
    ]
    tail = (1 - confidence) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return float(statistic(*arrays)), float(low), float(high)


RATIO_METHOD = (
    "ratio of geometric means over runs (processes are the unit of replication), with a Welch "
    "t-interval on the log scale; combined over strata as the mean of their log ratios, its interval "
    "never narrower than the spread between the strata allows (k-1 degrees of freedom)"
)


def _welch(numerator: np.ndarray, denominator: np.ndarray) -> tuple[float, float, float]:
    """(difference of mean logs, its variance, Welch-Satterthwaite degrees of freedom)."""
    return _welch_difference(np.log(numerator), np.log(denominator))


def _welch_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """(mean of a - mean of b, its variance, Welch-Satterthwaite degrees of freedom)."""
    va = a.var(ddof=1) / a.size if a.size > 1 else np.nan
    vb = b.var(ddof=1) / b.size if b.size > 1 else np.nan
    variance = va + vb
    if not variance > 0:  # identical values on both sides (or a side of one): no spread to use
        return float(a.mean() - b.mean()), float(variance), np.inf
    df = variance**2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    return float(a.mean() - b.mean()), float(variance), float(df)


def difference_interval(a, b, *, level: float = 0.95) -> tuple:
    """(mean(a) - mean(b), low, high) with a Welch t-interval, for additive quantities over runs
    (accuracies); NaN bounds with fewer than two values a side."""
    a, b = (np.asarray(v, dtype=float) for v in (a, b))
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        return float(a.mean() - b.mean()) if a.size and b.size else np.nan, np.nan, np.nan
    diff, variance, df = _welch_difference(a, b)
    half = _t_half_width(level, df, variance) if np.isfinite(df) else 0.0
    return diff, diff - half, diff + half


def _t_half_width(level: float, df: float, variance: float) -> float:
    """Half the width of a t-interval of `level` on an estimate of `variance` (NaN if unknown)."""
    # imported here: every timed run process imports this module (summarise_ms), and importing
    # scipy.stats at the top would add half a second to each of them
    import scipy.stats

    return scipy.stats.t.ppf(0.5 + level / 2, df) * np.sqrt(variance) if variance >= 0 else np.nan


def _finite_positive(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array) & (array > 0)]


def combined_ratio_interval(strata, *, level: float = 0.95) -> dict | None:
    """Ratio of geometric means numerator / denominator, per stratum and combined over strata.

    `strata`: a list of (numerator_values, denominator_values), e.g. per-run median step times of
    two variants in each workload. Per stratum: exp of the difference of mean log values, with a
    Welch t-interval (timings are positive and their noise multiplicative, so the log scale; Welch
    because the two sides' spreads differ). Combined: exp of the mean of the strata's log ratios,
    its variance the mean's (independent strata) and Welch-Satterthwaite degrees of freedom, i.e.
    the average effect over these strata. When the strata's log ratios differ more than their own
    noise explains (the workloads disagree), the combined variance is their sample variance over k
    and the degrees of freedom k-1 (Hartung-Knapp with the q >= 1 floor of Roever et al. 2015, equal
    weights): an interval that carries the spread between workloads instead of only the noise
    within them; `heterogeneous` says which applied, `between_sd_log` the spread.
    tests/unit/test_stats_ci.py checks by simulation at 3 and 5
    runs a side that the intervals cover the true ratio at least 93 % of the time and call a
    difference where there is none at most 5 % of the time (a percentile bootstrap of 3 runs a side
    did so 10 % of the time: its interval is the range). `inside_noise`: the interval contains 1;
    None where a side has a single run (no interval). None when a stratum has no usable value."""
    cleaned = [(_finite_positive(num), _finite_positive(den)) for num, den in strata]
    if not cleaned or any(num.size == 0 or den.size == 0 for num, den in cleaned):
        return None
    per = [_welch(num, den) for num, den in cleaned]
    k = len(per)
    diffs = np.array([d for d, _, _ in per])
    diff = float(diffs.mean())
    variance = sum(v for _, v, _ in per) / k**2
    df = variance**2 / sum((v / k**2) ** 2 / f for _, v, f in per) if variance > 0 else np.inf
    between = float(diffs.var(ddof=1)) / k if k > 1 else 0.0
    heterogeneous = between > variance
    if heterogeneous:
        variance, df = between, k - 1
    half = _t_half_width(level, df, variance)
    low, high = np.exp(diff - half), np.exp(diff + half)
    per_stratum = []
    for d, v, f in per:
        h = _t_half_width(level, f, v)
        per_stratum.append(
            {"ratio": float(np.exp(d)), "ci_low": float(np.exp(d - h)), "ci_high": float(np.exp(d + h))}
        )
    return {
        "ratio": float(np.exp(diff)),
        "ci_low": float(low),
        "ci_high": float(high),
        "level": level,
        "inside_noise": bool(low <= 1 <= high) if np.isfinite(half) else None,
        "n_min": int(min(min(num.size, den.size) for num, den in cleaned)),
        "n_strata": k,
        "heterogeneous": bool(heterogeneous),
        "between_sd_log": float(diffs.std(ddof=1)) if k > 1 else 0.0,
        "per_stratum": per_stratum,
        "method": RATIO_METHOD,
    }


def ratio_interval(numerator, denominator, *, level: float = 0.95) -> dict | None:
    """combined_ratio_interval of one stratum, with each side's number of runs."""
    result = combined_ratio_interval([(numerator, denominator)], level=level)
    if result is None:
        return None
    result["n_numerator"] = int(_finite_positive(numerator).size)
    result["n_denominator"] = int(_finite_positive(denominator).size)
    return result


def mean_interval(values, *, level: float = 0.95, floor: float | None = None) -> tuple:
    """(mean, low, high): the mean over runs with a t-interval (NaN bounds with fewer than two
    values); `floor` clips the bounds of a quantity that cannot go below it (a cost at 0)."""
    array = np.asarray(values, dtype=float)
    array = array[np.isfinite(array)]
    if array.size == 0:
        return np.nan, np.nan, np.nan
    mean = float(array.mean())
    if array.size < 2:
        return mean, np.nan, np.nan
    half = _t_half_width(level, array.size - 1, array.var(ddof=1) / array.size)
    low, high = mean - half, mean + half
    if floor is not None:
        low, high = max(low, floor), max(high, floor)
    return mean, float(low), float(high)


def geometric_mean_interval(values, *, level: float = 0.95) -> tuple:
    """(geometric mean, low, high) of positive values over runs: a t-interval on the log scale,
    for ratios and other multiplicative quantities (NaN bounds with fewer than two values)."""
    mean, low, high = mean_interval(np.log(_finite_positive(values)), level=level)
    return float(np.exp(mean)), float(np.exp(low)), float(np.exp(high))


def signed_rank_p(differences) -> float:
    """Two-sided p-value of the Wilcoxon signed-rank test of paired differences (exact where there
    are no ties or zeros, scipy's normal approximation otherwise; zeros dropped); 1.0 when every
    difference is zero or there are none."""
    import scipy.stats  # see _t_half_width

    values = np.asarray(differences, dtype=float)
    values = values[np.isfinite(values)]
    if not np.any(values):
        return 1.0
    return float(scipy.stats.wilcoxon(values, zero_method="wilcox", method="auto").pvalue)


def time_to_accuracy_mlperf(times_s) -> dict:
    """MLPerf-style time to accuracy over seeds (MLPerf Training rules, "Benchmark Results"):
    drop the fastest and the slowest run, then average the rest; "a single non-converging run may
    be treated as the slowest run and dropped", and the result "is invalid if there is more than
    one non-converging run". A run that never reached the target is None/NaN. With fewer than 5
    runs nothing is dropped, so any run that missed the target makes the result invalid (its
    time is unknown and longer than any other). `valid` False gives time_to_accuracy_s None."""
    values = np.asarray([np.nan if t is None else t for t in times_s], dtype=float)
    reached = np.sort(values[np.isfinite(values)])
    missed = int(values.size - reached.size)
    dropped = values.size >= 5
    valid = bool(reached.size) and missed <= (1 if dropped else 0)
    # the slowest dropped is the run that missed, if one did; the fastest always
    kept = (reached[1:] if missed else reached[1:-1]) if dropped else reached
    return {
        TIME_TO_ACCURACY: float(kept.mean()) if valid and kept.size else None,
        "valid": valid,
        "n_used": int(kept.size) if valid else 0,
        "n_not_reached": missed,
        "dropped_best_and_worst": bool(dropped),
    }
