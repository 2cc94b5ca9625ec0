"""The framework-neutral training loop of both training studies: data order, timing, evaluation.

Both frameworks go through this one loop, so they see identical batches in identical order and
are timed by the same clock in the same place. Only the step itself is timed: the harness's
train_step returns a Python float, which synchronises the device before the clock is read.

Two studies share it (`study`):
- **speed**: `warmup_steps` steps (their excess over the steady median is the run's one-time
  cost), then steady-state steps with no evaluation among them, as many as timed_step_count says
  (sized by time, the same rule in every framework and mode). Accuracy is not its business; C1,
  C3, C5 and C6 read its step times. The steady state is checked: the medians of the first and
  second half of the timed steps are recorded with their ratio.
- **quality**: the workload's training recipe, `total_steps` steps with a test-set evaluation
  every `eval_every`; accuracy, the learning curve and time to accuracy come from it.

Python's garbage collector is paused during the steps (collected before the first step and at
every evaluation, outside the timer), as timeit and pyperf do: a collection is a pause of the
harness, not of the framework, in either framework.
"""

import contextlib
import gc
import math
import sys
import time

import numpy as np
from tqdm import tqdm

from fwbench.core.columns import (
    DEVICE_PEAK,
    DEVICE_RESERVED,
    FIRST_STEP,
    MEDIAN_RELATIVE_SE,
    ONE_TIME_COST,
    PREBUILT_BATCHES,
    STEADY,
    STEP_TIME_PREFIX,
    TARGET_ACCURACY,
    TEST_ACCURACY,
    THROUGHPUT,
    TIME_TO_ACCURACY,
    TIME_TO_FIRST_STEP,
    WARMUP_TIME,
)
from fwbench.core.nvml_sampler import NvmlSampler
from fwbench.core.results import Diverged
from fwbench.core.stats import summarise_ms
from fwbench.runs.plan import STUDIES

EVAL_BATCH = 1000
STEADY_STATE_METHOD = (
    "fixed warm-up: the first warmup_steps steps are excluded from step-time statistics; "
    "checked by the ratio of the second half's median to the first half's (steady_state)"
)
PREBUILT_BATCHES_CAP_MB = 256  # most memory the batches built ahead of their timed steps may take
STEADY_DRIFT_LIMIT = 0.05  # |second-half / first-half median - 1| above this: not steady (flagged)


def batch_indices(n_samples: int, batch_size: int, total_steps: int, seed: int):
    """Yield index arrays: a fresh seeded permutation each epoch, incomplete last batch dropped."""
    rng = np.random.default_rng(seed)
    per_epoch = n_samples // batch_size
    if per_epoch == 0:
        raise ValueError(f"batch_size {batch_size} is larger than the {n_samples} training samples")
    step = 0
    while step < total_steps:
        order = rng.permutation(n_samples)
        for b in range(min(per_epoch, total_steps - step)):
            yield order[b * batch_size : (b + 1) * batch_size]
            step += 1


def cross_entropy_and_accuracy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Mean softmax cross-entropy and accuracy of integer labels; class scores on the last axis."""
    logits = logits.reshape(-1, logits.shape[-1]).astype(np.float64)
    labels = labels.reshape(-1)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(labels.size), labels].mean()
    accuracy = (logits.argmax(axis=1) == labels).mean()
    return float(loss), float(accuracy)


@contextlib.contextmanager
def gc_paused():
    """Collect once, then keep Python's garbage collector off until the block ends."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def steady_state(timed_ms: np.ndarray) -> dict | None:
    """Medians of the first and second half of the timed steps and their ratio; `steady` when the
    ratio is within STEADY_DRIFT_LIMIT of 1 (a warm-up too short, or a machine that changed
    speed during the run, shows as drift)."""
    if timed_ms.size < 4:
        return None
    half = timed_ms.size // 2
    first, second = float(np.median(timed_ms[:half])), float(np.median(timed_ms[half:]))
    ratio = second / first if first > 0 else None
    return {
        "first_half_median_ms": first,
        "second_half_median_ms": second,
        "drift_ratio": ratio,
        STEADY: bool(ratio is not None and abs(ratio - 1) <= STEADY_DRIFT_LIMIT),
    }


def evaluate(harness, model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    logits = np.concatenate(
        [harness.predict(model, x[i : i + EVAL_BATCH]) for i in range(0, len(x), EVAL_BATCH)]
    )
    return cross_entropy_and_accuracy(logits, y)


def planned_steps(size: dict, study: str) -> int:
    """The most optimiser steps a run of `study` takes at this size (the speed study may stop
    earlier: timed_step_count)."""
    if study not in STUDIES:
        raise ValueError(f"unknown study {study!r}; one of {', '.join(STUDIES)}")
    return size["warmup_steps"] + size["max_timed_steps"] if study == "speed" else size["total_steps"]


def timed_step_count(warmup_ms: np.ndarray, timing: dict | None, max_steps: int) -> int:
    """How many steady-state steps a speed run times, decided before the first of them as timeit's
    autorange and pyperf's calibration decide: at least `min_timed_steps`, and at least enough to
    fill `timed_budget_s` at the step time the second half of the warm-up measured (its median;
    the first half holds the compilation), whichever is more, never more than `max_steps` (the
    size's max_timed_steps). Without a rule (`timing` None) or a warm-up, `max_steps`."""
    if not timing or warmup_ms.size == 0:
        return max_steps
    calibration_ms = float(np.median(warmup_ms[warmup_ms.size // 2 :]))
    to_fill_budget = (
        math.ceil(timing["timed_budget_s"] * 1e3 / calibration_ms) if calibration_ms > 0 else max_steps
    )
    return int(min(max_steps, max(timing["min_timed_steps"], to_fill_budget)))


def median_relative_se(timed_ms: np.ndarray) -> float | None:
    """The per-run median's own standard error relative to it: 1.2533 x the steps' robust spread
    (1.4826 x their median absolute deviation) / sqrt(n), the large-sample error of a median; what
    the count of timed steps buys, to set beside the run-to-run spread of the medians."""
    if timed_ms.size < 4:
        return None
    median = float(np.median(timed_ms))
    if median <= 0:
        return None
    robust_sd = 1.4826 * float(np.median(np.abs(timed_ms - median)))
    return 1.2533 * robust_sd / math.sqrt(timed_ms.size) / median


def shared_steps_runner(harness, train_step, x_train: np.ndarray, y_train: np.ndarray):
    """The shared loop's steps: run(batches of indices) -> [(step time in ns, loss), ...], each
    step timed alone; stops after a non-finite loss.

    Data handling stays outside the timer, and out of the steps' way: the batches' tensors are
    built on the run's device, in every framework, and the device synchronised, before the first
    of them is timed (in chunks of at most PREBUILT_BATCHES_CAP_MB), not between two timed steps,
    where the indexing and conversion evict the caches the next step would use (measured: about
    5 % of a TF mlp step, 1 % of a PyTorch one; fwbench.studies.harness_overhead.run). On a GPU this
    keeps every framework's host-to-device copies off the clock alike.
    """

    def run(batches) -> list[tuple[int, float]]:
        steps = []
        for chunk in _chunks(batches, x_train, y_train):
            chunk_mb = sum(map(len, chunk)) * (x_train[:1].nbytes + y_train[:1].nbytes) / 2**20
            run.batches_held_mb = max(run.batches_held_mb, chunk_mb)
            tensors = [harness.to_tensors(x_train[idx], y_train[idx]) for idx in chunk]
            harness.synchronize()  # the copies to the device are done before the first clock starts
            for x, y in tensors:
                start = time.perf_counter_ns()
                loss = train_step(x, y)
                steps.append((time.perf_counter_ns() - start, loss))
                if not math.isfinite(loss):
                    return steps
        return steps

    run.batches_held_mb = 0.0  # the most the batches built ahead of their steps held at once
    return run


def _chunks(batches: list, x_train: np.ndarray, y_train: np.ndarray):
    """`batches` in runs whose tensors together take at most PREBUILT_BATCHES_CAP_MB (one at least)."""
    if not len(batches):
        return
    batch_mb = (x_train[:1].nbytes + y_train[:1].nbytes) * len(batches[0]) / 2**20
    size = max(1, int(PREBUILT_BATCHES_CAP_MB // max(batch_mb, 1e-9)))
    for start in range(0, len(batches), size):
        yield batches[start : start + size]


def segment_ends(total: int, warmup: int, eval_every: int | None) -> list[int]:
    """Where the loop pauses between runs of steps: the end of the warm-up (the NVML sampler starts
    there), every evaluation point, and the end."""
    ends = {total, *([warmup] if 0 < warmup < total else [])}
    if eval_every:
        ends.update(range(eval_every, total, eval_every))
    return sorted(ends)


def train(
    harness,
    model,
    data: dict,
    *,
    size: dict,
    optimizer: dict,
    mode: str,
    seed: int,
    study: str,
    timing: dict | None = None,
    process_started_s: float | None = None,
) -> dict:
    """Train `model` with the harness for one run of `study`; return the metrics and the curve
    (the quality study's evaluations; empty in the speed study). `timing`: the speed study's rule
    of how many steady-state steps to time (config `speed`; timed_step_count). With
    `process_started_s` (the run process's start, seconds since the epoch), the time from it to the
    first finished step too.

    The steps run through the shared loop (shared_steps_runner), or, in a mode that runs the
    framework's own loop (Keras model.fit), through the harness's make_steps_runner, which times
    each step with the framework's own per-step hook; the batches are the same either way.
    Raises Diverged (with the step) when the loss stops being finite.
    """
    total, warmup = planned_steps(size, study), size["warmup_steps"]
    evaluating = study == "quality"
    eval_every = size["eval_every"] if evaluating else None
    x_train, y_train = data["x_train"], data["y_train"]
    own_loop = getattr(harness, "make_steps_runner", lambda *args: None)
    run_steps = own_loop(model, optimizer, mode, x_train, y_train) or shared_steps_runner(
        harness, harness.make_train_step(model, optimizer, mode), x_train, y_train
    )
    batches = list(batch_indices(len(x_train), size["batch_size"], total, seed))
    step_ns = np.zeros(total, dtype=np.int64)
    curve, losses_since_eval = [], []
    steps_to_target, time_to_target = None, None
    harness.reset_peak_device_memory()
    sampler = NvmlSampler(enabled=harness.device_info()["kind"] == "cuda")  # steady-state steps only
    progress = tqdm(total=total, desc=study, file=sys.stderr, mininterval=5, ascii=True)
    done = 0
    loop_started_s = time.time()
    with gc_paused():
        for end in segment_ends(total, warmup, eval_every):
            if done >= warmup:
                if not evaluating and done == warmup:  # the speed study sizes its timed steps now
                    total = warmup + timed_step_count(step_ns[:warmup] / 1e6, timing, total - warmup)
                    end = total
                sampler.resume()
            for ns, loss in run_steps(batches[done:end]):
                step_ns[done] = ns
                done += 1
                if not math.isfinite(loss):
                    raise Diverged(done, loss)
                losses_since_eval.append(loss)
            progress.update(end - progress.n)
            if evaluating and (done % eval_every == 0 or done == total):
                sampler.pause()
                test_loss, test_acc = evaluate(harness, model, data["x_test"], data["y_test"])
                gc.collect()
                train_time_s = step_ns[:done].sum() / 1e9
                curve.append(
                    {
                        "step": done,
                        "train_loss": float(np.mean(losses_since_eval)),
                        "test_loss": test_loss,
                        TEST_ACCURACY: test_acc,
                        "train_time_s": float(train_time_s),
                    }
                )
                losses_since_eval = []
                if steps_to_target is None and test_acc >= size[TARGET_ACCURACY]:
                    steps_to_target, time_to_target = done, float(train_time_s)
    progress.close()
    sampler.pause()
    step_ms = step_ns[:done] / 1e6
    steady = summarise_ms(step_ms[warmup:])
    # The one-time cost of the first steps (tracing, compiling, first use): their time above this
    # run's own steady-state median, never negative, never inferred from another mode.
    one_time_s = (
        float(np.clip(step_ms[:warmup] - steady["median"], 0, None).sum() / 1e3)
        if steady and warmup
        else None
    )
    last = curve[-1] if curve else {}
    return {
        "metrics": {
            TEST_ACCURACY: last.get(TEST_ACCURACY),
            "test_loss": last.get("test_loss"),
            "final_train_loss": last["train_loss"] if last else float(np.mean(losses_since_eval)),
            STEP_TIME_PREFIX: steady,
            "steady_state": steady_state(step_ms[warmup:]),
            MEDIAN_RELATIVE_SE: median_relative_se(step_ms[warmup:]),
            "warmup_steps": warmup,
            WARMUP_TIME: float(step_ms[:warmup].sum() / 1e3),
            FIRST_STEP: float(step_ms[0]),
            # the process's start to the loop's, plus the first step's own time (as every mode times
            # it, Keras fit included, whose steps are reported when its call returns)
            TIME_TO_FIRST_STEP: (
                loop_started_s - process_started_s + float(step_ms[0]) / 1e3
                if process_started_s is not None
                else None
            ),
            ONE_TIME_COST: one_time_s,
            "compile": harness.compile_info(),
            "steady_state_detection": STEADY_STATE_METHOD,
            THROUGHPUT: (size["batch_size"] / (steady["median"] / 1e3) if steady else None),
            "train_time_s": float(step_ms.sum() / 1e3),
            TARGET_ACCURACY: size[TARGET_ACCURACY] if evaluating else None,
            TIME_TO_ACCURACY: time_to_target,
            "steps_to_accuracy": steps_to_target,
            DEVICE_PEAK: harness.peak_device_memory_mb(),
            DEVICE_RESERVED: harness.peak_device_reserved_mb(),
            "diverged_at_step": None,
            PREBUILT_BATCHES: getattr(run_steps, "batches_held_mb", None),
            **sampler.summary(samples_processed=(total - warmup) * size["batch_size"]),
        },
        "curve": curve,
    }
