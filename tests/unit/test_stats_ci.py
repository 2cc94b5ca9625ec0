"""Intervals of timing ratios (checked by simulation), the bootstrap, MLPerf-style time to accuracy
(fwbench.core.stats), and the report's speed tables."""

import numpy as np
import pandas as pd
import pytest

from fwbench.core.stats import bootstrap_ci, combined_ratio_interval, ratio_interval, time_to_accuracy_mlperf
from tests.helpers.fake_harness import FakeHarness


def test_ratio_of_clearly_different_groups_is_outside_noise():
    rng = np.random.default_rng(1)
    fast, slow = rng.normal(10, 0.1, 8), rng.normal(20, 0.1, 8)
    ci = ratio_interval(fast, slow)
    assert ci["ratio"] == pytest.approx(np.exp(np.log(fast).mean() - np.log(slow).mean()))
    assert ci["ci_low"] <= ci["ratio"] <= ci["ci_high"] < 1
    assert ci["inside_noise"] is False and ci["n_numerator"] == 8 and ci["level"] == 0.95


def test_ratio_of_overlapping_groups_is_inside_noise():
    rng = np.random.default_rng(2)
    ci = ratio_interval(rng.normal(10, 2, 5), rng.normal(10, 2, 5))
    assert ci["ci_low"] < 1 < ci["ci_high"] and ci["inside_noise"] is True


def test_single_runs_have_no_interval_and_empty_or_nan_groups_give_none():
    ci = ratio_interval([2.0], [4.0])
    assert ci["ratio"] == 0.5 and np.isnan(ci["ci_low"]) and ci["inside_noise"] is None
    assert ratio_interval([], [1.0]) is None
    assert ratio_interval([np.nan], [1.0]) is None


def test_the_combined_ratio_is_the_geometric_mean_of_the_strata_and_keeps_each_one():
    strata = [([20.0, 21, 19], [10.0, 10.5, 9.5]), ([30.0, 31, 29], [10.0, 11, 9])]
    combined = combined_ratio_interval(strata)
    per = [s["ratio"] for s in combined["per_stratum"]]
    assert combined["ratio"] == pytest.approx(np.sqrt(per[0] * per[1]))
    assert per[0] == pytest.approx(2, rel=0.01) and per[1] == pytest.approx(3, rel=0.02)
    assert combined["n_strata"] == 2 and combined["n_min"] == 3
    # 2x and 3x disagree far beyond their noise: the average over such workloads is uncertain (one
    # degree of freedom), though each workload on its own is clearly above 1
    assert combined["heterogeneous"] and combined["ci_low"] < 1 < combined["ci_high"]
    assert all(s["ci_low"] > 1 for s in combined["per_stratum"])


def test_strata_that_agree_within_their_noise_keep_the_noise_interval():
    strata = [([20.0, 21, 19], [10.0, 10.5, 9.5]), ([20.5, 21.5, 19.5], [10.0, 11, 9])]
    combined = combined_ratio_interval(strata)
    assert not combined["heterogeneous"] and combined["ci_low"] > 1.8


# --- simulation: the real verdict code under no difference and under a known 10 % one ------------

TRIALS = 1000  # a false-positive rate of 5 % is then 50 +- 7 calls, 10 % would be 100 +- 9


def simulated_summary(
    rng, *, runs: int, workloads: int, true_ratio: float, sigma: float, drift: float = 0.0
) -> pd.DataFrame:
    """Per-run median step times of TF graph and PyTorch eager: log-normal run-to-run noise (a
    workload-specific spread), TF graph `true_ratio` times slower in every workload; `drift`: the
    machine's speed wandering between hours, a random walk over the interleaved rounds that both
    sides' runs of one round share."""
    rows = []
    for w in range(workloads):
        base, spread = 1 + w, sigma * (1 + 0.5 * w % 3)
        machine = np.exp(np.cumsum(rng.normal(0, drift, runs))) if drift else np.ones(runs)
        for framework, mode, factor in (("torch", "eager", 1.0), ("tf", "graph", true_ratio)):
            for value in base * factor * machine * np.exp(rng.normal(0, spread, runs)):
                rows.append(
                    {
                        "workload": f"w{w}",
                        "framework": framework,
                        "mode": mode,
                        "status": "ok",
                        "step_time_ms_median": value,
                        "device": "cpu: simulated",
                    }
                )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "runs,workloads,sigma,drift",
    [(5, 1, 0.05, 0), (5, 6, 0.05, 0), (3, 1, 0.05, 0), (5, 1, 0.15, 0.1), (5, 6, 0.15, 0.1)],
)
def test_the_speed_verdict_calls_no_difference_at_most_5_percent_and_covers_a_true_one(
    runs, workloads, sigma, drift
):
    """Processes per variant as in the default run (5) and the fewest that count (3); one
    workload, and the geometric mean over six with different spreads; at a quiet machine's noise
    (sigma 0.05) and at the reference machine's (0.15 between runs, with drift between rounds)."""
    from fwbench.studies.speed.claims import speed_verdict
    from fwbench.studies.verdict import INCONCLUSIVE

    rng = np.random.default_rng(20261201)
    false_positives = covered = 0
    for _ in range(TRIALS):
        null = simulated_summary(
            rng, runs=runs, workloads=workloads, true_ratio=1.0, sigma=sigma, drift=drift
        )
        verdict = speed_verdict(null, ("tf", "graph"), ("torch", "eager"))
        low, high = verdict.interval[1:]
        # a call: a decided verdict, or (below MIN_UNITS workloads, where the verdict stays
        # inconclusive by rule) an interval that excludes 1
        false_positives += verdict.verdict != INCONCLUSIVE or not low <= 1 <= high
        shifted = simulated_summary(
            rng, runs=runs, workloads=workloads, true_ratio=1.10, sigma=sigma, drift=drift
        )
        _, low, high = speed_verdict(shifted, ("tf", "graph"), ("torch", "eager")).interval
        covered += low <= 1.10 <= high
    assert false_positives / TRIALS <= 0.065, f"false-positive rate {false_positives / TRIALS:.3f}"
    assert covered / TRIALS >= 0.93, f"coverage {covered / TRIALS:.3f}"


def best_of_summary(rng, true_ms: dict) -> pd.DataFrame:
    """Five runs of each (framework, mode) of one workload, log-normal noise (sigma 0.05) around
    its true median step time."""
    return pd.DataFrame(
        [
            {"workload": "w", "framework": framework, "mode": mode, "status": "ok",
             "step_time_ms_median": value, "device": "cpu: simulated"}
            for (framework, mode), ms in true_ms.items()
            for value in ms * np.exp(rng.normal(0, 0.05, 5))
        ]
    )  # fmt: skip


ONE_OF_THREE = (("eager",), ("eager", "graph", "xla"))
TWO_OF_FOUR = (("eager", "compile"), ("eager", "graph", "xla", "fit"))


@pytest.mark.parametrize("torch_modes,tf_modes", [ONE_OF_THREE, TWO_OF_FOUR])
def test_the_best_of_several_modes_calls_no_difference_at_most_5_percent_and_covers_the_winner(
    torch_modes, tf_modes
):
    """The claims choose each side's best mode on the same runs the interval comes from (1 of 3
    for C6-like comparisons, 2 of 4 for C5's). Under no difference between any modes the real
    speed verdict calls one at most 5 % of the time; with modes that truly differ (the winner not
    always the truly fastest), the interval covers the winning pair's true ratio at least 93 % of
    the time."""
    from fwbench.studies.speed.claims import speed_verdict
    from fwbench.studies.verdict import INCONCLUSIVE, compare

    rng = np.random.default_rng(20261202)
    sides = ("torch", torch_modes), ("tf", tf_modes)
    null = {("torch", m): 1.0 for m in torch_modes} | {("tf", m): 1.0 for m in tf_modes}
    spread = {("torch", m): 1.0 + 0.04 * i for i, m in enumerate(torch_modes)}
    spread |= {("tf", m): 1.1 + 0.04 * i for i, m in enumerate(tf_modes)}
    false_positives = covered = 0
    for _ in range(TRIALS):
        verdict = speed_verdict(best_of_summary(rng, null), *sides).verdict
        false_positives += verdict != INCONCLUSIVE
        result, _ = compare(best_of_summary(rng, spread), *sides, "step_time_ms_median")
        won = result["strata"][0]
        true_ratio = spread[("torch", won["numerator_mode"])] / spread[("tf", won["denominator_mode"])]
        covered += result["ci_low"] <= true_ratio <= result["ci_high"]
    print(f"best of {len(torch_modes)} / {len(tf_modes)} modes: false positives "
          f"{false_positives / TRIALS:.3f}, coverage {covered / TRIALS:.3f}")  # fmt: skip
    assert false_positives / TRIALS <= 0.05, f"false-positive rate {false_positives / TRIALS:.3f}"
    assert covered / TRIALS >= 0.93, f"coverage {covered / TRIALS:.3f}"


def test_c5_calls_workloads_at_the_margin_equivalent_at_most_5_percent_of_the_time():
    """The real C5 rule (TOST per workload, 5 runs a side, 3 workloads) on simulated step times:
    every workload exactly at the 1.25x margin is called equivalent in at most 5 % of trials, and
    also refuted (some workload "clearly outside") in at most 5 % of them: a union over workloads,
    each tested at 1/k of the error; frameworks that are truly equal are found equivalent in most
    trials at this noise."""
    from fwbench.ledger import Tables
    from fwbench.studies.speed.claims import EQUIVALENCE_RATIO, c5
    from fwbench.studies.verdict import REFUTED, SUPPORTED

    rng = np.random.default_rng(20261201)
    at_margin = refuted_at_margin = equal = 0
    for _ in range(TRIALS):
        for true_ratio in (EQUIVALENCE_RATIO, 1.0):
            summary = simulated_summary(rng, runs=5, workloads=3, true_ratio=true_ratio, sigma=0.05)
            verdict = c5(Tables(summary=summary.assign(device_kind="cpu"))).verdict
            at_margin += verdict == SUPPORTED and true_ratio != 1.0
            refuted_at_margin += verdict == REFUTED and true_ratio != 1.0
            equal += verdict == SUPPORTED and true_ratio == 1.0
    print(
        f"C5 at the margin: equivalent {at_margin / TRIALS:.3f}, refuted {refuted_at_margin / TRIALS:.3f}; "
        f"truly equal: equivalent {equal / TRIALS:.3f}"
    )
    assert at_margin / TRIALS <= 0.05, f"false equivalence rate {at_margin / TRIALS:.3f}"
    assert refuted_at_margin / TRIALS <= 0.05, f"false refutation rate {refuted_at_margin / TRIALS:.3f}"
    assert equal / TRIALS >= 0.8, f"power {equal / TRIALS:.3f}"


def test_time_to_accuracy_drops_best_and_worst_from_five_runs():
    result = time_to_accuracy_mlperf([10.0, 1.0, 3.0, 4.0, 5.0])
    assert result == {
        "time_to_accuracy_s": 4.0,
        "valid": True,
        "n_used": 3,
        "n_not_reached": 0,
        "dropped_best_and_worst": True,
    }


def test_time_to_accuracy_follows_mlperf_on_runs_that_miss_the_target():
    one_miss = time_to_accuracy_mlperf([10.0, 1.0, None, 4.0, 5.0])  # the miss is the slowest, dropped
    assert one_miss["valid"] and one_miss["time_to_accuracy_s"] == pytest.approx(19 / 3)
    assert one_miss["n_used"] == 3 and one_miss["n_not_reached"] == 1
    two_misses = time_to_accuracy_mlperf([10.0, 1.0, None, 4.0, float("nan")])
    assert two_misses["valid"] is False and two_misses["time_to_accuracy_s"] is None
    few = time_to_accuracy_mlperf([2.0, 4.0, 3.0])  # fewer than 5: nothing dropped
    assert few["time_to_accuracy_s"] == 3.0 and few["n_used"] == 3 and few["dropped_best_and_worst"] is False
    assert time_to_accuracy_mlperf([2.0, None, 4.0])["valid"] is False  # a miss that cannot be dropped
    assert time_to_accuracy_mlperf([None, None])["time_to_accuracy_s"] is None


def test_report_ratio_table_pairs_every_mode_and_flags_noise():
    import pandas as pd

    from fwbench.studies.speed.tables import step_time_ratios

    rows = [
        ("torch", "eager", [10.0, 10.5, 9.8]),
        ("torch", "compile", [5.0, 5.2, 4.9]),
        ("tf", "graph", [10.1, 9.7, 10.4]),
    ]
    summary = pd.DataFrame(
        [
            {"workload": "mlp", "framework": fw, "mode": mode, "status": "ok", "step_time_ms_median": v}
            for fw, mode, values in rows
            for v in values
        ]
    )
    table = step_time_ratios(summary).set_index("ratio")
    assert set(table.index) == {
        "PyTorch eager / TF graph",
        "PyTorch compile / TF graph",
        "PyTorch compile / eager",
    }
    assert table.loc["PyTorch compile / TF graph", "inside_noise"] == False  # noqa: E712 (numpy bool)
    assert table.loc["PyTorch eager / TF graph", "inside_noise"] == True  # noqa: E712
    assert table.loc["PyTorch compile / eager", "n"] == "3 / 3"


def test_report_ratio_table_never_pools_two_devices():
    """The same variants on two machines: one ratio per device, as the ledger compares them."""
    import pandas as pd

    from fwbench.studies.speed.tables import step_time_ratios

    summary = pd.DataFrame(
        [
            {
                "workload": "mlp",
                "framework": fw,
                "mode": "eager",
                "status": "ok",
                "device": device,
                "step_time_ms_median": ms * (1 + 0.01 * seed),
            }
            for device, torch_ms in (("cpu: A", 5.0), ("NVIDIA H100", 1.0))
            for fw, ms in (("torch", torch_ms), ("tf", 10.0))
            for seed in range(3)
        ]
    )
    table = step_time_ratios(summary)
    ratios = table.set_index("device")["value"]
    assert len(table) == 2 and ratios["cpu: A"] == pytest.approx(0.5, rel=0.02)
    assert ratios["NVIDIA H100"] == pytest.approx(0.1, rel=0.02)


def test_flops_join_gives_null_mfu_on_cpu_and_a_value_on_a_known_gpu(tmp_path):
    import pandas as pd

    from fwbench.core.results import write_result
    from fwbench.runs.aggregate import add_flops

    flops_file = tmp_path / "mlp.json"
    write_result(
        flops_file,
        {
            "schema_version": 1,
            "workload": "mlp",
            "scale": "tiny",
            "batch_size": 100,
            "input_shape": [40],
            "counter": "test",
            "status": "ok",
            "error": None,
            "flops_per_step": 66_900_000_000,
            "forward_flops_per_step": 1,
        },
        kind="flops",
    )
    summary = pd.DataFrame(
        {
            "workload": ["mlp", "mlp", "mlp"],
            "batch_size": [100, 50, 50],
            "step_time_ms_median": [1000.0, 1000.0, 1000.0],
            "device_name": ["cpu", "NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3"],
            "precision": ["fp32", "fp32", "bf16"],
        }
    )
    joined = add_flops(summary, [flops_file])
    assert joined["model_flops_per_step"].tolist() == [66.9e9, 33.45e9, 33.45e9]
    assert pd.isna(joined["mfu"].iloc[0])  # empty in the CSV, never 0
    assert joined["mfu"].iloc[1] == pytest.approx(33.45e9 / 1e12 / 66.9)
    assert joined["mfu"].iloc[2] == pytest.approx(33.45e9 / 1e12 / 989.4)  # the bf16 peak for bf16


def test_compile_cost_is_each_runs_own_excess_over_its_steady_state_never_negative():
    from fwbench.studies.speed.tables import compile_time_table

    summary = pd.DataFrame(
        {
            "workload": ["mlp"] * 6,
            "framework": ["torch"] * 3 + ["tf"] * 3,
            "mode": ["compile"] * 3 + ["graph"] * 3,
            "status": ["ok"] * 6,
            # Keras eager's slow warm-up can no longer make a graph mode's compile look negative:
            # every run's cost is its own warm-up above its own steady median
            "one_time_cost_s": [4.0, 4.2, 3.8, 0.30, 0.25, 0.35],
            "first_step_time_ms": [4000.0, 4100.0, 3900.0, 300.0, 260.0, 340.0],
            "compile_graphs": [2, 2, 2, 1, 1, 1],
            "compile_graph_breaks": [4, 4, 4, 0, 0, 0],
        }
    )
    table = compile_time_table(summary).set_index("mode")
    assert table.loc["compile", "one_time_cost_s"] == pytest.approx(4.0)
    assert 0 <= table.loc["graph", "ci_low"] < 0.30 < table.loc["graph", "ci_high"]
    assert (table[["one_time_cost_s", "ci_low", "ci_high"]] >= 0).all().all()
    assert table.loc["compile", "graph_breaks"] == 4 and table.loc["graph", "graphs"] == 1


def test_the_training_loop_measures_the_one_time_cost_from_the_run_itself():
    from fwbench.runs.training import train

    class Slow(FakeHarness):  # a harness whose first two steps are slow (a compile), the rest 1 ms
        calls = 0

        def make_train_step(self, model, optimizer, mode):
            import time

            def step(x, y):
                Slow.calls += 1
                time.sleep(0.2 if Slow.calls <= 2 else 0.001)
                return 1.0

            return step

        compile_info = staticmethod(lambda: {"graphs": 1, "graph_breaks": 0, "break_reasons": []})

    data = {"x_train": np.zeros((40, 2), np.float32), "y_train": np.zeros(40, np.int64)}
    data.update(x_test=data["x_train"][:4], y_test=data["y_train"][:4])
    size = {"total_steps": 12, "batch_size": 4, "eval_every": 12, "warmup_steps": 3, "max_timed_steps": 9}
    size["target_accuracy"] = 0.5
    for study in ("speed", "quality"):
        Slow.calls = 0
        outcome = train(Slow(), None, data, size=size, optimizer={}, mode="x", seed=0, study=study)
        metrics = outcome["metrics"]
        assert metrics["one_time_cost_s"] == pytest.approx(0.4, abs=0.05)  # two slow steps, less the median
        assert metrics["compile"]["graphs"] == 1
        assert metrics["step_time_ms"]["n"] == 9
        assert metrics["steady_state"]["first_half_median_ms"] > 0
    assert outcome["curve"] and metrics["test_accuracy"] is not None  # quality evaluates


def test_the_shared_loop_builds_batches_before_timing_them_within_a_memory_cap(monkeypatch):
    from fwbench.runs import training

    events = []

    class Recording:  # records when batches are built, the device synchronised and steps run
        @staticmethod
        def to_tensors(x, y):
            events.append(("build", int(x[0, 0])))
            return x, y

        @staticmethod
        def synchronize():
            events.append(("wait", None))

    def step(x, y):
        events.append(("step", int(x[0, 0])))
        return float("nan") if x[0, 0] == 7 else 1.0

    x_train = np.arange(10, dtype=np.float32).repeat(256 * 1024).reshape(10, -1)  # 1 MiB a sample
    y_train = np.zeros(10, np.int64)
    monkeypatch.setattr(training, "PREBUILT_BATCHES_CAP_MB", 3.5)  # three one-sample batches a chunk
    run = training.shared_steps_runner(Recording(), step, x_train, y_train)
    steps = run([np.array([i]) for i in range(10)])
    kinds = "".join(kind[0] for kind, _ in events)
    # each chunk built on the device, and the copies waited for, before any of its steps is timed
    assert kinds == "bbbwsssbbbwsssbbbwss"
    assert [value for kind, value in events if kind == "step"] == list(range(8))  # in order
    assert len(steps) == 8 and not np.isfinite(steps[-1][1])  # stops after the non-finite loss


def test_the_speed_study_times_fixed_work_and_evaluates_nothing():
    import gc

    from fwbench.runs.training import train

    seen = {"evaluations": 0, "gc_enabled": []}

    class Counting(FakeHarness):
        def make_train_step(self, model, optimizer, mode):
            def step(x, y):
                seen["gc_enabled"].append(gc.isenabled())
                return 1.0

            return step

        @staticmethod
        def predict(model, x):
            seen["evaluations"] += 1
            return np.zeros((len(x), 2), np.float32)

    data = {"x_train": np.zeros((40, 2), np.float32), "y_train": np.zeros(40, np.int64)}
    data.update(x_test=data["x_train"][:4], y_test=data["y_train"][:4])
    size = {"total_steps": 5, "batch_size": 4, "eval_every": 2, "warmup_steps": 2, "max_timed_steps": 30}
    size["target_accuracy"] = 0.5
    outcome = train(Counting(), None, data, size=size, optimizer={}, mode="x", seed=0, study="speed")
    assert outcome["curve"] == [] and seen["evaluations"] == 0
    assert len(seen["gc_enabled"]) == 32 and not any(seen["gc_enabled"])  # the collector is paused
    assert gc.isenabled()
    metrics = outcome["metrics"]
    assert metrics["step_time_ms"]["n"] == 30 and metrics["test_accuracy"] is None
    assert metrics["target_accuracy"] is None and metrics["time_to_accuracy_s"] is None


def test_the_time_to_accuracy_table_counts_a_diverged_run_as_one_that_missed_the_target():
    from fwbench.studies.quality.tables import time_to_accuracy_table

    def run(status, time_s):
        return {"workload": "mlp", "variant": "PyTorch eager", "status": status,
                "time_to_accuracy_s": time_s, "eval_every": 100}  # fmt: skip

    times = [1.0, 2.0, 3.0, 4.0]
    one_diverged = pd.DataFrame([run("ok", t) for t in times] + [run("diverged", None)])
    row = time_to_accuracy_table(one_diverged).iloc[0]
    assert row["valid"] and row["n_not_reached"] == 1 and row["time_to_accuracy_s"] == pytest.approx(3.0)
    assert row["runs"] == 5 and row["eval_every"] == 100
    two = pd.concat([one_diverged, pd.DataFrame([run("ok", None), run("failed", None)])])
    row = time_to_accuracy_table(two).iloc[0]
    assert not row["valid"] and row["runs"] == 6  # the failed run is a failure, not a miss


def test_a_result_set_without_speed_runs_still_has_the_variant_column(tmp_path):
    """A config without speed-study modes runs the quality study only: summary.csv is a header."""
    from fwbench.runs.tables import load

    columns = "run_id,study,workload,framework,mode,seed,status,step_time_ms_median,data_sha256\n"
    (tmp_path / "summary.csv").write_text(columns)
    (tmp_path / "quality.csv").write_text(columns + "r0,quality,mlp,torch,eager,0,ok,1.0,abc\n")
    (tmp_path / "curves.csv").write_text("run_id,workload,framework,mode,step,test_accuracy\n")
    summary, quality, _ = load(tmp_path)
    assert "variant" in summary and quality["variant"].tolist() == ["PyTorch eager"]


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    first, second = bootstrap_ci([values], np.mean, seed=3), bootstrap_ci([values], np.mean, seed=3)
    assert first == second
    estimate, low, high = first
    assert low <= estimate <= high and estimate == pytest.approx(4.0)


def test_ratio_ci_of_a_tie_contains_one_and_a_clear_gap_does_not():
    tie = combined_ratio_interval([([10.0, 10.5, 9.5], [10.2, 9.8, 10.1])])
    assert tie["inside_noise"] and tie["n_min"] == 3
    gap = combined_ratio_interval([([20.0, 21, 19], [10.0, 10.5, 9.5]), ([30.0, 31, 29], [15.0, 16, 14])])
    assert not gap["inside_noise"] and gap["ratio"] == pytest.approx(2, rel=0.01)
