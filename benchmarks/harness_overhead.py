"""Harness overhead: the pipeline's training loop vs a bare hand-written loop, in one process.

A benchmark, not a pass/fail test. It trains one workload for `steps` steps through fwbench's
harness and shared loop (fwbench.training.train: per-step timing, batch bookkeeping, progress bar,
evaluation) and through the bare loop of src/fwbench/frameworks/torch/bare_loop.py, alternating the two
`repeats` times after one untimed round of each (A B, B A, A B, ...: drift and order effects hit
both alike), and reports the ratio of the geometric means of the wall times with a 95 % interval
(fwbench.stats.ratio_interval).
The goal is a ratio <= 1.01. The rule harness_overhead writes results/harness_overhead.json
(schema workflow/schemas/harness_overhead.schema.json).

    python benchmarks/harness_overhead.py OUT.json [--workload mlp] [--steps 300] [--repeats 5]
"""

import argparse
import sys
import time
import traceback

GOAL_RATIO = 1.01
WARMUP_STEPS = 20  # one untimed round of each loop before the timed repeats


def measure(*, workload_name: str, steps: int, repeats: int, threads: int, data_path: str) -> dict:
    import numpy as np

    from fwbench import datasets, frameworks, stats
    from fwbench.frameworks.torch.bare_loop import bare_train_s
    from fwbench.training import train
    from fwbench.workloads import discover, load_impl

    workload = discover()[workload_name]
    spec = workload.spec
    opt = spec["optimizer"]
    batch_size = workload.size("default")["batch_size"]
    data = datasets.load(data_path)
    h = frameworks.load_harness("torch", threads=threads, device="cpu", seed=0)
    impl = load_impl(workload.impl_path("torch"), f"fwbench_overhead_{workload_name}")
    size = {
        "total_steps": steps,
        "batch_size": batch_size,
        "eval_every": steps,
        "warmup_steps": 0,
        "target_accuracy": 1.0,
    }
    model_args = spec.get("model_args", {})

    def through_harness(n_steps: int) -> float:
        model = h.build_model(impl, model_args)
        start = time.perf_counter()
        train(
            h,
            model,
            data,
            size={**size, "total_steps": n_steps, "eval_every": n_steps},
            optimizer=opt,
            mode="eager",
            seed=0,
        )
        return time.perf_counter() - start

    def bare(n_steps: int) -> float:
        return bare_train_s(
            impl, model_args, data, steps=n_steps, batch_size=batch_size, lr=opt["lr"], eps=opt["eps"], seed=0
        )

    warmup_steps = min(steps, WARMUP_STEPS)
    through_harness(warmup_steps), bare(warmup_steps)  # untimed: one-time allocations, lazy init
    harness_s, bare_s = [], []
    for repeat in range(repeats):  # alternate which goes first, so order effects cancel
        if repeat % 2 == 0:
            harness_s.append(through_harness(steps))
            bare_s.append(bare(steps))
        else:
            bare_s.append(bare(steps))
            harness_s.append(through_harness(steps))
    ratio = stats.ratio_interval(harness_s, bare_s)
    finite = lambda value: value if np.isfinite(value) else None  # noqa: E731 (one repeat: no interval)
    return {
        "harness_s": harness_s,
        "bare_s": bare_s,
        "harness_s_median": float(np.median(harness_s)),
        "bare_s_median": float(np.median(bare_s)),
        "ratio": ratio["ratio"],
        "ratio_ci_low": finite(ratio["ci_low"]),
        "ratio_ci_high": finite(ratio["ci_high"]),
        "meets_goal": bool(ratio["ratio"] <= GOAL_RATIO),
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

    from fwbench import provenance, results

    record = {
        "schema_version": results.schema_version("harness_overhead"),
        "workload": args.workload,
        "framework": "torch",
        "mode": "eager",
        "device": "cpu",
        "steps": args.steps,
        "repeats": args.repeats,
        "goal_ratio": GOAL_RATIO,
        "status": "ok",
        "error": None,
    }
    try:
        record.update(
            measure(
                workload_name=args.workload,
                steps=args.steps,
                repeats=args.repeats,
                threads=args.threads,
                data_path=args.data,
            )
        )
    except Exception as exc:  # a benchmark that could not run is a recorded result
        record["status"] = "failed"
        record["error"] = results.error_record(
            type(exc).__name__, str(exc) or repr(exc), traceback.format_exc()
        )
    record["provenance"] = provenance.collect(
        threads=record.pop("threads", {"requested": args.threads}),
        device={"requested": "cpu", "kind": "cpu", "name": "cpu"},
        data_sha256=provenance.sha256_file(args.data),
    )
    results.write_result(args.out, record, kind="harness_overhead")
    print(f"harness/bare = {record.get('ratio')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
