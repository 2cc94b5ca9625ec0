"""The harness-overhead study's report table: per framework, the median step time through fwbench's
harness and through a bare hand-written step, and their ratio against the goal, from
results/harness_overhead.json (fwbench.studies.harness_overhead.run).
"""

from pathlib import Path

import numpy as np
import pandas as pd

from fwbench.core.results import read_result
from fwbench.frameworks import DISPLAY_NAMES


def harness_overhead(results_dir) -> pd.DataFrame | None:
    """The harness-overhead benchmark, one row per framework; None when the file is absent."""
    path = Path(results_dir) / "harness_overhead.json"
    if not path.exists():
        return None
    record = read_result(path, kind="harness_overhead")
    rows = []
    for entry in record["frameworks"]:
        harness_ms, bare_ms = entry.get("harness_step_ms") or [], entry.get("bare_step_ms") or []
        rows.append(
            {
                "workload": record["workload"],
                "framework": DISPLAY_NAMES.get(entry["framework"], entry["framework"]),
                "mode": entry["mode"],
                "status": entry["status"],
                "block_pairs": len(harness_ms),
                "harness_step_ms": float(np.median(harness_ms)) if harness_ms else None,
                "bare_step_ms": float(np.median(bare_ms)) if bare_ms else None,
                "ratio": entry.get("ratio"),
                "ratio_ci_low": entry.get("ratio_ci_low"),
                "ratio_ci_high": entry.get("ratio_ci_high"),
                "goal_ratio": record["goal_ratio"],
                "meets_goal": entry.get("meets_goal"),
            }
        )
    return pd.DataFrame(rows).round(4)


def method() -> str:
    from fwbench.studies.harness_overhead.run import GOAL_RATIO

    return (
        "`fwbench.studies.harness_overhead.run` trains one workload in every framework with a bare loop "
        "through fwbench's harness and shared loop (the code that times every step of every run) and "
        "through a bare hand-written step of the same model in the same mode (PyTorch eager; Keras under "
        "`tf.function`; Keras on JAX under `jax.jit`), side by side in one fresh process per framework, on "
        "the same batches, built before timing. The two "
        "alternate in short blocks of steps (A B, B A, ...), so the machine's drift, larger on a shared "
        "machine than the effect sought, hits both blocks of a pair alike; each pair gives the ratio of "
        "their median step times, and the table gives the geometric mean over pairs with a 95 % "
        f"t-interval. The goal is at most {GOAL_RATIO:g} ({GOAL_RATIO - 1:.0%} overhead) in every "
        "framework. It is a benchmark, not a test: a miss is reported, not failed."
    )
