"""Checks of the JAX runtime, each run in a fresh process by tests/unit/test_jax.py.

Keras picks its backend once per process, and the test session's Keras runs on TensorFlow (the
session's harnesses), so every check of Keras on JAX runs here, in a process of its own:
`python -m tests.helpers.jax_checks CHECK [ARG]` prints one JSON object on its last line.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np


def _data_file(name: str) -> Path:
    from fwbench.runs import datasets

    path = Path(tempfile.mkdtemp(prefix="fwbench-jax-")) / f"{name}.npz"
    datasets.write_npz_deterministic(path, datasets.GENERATORS[name]())
    return path


def parity(workload_name: str) -> dict:
    """parity.record of the PyTorch-vs-JAX pair at the default size, jit against eager."""
    from fwbench.runs.workloads import discover
    from fwbench.studies.parity import run as parity_check

    workload = discover()[workload_name]
    record = parity_check.record(
        workload,
        _data_file(workload.dataset("default")),
        framework="jax",
        threads=2,
        modes={"jax": ["jit", "fit"]},
        scale="default",
        with_reference_compiled=False,
    )
    record.pop("provenance")
    return record


def settings() -> dict:
    """Threads, device and the absence of TensorFlow in a JAX harness's process."""
    from fwbench.frameworks import UnsupportedMode, load_harness

    harness = load_harness("jax", threads=1, device="cpu", seed=0)
    try:
        harness.make_train_step(None, {}, "graph")
        unknown_mode = None
    except UnsupportedMode as exc:
        unknown_mode = str(exc)
    return {
        "threads": harness.thread_info(),
        "affinity": len(os.sched_getaffinity(0)),
        "device": harness.device_info(),
        "tensorflow_loaded": sys.modules.get("tensorflow") is not None,
        "unknown_mode": unknown_mode,
        "preallocate": os.environ.get("XLA_PYTHON_CLIENT_PREALLOCATE"),
    }


def cuda() -> dict:
    from fwbench.frameworks import DeviceUnavailable
    from fwbench.frameworks.jax import harness

    try:
        harness.select_device("cuda")
        return {"raised": None}
    except DeviceUnavailable as exc:
        return {"raised": str(exc)}


def train() -> dict:
    """The mlp through fwbench's loop in every JAX mode (quality study: the same batches)."""
    from fwbench.frameworks import load, load_harness
    from fwbench.runs.training import train as train_loop
    from fwbench.runs.workloads import discover, load_impl

    workload = discover()["mlp"]
    load_harness("jax", threads=2, device="cpu", seed=0)  # first: Keras takes its backend from it
    impl = load_impl(workload.impl_path("jax"), "fwbench_jax_check_mlp")
    data = load_data(workload)
    size = {"total_steps": 12, "batch_size": 50, "eval_every": 6, "warmup_steps": 2, "max_timed_steps": 10}
    runs = {}
    for mode in ("eager", "jit", "fit"):
        harness = load_harness("jax", threads=2, device="cpu", seed=0)
        model = harness.build_model(impl, workload.model_args("default"))
        result = train_loop(
            harness,
            model,
            data,
            size={**size, "target_accuracy": 0.99},
            optimizer=workload.spec["optimizer"],
            mode=mode,
            seed=0,
            study="quality",
        )
        runs[mode] = {"curve": result["curve"], "metrics": result["metrics"]}
    counted = load("torch", "flops").training_step_flops(
        load_impl(workload.impl_path("torch"), "fwbench_jax_check_mlp_torch"),
        workload.model_args("default"),
        data["x_train"][: size["batch_size"]],
    )
    return {"runs": runs, "counted_flops": counted["flops_per_step"]}


def load_data(workload) -> dict:
    from fwbench.runs import datasets

    return datasets.GENERATORS[workload.dataset("default")]()


def inference() -> dict:
    """The inference modes and exports of the untrained mlp."""
    from fwbench.frameworks import load, load_harness
    from fwbench.runs.workloads import discover, load_impl
    from fwbench.studies.inference import run as sweep

    workload = discover()["mlp"]
    harness = load_harness("jax", threads=2, device="cpu", seed=0)
    model = harness.build_model(
        load_impl(workload.impl_path("jax"), "fwbench_jax_check_infer"), workload.model_args("default")
    )
    x = load_data(workload)["x_test"][:64]
    part = load("jax", "inference")
    reference = harness.predict(model, x)
    modes = {
        mode: float(np.abs(part.mode_predictor(harness, model, mode).predict(x) - reference).max())
        for mode in ("eager", "jit")
    }
    settings = {"warmup_calls": 1, "repeats": 3, "min_repeats": 1, "budget_s": 0.1}
    with tempfile.TemporaryDirectory() as workdir:
        exports = [
            sweep.run_export(export, x, reference, [1, 16], settings, Path(workdir))
            for export in part.exports(harness, model, example=x[:2], threads=2)
        ]
    return {
        "modes": modes,
        "exports": [{k: e[k] for k in ("format", "status", "error", "file_size_bytes")} for e in exports],
    }


CHECKS = {"parity": parity, "settings": settings, "cuda": cuda, "train": train, "inference": inference}

if __name__ == "__main__":
    name, *args = sys.argv[1:]
    print(json.dumps(CHECKS[name](*args), default=str))
