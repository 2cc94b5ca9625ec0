"""Harness overhead: the step time the pipeline measures vs a bare hand-written step, per framework.

A benchmark, not a pass/fail test. For every framework whose folder has a bare loop
(frameworks/<name>/bare_loop.py, in its idiomatic mode: PyTorch eager, Keras under tf.function,
Keras on JAX under jax.jit), a fresh process of its own (Keras takes one backend per process)
trains one workload twice side by side: through fwbench's harness and shared loop
(fwbench.runs.training.shared_steps_runner over the harness's make_train_step: the code that times every
step of every run), and through the bare step on batches built before timing and passed as
arguments. Both sides see the same batches in the same order, with Python's garbage collector
paused (as the pipeline's loop pauses it).

The two sides alternate in blocks of `block_steps` steps (A B, B A, A B, ...; after `warmup_steps`
untimed steps each), so the machine's drift, which on a shared machine is larger than the effect
sought, hits both sides of a block pair alike and cancels in their ratio. Each block pair yields
one ratio of median step times; the reported ratio is the geometric mean over block pairs with a
95 % t-interval on the log scale (fwbench.core.stats.geometric_mean_interval). The goal is a ratio
<= 1.02 in every framework. The rule harness_overhead writes results/harness_overhead.json
(schema workflow/schemas/harness_overhead.schema.json).

    python -m fwbench.studies.harness_overhead.run OUT.json [--workload mlp] [--blocks 100] [--block-steps 20]
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

GOAL_RATIO = 1.02
WARMUP_STEPS = 50  # untimed steps of each side before the first block: allocations, tracing, caches


def timed_bare_steps_ns(step, tensors) -> list[int]:
    """Per-step wall time (ns) of the bare step over prebuilt batches, each call timed alone."""
    times_ns = []
    for x, y in tensors:
        start = time.perf_counter_ns()
        step(x, y)
        times_ns.append(time.perf_counter_ns() - start)
    return times_ns


def measure_framework(
    framework: str, *, workload, data: dict, blocks: int, block_steps: int, threads: int
) -> dict:
    """Alternated blocks of harness and bare steps in one framework; the ratio of their step times."""
    import numpy as np

    from fwbench import frameworks
    from fwbench.core import stats
    from fwbench.runs.training import batch_indices, gc_paused, shared_steps_runner
    from fwbench.runs.workloads import load_impl

    bare_loop = frameworks.load(framework, "bare_loop")
    # as in the speed study's runs (fwbench.runs.plan.DETERMINISTIC_STUDIES): each framework's default kernels
    h = frameworks.load_harness(framework, threads=threads, device="cpu", seed=0, deterministic=False)
    impl = load_impl(workload.impl_path(framework), f"fwbench_overhead_{workload.name}_{framework}")
    spec, batch_size = workload.spec, workload.size("default")["batch_size"]
    model_args, optimizer = workload.model_args("default"), spec["optimizer"]
    x_train, y_train = data["x_train"], data["y_train"]
    indices = list(batch_indices(len(x_train), batch_size, WARMUP_STEPS + blocks * block_steps, seed=0))
    harness_steps = shared_steps_runner(
        h, h.make_train_step(h.build_model(impl, model_args), optimizer, bare_loop.MODE), x_train, y_train
    )
    bare_step = bare_loop.make_step(impl, model_args, optimizer=optimizer, seed=0)
    bare_tensors = bare_loop.prebuilt([(x_train[idx], y_train[idx]) for idx in indices])

    def harness_block_ms(start: int, stop: int) -> float:
        return float(np.median([ns for ns, _ in harness_steps(indices[start:stop])])) / 1e6

    def bare_block_ms(start: int, stop: int) -> float:
        return float(np.median(timed_bare_steps_ns(bare_step, bare_tensors[start:stop]))) / 1e6

    harness_ms, bare_ms = [], []
    with gc_paused():  # as the pipeline's loop runs its steps
        harness_block_ms(0, WARMUP_STEPS), bare_block_ms(0, WARMUP_STEPS)  # untimed
        for block in range(blocks):  # alternate which side goes first, so order effects cancel
            start = WARMUP_STEPS + block * block_steps
            sides = (harness_block_ms, bare_block_ms) if block % 2 == 0 else (bare_block_ms, harness_block_ms)
            medians = {side: side(start, start + block_steps) for side in sides}
            harness_ms.append(medians[harness_block_ms])
            bare_ms.append(medians[bare_block_ms])
    # paired: the two blocks of a pair ran back to back, so drift between pairs cancels in their ratio
    ratio, low, high = stats.geometric_mean_interval(np.divide(harness_ms, bare_ms))
    finite = lambda value: value if np.isfinite(value) else None  # noqa: E731 (one block: no interval)
    return {
        "framework": framework,
        "mode": bare_loop.MODE,
        "status": "ok",
        "error": None,
        "harness_step_ms": harness_ms,
        "bare_step_ms": bare_ms,
        "ratio": ratio,
        "ratio_ci_low": finite(low),
        "ratio_ci_high": finite(high),
        "meets_goal": bool(ratio <= GOAL_RATIO),
        "threads": h.thread_info(),
    }


def framework_entry(framework: str, args: argparse.Namespace) -> dict:
    """One framework's entry, measured in a fresh process of its own (`--one FRAMEWORK`)."""
    from fwbench.core import results

    with tempfile.TemporaryDirectory(prefix="fwbench-overhead-") as folder:
        entry_path = Path(folder) / "entry.json"
        command = [
            sys.executable, "-m", "fwbench.studies.harness_overhead.run", str(entry_path),
            "--one", framework, "--workload", args.workload, "--blocks", str(args.blocks),
            "--block-steps", str(args.block_steps), "--threads", str(args.threads), "--data", args.data,
        ]  # fmt: skip
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        sys.stderr.write(done.stderr)
        if entry_path.is_file():
            return json.loads(entry_path.read_text())
    stderr_tail = done.stderr.strip()[-400:]
    error = results.error_record("ProcessExit", f"exited with {done.returncode}: {stderr_tail}")
    return {"framework": framework, "mode": None, "status": "failed", "error": error}


def measure_one(framework: str, args: argparse.Namespace) -> dict:
    """In the child: one framework's entry (a framework that could not run is a recorded result)."""
    from fwbench.core import results
    from fwbench.runs import datasets
    from fwbench.runs.workloads import discover

    try:
        return measure_framework(
            framework,
            workload=discover()[args.workload],
            data=datasets.load(args.data),
            blocks=args.blocks,
            block_steps=args.block_steps,
            threads=args.threads,
        )
    except Exception as exc:
        status, error = results.classify(exc, framework)
        return {"framework": framework, "mode": None, "status": status, "error": error}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--workload", default="mlp")
    parser.add_argument("--blocks", type=int, default=100)
    parser.add_argument("--block-steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default="data/generated/mnist1d.npz")
    parser.add_argument("--one", metavar="FRAMEWORK", help="measure this framework alone; OUT gets its entry")
    args = parser.parse_args(argv)

    from fwbench import frameworks
    from fwbench.core import atomic, provenance, results

    if args.one:
        atomic.write_json_atomic(args.out, measure_one(args.one, args))
        return 0
    entries, threads = [], {"requested": args.threads}
    for framework in frameworks.FRAMEWORKS:
        if not frameworks.source(framework, "bare_loop").is_file():
            continue
        entry = framework_entry(framework, args)
        threads = entry.pop("threads", threads)
        entries.append(entry)
        print(f"{framework}: harness/bare = {entry.get('ratio')}", file=sys.stderr)
    record = {
        "schema_version": results.schema_version("harness_overhead"),
        "workload": args.workload,
        "device": "cpu",
        "blocks": args.blocks,
        "block_steps": args.block_steps,
        "warmup_steps": WARMUP_STEPS,
        "goal_ratio": GOAL_RATIO,
        "frameworks": entries,
        "provenance": provenance.collect(
            threads=threads,
            device={"requested": "cpu", "kind": "cpu", "name": "cpu"},
            data_sha256=provenance.sha256_file(args.data),
        ),
    }
    results.write_result(args.out, record, kind="harness_overhead")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001 (print the traceback, exit non-zero)
        traceback.print_exc()
        sys.exit(1)
