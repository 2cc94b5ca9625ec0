"""The framework-neutral training loop: data order, per-step timing, evaluation, metrics.

Both frameworks go through this one loop, so they see identical batches in identical order and
are timed by the same clock in the same place. Only the step itself is timed: the harness's
train_step returns a Python float, which synchronises the device before the clock is read.
"""

import math
import sys
import time

import numpy as np
from tqdm import tqdm

from fwbench.nvml_sampler import NvmlSampler
from fwbench.results import Diverged
from fwbench.stats import summarise_ms

EVAL_BATCH = 1000
STEADY_STATE_METHOD = "fixed warm-up: the first warmup_steps steps are excluded from step-time statistics"


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


def evaluate(harness, model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    logits = np.concatenate(
        [harness.predict(model, x[i : i + EVAL_BATCH]) for i in range(0, len(x), EVAL_BATCH)]
    )
    return cross_entropy_and_accuracy(logits, y)


def train(harness, model, data: dict, *, size: dict, optimizer: dict, mode: str, seed: int) -> dict:
    """Train `model` with the harness; return the metrics and the evaluation curve.

    Raises Diverged (with the step) when the loss stops being finite.
    """
    train_step = harness.make_train_step(model, optimizer, mode)
    x_train, y_train = data["x_train"], data["y_train"]
    total, eval_every, warmup = size["total_steps"], size["eval_every"], size["warmup_steps"]
    step_ns = np.zeros(total, dtype=np.int64)
    curve, losses_since_eval = [], []
    steps_to_target, time_to_target = None, None
    harness.reset_peak_device_memory()
    sampler = NvmlSampler(enabled=harness.device_info()["kind"] == "cuda")  # steady-state steps only
    progress = tqdm(
        batch_indices(len(x_train), size["batch_size"], total, seed),
        total=total,
        desc="train",
        file=sys.stderr,
        mininterval=5,
        ascii=True,
    )
    for step, idx in enumerate(progress):
        if step == warmup:
            sampler.resume()
        x, y = harness.to_tensors(x_train[idx], y_train[idx])
        start = time.perf_counter_ns()
        loss = train_step(x, y)
        step_ns[step] = time.perf_counter_ns() - start
        if not math.isfinite(loss):
            raise Diverged(step + 1, loss)
        losses_since_eval.append(loss)
        done = step + 1
        if done % eval_every == 0 or done == total:
            sampler.pause()
            test_loss, test_acc = evaluate(harness, model, data["x_test"], data["y_test"])
            if done >= warmup and done < total:
                sampler.resume()
            train_time_s = step_ns[:done].sum() / 1e9
            curve.append(
                {
                    "step": done,
                    "train_loss": float(np.mean(losses_since_eval)),
                    "test_loss": test_loss,
                    "test_accuracy": test_acc,
                    "train_time_s": float(train_time_s),
                }
            )
            losses_since_eval = []
            if steps_to_target is None and test_acc >= size["target_accuracy"]:
                steps_to_target, time_to_target = done, float(train_time_s)
    step_ms = step_ns / 1e6
    steady = summarise_ms(step_ms[warmup:])
    # The one-time cost of the first steps (tracing, compiling, first use): their time above this
    # run's own steady-state median, never negative, never inferred from another mode.
    one_time_s = (
        float(np.clip(step_ms[:warmup] - steady["median"], 0, None).sum() / 1e3)
        if steady and warmup
        else None
    )
    return {
        "metrics": {
            "test_accuracy": curve[-1]["test_accuracy"],
            "test_loss": curve[-1]["test_loss"],
            "final_train_loss": curve[-1]["train_loss"],
            "step_time_ms": steady,
            "warmup_steps": warmup,
            "warmup_time_s": float(step_ms[:warmup].sum() / 1e3),
            "first_step_time_ms": float(step_ms[0]),
            "one_time_cost_s": one_time_s,
            "compile": harness.compile_info(),
            "steady_state_detection": STEADY_STATE_METHOD,
            "throughput_samples_per_s": (size["batch_size"] / (steady["median"] / 1e3) if steady else None),
            "train_time_s": float(step_ms.sum() / 1e3),
            "target_accuracy": size["target_accuracy"],
            "time_to_accuracy_s": time_to_target,
            "steps_to_accuracy": steps_to_target,
            "device_peak_memory_mb": harness.peak_device_memory_mb(),
            "device_peak_reserved_mb": harness.peak_device_reserved_mb(),
            "diverged_at_step": None,
            **sampler.summary(samples_processed=(total - warmup) * size["batch_size"]),
        },
        "curve": curve,
    }
