"""The timed runs' order: interleaved by variant (fwbench.plan.timed_order), and Snakemake keeps it.

Unit tests of the order itself, and one small pipeline run (one workload, two variants, three
seeds) whose Snakemake log must show no two consecutive timed jobs of the same variant while
another variant still had runs pending; summary.csv records the executed order (`run_order`).
"""

import re

import pandas as pd
import pytest

from fwbench.plan import timed_order, variant


def plan(variants: int, seeds: int) -> list[dict]:
    return [
        {"workload": f"w{v // 2}", "framework": ("torch", "tf")[v % 2], "mode": "eager", "seed": s}
        for v in range(variants)
        for s in range(seeds)
    ]


def assert_interleaved(order: list[tuple]) -> None:
    """No variant twice in a row while another variant still has runs left after that point."""
    for i in range(1, len(order)):
        if order[i] == order[i - 1]:
            assert set(order[i:]) == {order[i]}, f"{order[i]} twice in a row at {i} with others pending"


@pytest.mark.parametrize("variants,seeds", [(2, 3), (3, 5), (30, 5), (1, 4), (5, 1)])
def test_the_timed_order_is_every_run_once_interleaved_and_reproducible(variants, seeds):
    runs = plan(variants, seeds)
    order = timed_order(runs)
    assert sorted(tuple(r.values()) for r in order) == sorted(tuple(r.values()) for r in runs)
    assert_interleaved([variant(r) for r in order])
    assert order == timed_order(runs)  # seeded
    # round r holds the r-th seed of every variant
    assert [r["seed"] for r in order] == sorted(r["seed"] for r in runs)


def test_the_order_is_not_the_listing_order():
    runs = plan(6, 3)
    assert [variant(r) for r in timed_order(runs)][:6] != [variant(r) for r in runs[::3]]


def timed_jobs_from_log(text: str) -> list[tuple]:
    """(workload, framework, mode) of every train job, in the order Snakemake started them."""
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", text):
        if re.match(r"(?:local)?rule train:", block):
            found = re.search(r"wildcards: workload=(\w+), framework=(\w+), mode=(\w+), seed=(\d+)", block)
            jobs.append(found.groups()[:3])
    return jobs


@pytest.mark.e2e
def test_snakemake_runs_the_timed_jobs_interleaved_and_summary_records_the_order(tmp_path):
    from tests.pipeline import checkout_copy, snakemake

    copy = checkout_copy(tmp_path)
    run = snakemake(
        copy,
        "--config",
        "workloads=[mlp]",
        "modes={torch: [eager], tf: [eager]}",
        "seeds=[0, 1, 2]",
        "studies=[]",
        "--",
        "results/summary.csv",
    )
    assert run.returncode == 0, run.stderr[-5000:]
    (log,) = (copy / ".snakemake/log").glob("*.snakemake.log")
    started = timed_jobs_from_log(log.read_text())
    assert len(started) == 6
    assert_interleaved(started)
    summary = pd.read_csv(copy / "results/summary.csv").sort_values("run_order")
    assert list(zip(summary["workload"], summary["framework"], summary["mode"], strict=True)) == started
