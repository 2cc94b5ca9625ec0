"""The timed runs' order: interleaved by variant (fwbench.runs.plan.timed_order), and Snakemake keeps it.

Unit tests of the order itself, and one small pipeline run (one workload; two variants in each of
the speed study, the quality study and the inference sweep; two runs each) whose Snakemake log
must show no two consecutive timed jobs of the same variant while another variant still had runs
pending; summary.csv and quality.csv record the executed order (`run_order`).
"""

import re

import pandas as pd
import pytest

from fwbench.runs.plan import timed_order, variant


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


TIMED_RULES = ("train", "train_quality", "infer")  # the study of each timed rule's jobs


def timed_jobs_from_log(text: str) -> list[tuple]:
    """(rule, workload, framework, mode) of every timed job (both training studies and the
    inference sweeps), in the order Snakemake started them."""
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", text):
        rule = re.match(r"(?:local)?rule (\w+):", block)
        if rule and rule.group(1) in TIMED_RULES:
            found = re.search(r"wildcards: workload=(\w+), framework=(\w+), mode=(\w+)", block)
            jobs.append((rule.group(1), *found.groups()))
    return jobs


@pytest.mark.e2e
def test_snakemake_runs_the_timed_jobs_interleaved_and_summary_records_the_order(tmp_path):
    from tests.helpers.pipeline import checkout_copy, snakemake

    copy = checkout_copy(tmp_path)
    (copy / "order.yaml").write_text(
        "workloads: [mlp]\nscale: tiny\nmodes: {torch: [eager], tf: [eager], jax: []}\n"
        "inference_modes: {torch: [eager], tf: [eager], jax: []}\n"
        "quality_modes: {torch: [eager], tf: [graph], jax: []}\nseeds: [0, 1]\nstudies: [inference]\n"
        "inference: {runs: 2, max_batch_size: 8}\n"
    )
    run = snakemake(
        copy,
        "--configfile",
        "order.yaml",
        "--",
        "results/summary.csv",
        "results/quality.csv",
        "results/inference_sweep.csv",
    )
    assert run.returncode == 0, run.stderr[-5000:]
    (log,) = (copy / ".snakemake/log").glob("*.snakemake.log")
    started = timed_jobs_from_log(log.read_text())
    assert [rule for rule, *_ in started].count("infer") == 4 and len(started) == 12
    assert_interleaved(started)  # over every timed job of both studies and the inference sweeps
    summary = pd.read_csv(copy / "results/summary.csv").sort_values("run_order")
    speed_jobs = [job[1:] for job in started if job[0] == "train"]
    assert list(zip(summary["workload"], summary["framework"], summary["mode"], strict=True)) == speed_jobs
    quality = pd.read_csv(copy / "results/quality.csv")
    assert set(quality["run_order"]).isdisjoint(summary["run_order"])  # one order over both studies
