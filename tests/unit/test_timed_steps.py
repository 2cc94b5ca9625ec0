"""The speed study's timed steps sized by time (config `speed`, fwbench.runs.training.timed_step_count):
the rule, its use by the shared loop, and a simulation that the verdicts lose no power at its counts.

The power simulation draws what a speed comparison sees: per run a true median scaled by run-to-run
noise (log-normal, sigma 0.15 between runs: the reference machine's spread), and within the run
`n` step times around it with per-step noise; the run's figure is the median of its steps. At the
rule's smallest count (50 steps) the per-run median's error is a small part of the run-to-run
spread, so a 5-against-5 Welch interval on log medians detects a real difference as often as it
does at 200 steps, and calls a false one no more often.
"""

import numpy as np
import pytest

from fwbench.core.stats import ratio_interval
from fwbench.runs.training import median_relative_se, timed_step_count, train
from tests.helpers.fake_harness import FakeHarness

RULE = {"min_timed_steps": 50, "timed_budget_s": 5.0}
RUN_SIGMA = 0.15  # log-sd of run medians between runs on the reference machine
STEP_SIGMA = 0.25  # log-sd of single steps within a run: the widest measured here (Keras eager GRU, 50 steps)
RUNS, TRIALS = 5, 2000


@pytest.mark.parametrize(
    "warmup_ms, expected",
    [
        ([500.0, 1.0, 1.0, 1.0], 200),  # a 1 ms step: the cap (5 s would take 5000)
        ([900.0, 300.0, 300.0, 300.0], 50),  # a 300 ms step: the minimum (5 s is 17 steps)
        ([900.0, 50.0, 50.0, 50.0], 100),  # a 50 ms step: enough to fill 5 s
        ([], 200),  # no warm-up to calibrate on: the cap
    ],
)
def test_the_count_is_the_minimum_or_the_budget_whichever_is_more_capped(warmup_ms, expected):
    assert timed_step_count(np.array(warmup_ms), RULE, max_steps=200) == expected


def test_the_warm_up_first_half_holds_compilation_and_is_not_calibrated_on():
    compile_then_steady = np.array([20_000.0, 8_000.0, 50.0, 50.0])
    assert timed_step_count(compile_then_steady, RULE, max_steps=200) == 100


def test_without_a_rule_every_capped_step_is_timed():
    assert timed_step_count(np.array([1.0, 1.0]), None, max_steps=37) == 37


def test_the_shared_loop_times_as_many_steps_as_the_rule_says_and_records_the_count():
    data = {"x_train": np.zeros((40, 2), np.float32), "y_train": np.zeros(40, np.int64)}
    size = {"total_steps": 5, "batch_size": 4, "eval_every": 5, "warmup_steps": 3, "max_timed_steps": 30}
    size["target_accuracy"] = 0.5
    for budget_s, expected in ((0.0, 12), (1e6, 30)):
        timing = {"min_timed_steps": 12, "timed_budget_s": budget_s}
        metrics = train(
            FakeHarness(), None, data, size=size, optimizer={}, mode="x", seed=0, study="speed", timing=timing
        )["metrics"]
        assert metrics["step_time_ms"]["n"] == expected
        assert metrics["step_time_median_relative_se"] is not None


def simulated_run_medians(rng, true_ms: float, steps: int) -> np.ndarray:
    run_ms = true_ms * np.exp(rng.normal(0, RUN_SIGMA, RUNS))
    step_ms = run_ms[:, None] * np.exp(rng.normal(0, STEP_SIGMA, (RUNS, steps)))
    return np.median(step_ms, axis=1)


def detection_rate(true_ratio: float, steps: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    called = 0
    for _ in range(TRIALS):
        interval = ratio_interval(
            simulated_run_medians(rng, 10.0 * true_ratio, steps), simulated_run_medians(rng, 10.0, steps)
        )
        called += not interval["inside_noise"]
    return called / TRIALS


def test_the_per_run_median_error_at_the_smallest_count_is_small_beside_the_run_to_run_spread():
    rng = np.random.default_rng(0)
    steps = rng.lognormal(0, STEP_SIGMA, (2000, RULE["min_timed_steps"]))
    measured_se = np.median([median_relative_se(run) for run in steps])
    true_se = np.std(np.log(np.median(steps, axis=1)))
    assert measured_se == pytest.approx(true_se, rel=0.15)  # the recorded error is the real one
    assert true_se < RUN_SIGMA / 3


def test_fewer_timed_steps_lose_no_power_and_add_no_false_calls():
    power_at = {steps: detection_rate(1.3, steps, seed=1) for steps in (RULE["min_timed_steps"], 200)}
    false_at = {steps: detection_rate(1.0, steps, seed=2) for steps in (RULE["min_timed_steps"], 200)}
    assert power_at[50] >= power_at[200] - 0.05, power_at  # measured: 0.61 against 0.64
    assert false_at[50] <= 0.06, false_at
