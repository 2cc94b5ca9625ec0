"""Harness overhead: the step time the pipeline measures vs a bare hand-written loop, per framework.

A benchmark, not a pass/fail test. For every framework whose folder has a bare loop
(frameworks/<name>/bare_loop.py, in its idiomatic mode: PyTorch eager, Keras under tf.function),
it trains one workload for `warmup + steps` steps through fwbench's harness and shared loop
(fwbench.training.train, the code every timed run goes through) and through the bare loop, on the
same batches in the same order (built before timing; the bare loop gets them as arguments), both
with Python's garbage collector paused (as the pipeline's loop pauses it), in one process,
alternating the two `repeats` times after one untimed round of each (A B, B A, A B, ...: drift
and order effects hit both alike). Each repeat yields one steady-state median step time
per side (the pipeline's own measurement; the bare loop's per-step times after the same warm-up);
the ratio is the geometric mean of the per-repeat ratios (paired: the two sides of a repeat ran
back to back, so drift between repeats cancels), with a 95 % t-interval on the log scale
(fwbench.stats.geometric_mean_interval). The goal is a ratio <= 1.02 in every framework. The rule
harness_overhead writes results/harness_overhead.json (schema workflow/schemas/harness_overhead.schema.json).

    python benchmarks/harness_overhead.py OUT.json [--workload mlp] [--steps 300] [--repeats 5]
"""

import argparse
import sys
import traceback

GOAL_RATIO = 1.02
WARMUP_STEPS = 20  # steps of every round left out of both sides' steady-state medians


def measure_framework(
    framework: str, *, workload, data: dict, steps: int, repeats: int, threads: int
) -> dict:
    """Alternated repeats of harness and bare loop in one framework; the ratio of their step times."""
    import numpy as np

    from fwbench import frameworks, stats
    from fwbench.training import batch_indices, gc_paused, train
    from fwbench.workloads import load_impl

    bare_loop = frameworks.load(framework, "bare_loop")
    # as in the speed study's runs (fwbench.plan.DETERMINISTIC_STUDIES): each framework's default kernels
    h = frameworks.load_harness(framework, threads=threads, device="cpu", seed=0, deterministic=False)
    impl = load_impl(workload.impl_path(framework), f"fwbench_overhead_{workload.name}_{framework}")
    spec, batch_size, total = workload.spec, workload.size("default")["batch_size"], WARMUP_STEPS + steps
    model_args, optimizer = spec.get("model_args", {}), spec["optimizer"]
    size = {
        "total_steps": total,
        "batch_size": batch_size,
        "eval_every": total,
        "warmup_steps": WARMUP_STEPS,
        "timed_steps": steps,
        "target_accuracy": 1.0,
    }
    batches = [
        (data["x_train"][idx], data["y_train"][idx])
        for idx in batch_indices(len(data["x_train"]), batch_size, total, seed=0)
    ]

    def through_harness() -> float:
        model = h.build_model(impl, model_args)
        metrics = train(
            h, model, data, size=size, optimizer=optimizer, mode=bare_loop.MODE, seed=0, study="speed"
        )["metrics"]
        return metrics["step_time_ms"]["median"]

    def bare() -> float:
        with gc_paused():  # as the pipeline's loop runs its steps
            times = bare_loop.bare_step_times_ms(impl, model_args, batches, optimizer=optimizer, seed=0)
        return float(np.median(times[WARMUP_STEPS:]))

    through_harness(), bare()  # untimed: one-time allocations, tracing, lazy init
    harness_ms, bare_ms = [], []
    for repeat in range(repeats):  # alternate which goes first, so order effects cancel
        first, second = (through_harness, bare) if repeat % 2 == 0 else (bare, through_harness)
        results = {first: first(), second: second()}
        harness_ms.append(results[through_harness])
        bare_ms.append(results[bare])
    # paired: the two sides of one repeat ran back to back, so the machine's drift between repeats
    # (which on a shared machine exceeds the effect) cancels in their ratio
    ratio, low, high = stats.geometric_mean_interval(np.divide(harness_ms, bare_ms))
    finite = lambda value: value if np.isfinite(value) else None  # noqa: E731 (one repeat: no interval)
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--workload", default="mlp")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default="data/generated/mnist1d.npz")
    args = parser.parse_args(argv)

    from fwbench import datasets, frameworks, provenance, results
    from fwbench.workloads import discover

    workload, data = discover()[args.workload], datasets.load(args.data)
    entries, threads = [], {"requested": args.threads}
    for framework in frameworks.FRAMEWORKS:
        if not frameworks.source(framework, "bare_loop").is_file():
            continue
        try:
            entry = measure_framework(
                framework,
                workload=workload,
                data=data,
                steps=args.steps,
                repeats=args.repeats,
                threads=args.threads,
            )
            threads = entry.pop("threads")
        except Exception as exc:  # a framework that could not run is a recorded result
            status, error = results.classify(exc, framework)
            entry = {"framework": framework, "mode": None, "status": status, "error": error}
        entries.append(entry)
        print(f"{framework}: harness/bare = {entry.get('ratio')}", file=sys.stderr)
    record = {
        "schema_version": results.schema_version("harness_overhead"),
        "workload": args.workload,
        "device": "cpu",
        "steps": args.steps,
        "warmup_steps": WARMUP_STEPS,
        "repeats": args.repeats,
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
