"""The speed study's rules (C1, C4, C5, C6, C12, C13; B1, B2 speed and memory) on made-up tables:
clear effects, ties, noise, missing data, several devices."""

import numpy as np
import pandas as pd
import pytest

from fwbench import ledger
from fwbench.ledger import Tables
from fwbench.studies.speed.claims import (
    BEYOND_SIDES,
    beyond_ratio,
    c1,
    c2,
    c4,
    c5,
    c6,
    c12,
    c13,
    speed_verdict,
)
from fwbench.studies.verdict import INCONCLUSIVE, NOT_TESTABLE, REFUTED, SUPPORTED
from tests.helpers import made_up
from tests.helpers.made_up import ALL_MODES, KERAS_RUNTIMES, THREE_WORKLOADS, quality_runs, verdict_of


def runs(*args, workloads=THREE_WORKLOADS, **kwargs):
    """made_up.runs on three workloads: a verdict across workloads needs MIN_UNITS of them."""
    return made_up.runs(*args, workloads=workloads, **kwargs)


def test_a_combined_speed_figure_names_a_workload_that_goes_the_other_way():
    rows = [
        {
            "workload": w,
            "framework": fw,
            "mode": m,
            "status": "ok",
            "device": "cpu: x",
            "step_time_ms_median": value,
        }
        for w, tf_times in (("a", [20.0, 20.5, 19.5]), ("b", [8.0, 8.1, 7.9]), ("c", [15.0, 15.2, 14.8]))
        for fw, m, values in (("torch", "eager", [10.0, 10.1, 9.9]), ("tf", "graph", tf_times))
        for value in values
    ]
    verdict = speed_verdict(pd.DataFrame(rows), ("tf", "graph"), ("torch", "eager"))
    assert verdict.interval[0] > 1 and "but the other way in cpu: x / b 0.80x" in verdict.effect
    assert "/ a " not in verdict.effect.split("but the other way")[1]
    assert [s["workload"] for s in verdict.strata] == ["a", "b", "c"]  # each stratum's own result


def per_workload_runs(tf_over_torch: dict, noise=0.01) -> pd.DataFrame:
    """Made-up CPU runs, 3 a side: per workload, TF graph's step time over PyTorch eager's."""
    rng = np.random.default_rng(2)
    return pd.DataFrame(
        [
            {
                "workload": w,
                "framework": fw,
                "mode": m,
                "status": "ok",
                "device": "cpu: x",
                "step_time_ms_median": base * np.exp(noise * rng.standard_normal()),
            }
            for w, ratio in tf_over_torch.items()
            for fw, m, base in (("torch", "eager", 10.0), ("tf", "graph", 10.0 * ratio))
            for _ in range(3)
        ]
    )


def test_heterogeneous_workloads_widen_the_combined_interval_and_a_mixed_result_is_inconclusive():
    """The referee's table: three workloads 2x one way, two 1.8x the other; fixed-effect pooling read
    'supported, 1.19x (1.17-1.22)'."""
    table = per_workload_runs({"a": 2.0, "b": 2.0, "c": 2.0, "d": 1 / 1.8, "e": 1 / 1.8})
    verdict = speed_verdict(table, ("tf", "graph"), ("torch", "eager"))
    assert verdict.verdict == INCONCLUSIVE and verdict.effect.startswith("mixed:"), verdict.effect
    low, high = verdict.interval[1:]
    assert low < 1 < high and "the workloads disagree beyond their noise" in verdict.effect


def test_workloads_that_agree_in_direction_but_not_in_size_decide_the_verdict():
    table = per_workload_runs({"a": 1.5, "b": 3.0, "c": 6.0})
    verdict = speed_verdict(table, ("tf", "graph"), ("torch", "eager"))
    assert verdict.verdict == SUPPORTED and "every workload on its own" in verdict.effect, verdict.effect


def test_a_workload_missing_in_one_framework_is_named_not_dropped_in_silence():
    table = per_workload_runs({"a": 2.0, "b": 2.0, "c": 2.0, "d": 2.0})
    table = table[~((table["workload"] == "d") & (table["framework"] == "tf"))]
    verdict = speed_verdict(table, ("tf", "graph"), ("torch", "eager"))
    assert verdict.verdict == SUPPORTED and verdict.missing == ["cpu: x / d"]
    fewer = table[~((table["workload"] == "c") & (table["framework"] == "tf"))]
    two_left = speed_verdict(fewer, ("tf", "graph"), ("torch", "eager"))  # below MIN_UNITS: said so
    assert two_left.verdict == INCONCLUSIVE and "fewer than the 3 a verdict needs" in two_left.effect
    assert two_left.missing == ["cpu: x / c", "cpu: x / d"]


def test_c2_can_reach_is_an_existence_claim_judged_per_workload():
    """One large workload at 97 % beside small ones at 40 %: the pooled mean read 'refuted'."""
    summary = runs(
        {("torch", "compile"): 5.0}, device_kind="cuda", device_name="NVIDIA H100", workloads=THREE_WORKLOADS
    )
    utilisation = {"mlp": 40.0, "cnn1d": 42.0, "gru": 97.0}
    summary["gpu_utilization_pct_mean"] = summary["workload"].map(utilisation) + summary["seed"] * 0.5
    verdict = verdict_of(c2, summary=summary)
    assert verdict.verdict == SUPPORTED and "gru 97.5 %" in verdict.effect, verdict.effect
    assert [s["workload"] for s in verdict.strata] == ["cnn1d", "gru", "mlp"]
    summary["gpu_utilization_pct_mean"] = 40.0 + summary["seed"]
    assert verdict_of(c2, summary=summary).verdict == REFUTED
    few = summary[~((summary["workload"] == "gru") & (summary["seed"] > 0))]
    assert any(m.startswith("gru: 1 PyTorch compile runs") for m in verdict_of(c2, summary=few).missing)


def test_a_side_without_positive_values_makes_the_comparison_inconclusive_not_a_crash():
    rows = [
        {
            "workload": "a",
            "framework": fw,
            "mode": m,
            "status": "ok",
            "device": "cpu: x",
            "step_time_ms_median": value,
        }
        for fw, m, values in (("torch", "eager", [10.0, 10.1, 9.9]), ("tf", "graph", [0.0, 0.0, 0.0]))
        for value in values
    ]
    verdict = speed_verdict(pd.DataFrame(rows), ("tf", "graph"), ("torch", "eager"))
    assert verdict.verdict == INCONCLUSIVE and verdict.interval is None and "cpu: x / a" in verdict.effect
    assert verdict.missing == ["cpu: x / a"]


def test_c1_is_not_testable_without_a_gpu_and_gives_the_cpu_figure_as_context():
    verdict = verdict_of(c1, summary=runs(ALL_MODES))
    assert verdict.verdict == NOT_TESTABLE and "no GPU" in verdict.effect and "CI" in verdict.effect


@pytest.mark.parametrize(("compile_ms", "expected"), [(5.0, SUPPORTED), (14.0, REFUTED), (7.0, INCONCLUSIVE)])
def test_c1_on_a_gpu(compile_ms, expected):
    summary = runs(
        {("torch", "compile"): compile_ms, ("tf", "xla"): 7.0},
        device_kind="cuda",
        device_name="NVIDIA H100",
        noise=0.05,
    )
    verdict = verdict_of(c1, summary=summary)
    assert verdict.verdict == expected, verdict.effect
    assert "95% CI" in verdict.effect and "over 3 workloads" in verdict.effect


def test_too_few_runs_are_inconclusive_with_the_reason():
    verdict = verdict_of(c4, summary=runs(ALL_MODES, seeds=2))
    assert verdict.verdict == INCONCLUSIVE and "fewer than 3" in verdict.effect


def test_failed_runs_do_not_count():
    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0})
    summary.loc[summary["framework"].eq("tf") & summary["seed"].eq(0), "status"] = "failed"
    assert verdict_of(c4, summary=summary).verdict == INCONCLUSIVE


def test_runs_of_a_workload_that_failed_parity_are_left_out():
    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0}, workloads=(*THREE_WORKLOADS, "resnet"))
    summary["parity_passed"] = summary["workload"].ne("cnn1d")
    verdict = verdict_of(c4, summary=summary)
    assert verdict.verdict == SUPPORTED and "over 3 workloads," in verdict.effect


def test_c4_memory_supported_and_refuted():
    assert verdict_of(c4, summary=runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0})).verdict == SUPPORTED
    assert verdict_of(c4, summary=runs(ALL_MODES, rss_mb={"torch": 800.0, "tf": 400.0})).verdict == REFUTED


def test_c4_judges_both_readings_and_a_heavier_import_decides_when_the_model_adds_the_same():
    heavier_import = runs(
        ALL_MODES, rss_mb={"torch": 100.0, "tf": 100.0}, import_mb={"torch": 300.0, "tf": 660.0}
    )
    verdict = verdict_of(c4, summary=heavier_import)
    assert verdict.verdict == SUPPORTED, verdict.effect
    assert "reading (1) inconclusive, reading (2) supported" in verdict.effect
    assert "importing the framework costs" in verdict.effect and "2.2" in verdict.effect
    assert {s["metric"] for s in verdict.strata} >= {"import footprint"}


def test_c4_readings_that_point_opposite_ways_are_inconclusive_never_a_side():
    """The referee's table: TF's model and training add 0.38x PyTorch's, its import costs 3.29x."""
    opposite = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 152.0}, import_mb={"torch": 300.0, "tf": 987.0})
    verdict = verdict_of(c4, summary=opposite)
    assert verdict.verdict == INCONCLUSIVE and "opposite ways" in verdict.effect, verdict.effect
    assert "(1)" in verdict.effect and "(2)" in verdict.effect


def test_c4_an_out_of_memory_run_is_an_outcome_not_a_missing_row():
    summary = runs(ALL_MODES, workloads=("mlp", "cnn1d", "gpt"))
    tf_gpt = summary["workload"].eq("gpt") & summary["framework"].eq("tf") & summary["mode"].eq("eager")
    summary.loc[tf_gpt, "status"] = "oom"
    summary.loc[tf_gpt, "host_rss_rise_mb"] = None
    verdict = verdict_of(c4, summary=summary)  # equal elsewhere: TF running out alone decides
    assert verdict.verdict == SUPPORTED, verdict.effect
    assert "gpt: only TensorFlow/Keras eager ran out of memory" in verdict.effect
    assert {
        "workload": "gpt",
        "metric": "out of memory",
        "comparison": "only TensorFlow/Keras eager",
    } in verdict.strata
    assert "gpt" not in " ".join(verdict.missing)  # an outcome, not a lost stratum
    torch_too = summary.copy()
    torch_mlp = (
        torch_too["workload"].eq("mlp") & torch_too["framework"].eq("torch") & torch_too["mode"].eq("eager")
    )
    torch_too.loc[torch_mlp, "status"] = "oom"
    mixed_oom = verdict_of(c4, summary=torch_too)  # each framework ran out alone somewhere
    assert mixed_oom.verdict == INCONCLUSIVE and "both ways" in mixed_oom.effect, mixed_oom.effect


def test_c5_is_an_equivalence_test_per_workload():
    equal = {("torch", "eager"): 10.0, ("tf", "graph"): 10.2}
    supported = verdict_of(c5, summary=runs(equal, noise=0.01, workloads=THREE_WORKLOADS))
    assert supported.verdict == SUPPORTED, supported.effect
    assert "3 equivalent" in supported.effect and "90% CI" in supported.effect
    gap = runs({("torch", "eager"): 10.0, ("tf", "graph"): 20.0}, workloads=THREE_WORKLOADS)
    assert verdict_of(c5, summary=gap).verdict == REFUTED
    noisy = verdict_of(c5, summary=runs(equal, noise=0.3, workloads=THREE_WORKLOADS))
    assert noisy.verdict == INCONCLUSIVE, noisy.effect
    two = verdict_of(c5, summary=runs(equal, noise=0.01, workloads=("mlp", "cnn1d")))  # < MIN_UNITS
    assert two.verdict == INCONCLUSIVE


def test_c5_prints_the_verdict_under_the_earlier_margin_beside_the_current_one():
    """17 % apart: equivalent within 25 %, clearly outside the first margin of 10 %."""
    apart = runs({("torch", "eager"): 10.0, ("tf", "graph"): 11.7}, noise=0.005, workloads=THREE_WORKLOADS)
    verdict = verdict_of(c5, summary=apart)
    assert verdict.verdict == SUPPORTED and "under the earlier margin 1.10x: refuted" in verdict.effect


def test_c5_opposite_effects_that_cancel_in_the_combined_figure_do_not_pass():
    """PyTorch 2x faster on one workload, TF 2x faster on another, equal on a third: the geometric
    mean is 1.00, but two workloads are clearly outside the margin."""
    frames = [
        runs({("torch", "eager"): t, ("tf", "graph"): k}, workloads=(w,), noise=0.01)
        for w, t, k in (("mlp", 5.0, 10.0), ("cnn1d", 10.0, 5.0), ("gru", 10.0, 10.0))
    ]
    verdict = verdict_of(c5, summary=pd.concat(frames, ignore_index=True))
    assert verdict.verdict == REFUTED, verdict.effect
    assert abs(verdict.interval[0] - 1) < 0.05 and "2 clearly outside" in verdict.effect


def test_c5_refuses_unequal_thread_counts():
    summary = pd.concat(
        [runs({("torch", "eager"): 10.0}, threads=1), runs({("tf", "graph"): 10.0}, threads=2)]
    )
    verdict = verdict_of(c5, summary=summary)
    assert verdict.verdict == INCONCLUSIVE and "thread" in verdict.effect


def test_c6_heavy_tuning_threshold_and_its_second_reading_against_pytorch_eager():
    heavy = verdict_of(c6, summary=runs(ALL_MODES))  # 40 / 7 ms; XLA 7 ms against PyTorch eager 10
    assert heavy.verdict == SUPPORTED and "also faster than PyTorch's eager mode" in heavy.effect
    only_catching_up = {("torch", "eager"): 10.0, ("tf", "eager"): 40.0, ("tf", "graph"): 12.0}
    slower = verdict_of(c6, summary=runs(only_catching_up))
    assert slower.verdict == SUPPORTED and "stay slower than PyTorch's eager mode" in slower.effect
    mild = {("tf", "eager"): 11.0, ("tf", "graph"): 10.0}
    assert verdict_of(c6, summary=runs(mild)).verdict == REFUTED


def test_c12_groups_gpus_by_vendor_and_never_refutes_on_overlap():
    cpu = runs({("torch", "eager"): 10.0, ("tf", "graph"): 10.0}, noise=0.02)

    def gpu(name, torch_ms, noise=0.02):
        return runs(
            {("torch", "eager"): torch_ms, ("tf", "graph"): 10.0},
            device_kind="cuda",
            device_name=name,
            noise=noise,
        )

    nvidia = gpu("NVIDIA H100", 5.0)
    one_vendor = verdict_of(c12, summary=pd.concat([cpu, nvidia], ignore_index=True))
    assert one_vendor.verdict == NOT_TESTABLE  # a CPU is not a vendor of this claim
    differs = verdict_of(c12, summary=pd.concat([cpu, nvidia, gpu("AMD Instinct MI300X", 10.0)]))
    assert differs.verdict == SUPPORTED and "NVIDIA" in differs.effect and "AMD" in differs.effect
    overlap = verdict_of(
        c12, summary=pd.concat([gpu("NVIDIA H100", 5.0, 0.3), gpu("AMD Instinct MI300X", 6.0, 0.3)])
    )
    assert overlap.verdict == INCONCLUSIVE and "overlap" in overlap.effect, overlap.effect


def test_c13_is_never_testable_here():
    verdict = verdict_of(c13, summary=runs(ALL_MODES))
    assert verdict.verdict == NOT_TESTABLE and "no distributed training code" in verdict.effect
    (rule,) = [claim.rule for _, claim in ledger.claims() if claim.id == "C13"]
    assert "on any hardware" in rule and "several GPUs" in rule  # never implies the code exists


def beyond(tables) -> pd.DataFrame:
    """The ledger's rows beyond the article, indexed by claim id."""
    return ledger.rows({"claims": ledger.judge(tables)}, "beyond").set_index("claim")


def test_beyond_the_article_reads_the_runtime_and_the_api_apart():
    summary = runs(KERAS_RUNTIMES, noise=0.02, rss_mb={"torch": 100.0, "tf": 150.0, "jax": 75.0})
    quality = quality_runs({"torch": 0.80, "tf": 0.80, "jax": 0.805})
    by_id = beyond(Tables(summary=summary, quality=quality))
    assert list(by_id.index) == ["B1-speed", "B1-fit", "B1-memory", "B2-speed", "B2-memory", "B2-accuracy"]
    # B1: the best compiled step of each runtime, TF XLA 7 / JAX jit 5; fit modes and TF eager not in it
    assert by_id.loc["B1-speed", "verdict"] == SUPPORTED
    assert by_id.loc["B1-speed", "ratio"] == pytest.approx(1.4, rel=0.05)
    assert "TensorFlow/Keras xla / JAX/Keras jit" in by_id.loc["B1-speed", "effect"]
    assert by_id.loc["B1-fit", "ratio"] == pytest.approx(2.0, rel=0.05)  # fit 12 / fit 6
    assert by_id.loc["B1-memory", "ratio"] == pytest.approx(150 / 75, rel=0.05)
    assert by_id.loc["B2-speed", "ratio"] == pytest.approx(8 / 5, rel=0.05)  # best PyTorch / best JAX
    assert by_id.loc["B2-memory", "verdict"] == SUPPORTED
    assert (
        by_id.loc["B2-accuracy", "verdict"] == SUPPORTED
        and by_id.loc["B2-accuracy", "effect"].count("equivalent") == 2  # each workload listed
    )
    assert by_id["rule"].str.len().gt(0).all()


def test_beyond_the_article_ties_opposite_workloads_accuracy_gaps_and_missing_jax():
    tie = {**KERAS_RUNTIMES, ("jax", "jit"): 7.0}
    assert beyond_ratio("B1-speed")(Tables(summary=runs(tie, noise=0.05))).verdict == INCONCLUSIVE
    fast_on_one = pd.concat(
        [
            runs(KERAS_RUNTIMES, workloads=("mlp",), noise=0.02),
            runs({**KERAS_RUNTIMES, ("jax", "jit"): 14.0}, workloads=("cnn1d",), noise=0.02),
        ]
    )
    opposite = beyond_ratio("B1-speed")(Tables(summary=fast_on_one))
    assert "the other way in" in opposite.effect  # a combined figure never hides a workload
    no_jax = runs({k: ms for k, ms in KERAS_RUNTIMES.items() if k[0] != "jax"})
    table = beyond(Tables(summary=no_jax, quality=quality_runs({"torch": 0.8})))
    assert table["verdict"].eq(INCONCLUSIVE).all() and not table["ratio"].notna().any()


def test_a_jax_port_that_fails_parity_leaves_the_article_claims_alone():
    summary = runs(KERAS_RUNTIMES)
    summary["parity_passed"] = np.where(summary["framework"].eq("jax"), False, True)
    summary.loc[summary["framework"].eq("torch"), "parity_passed"] = False  # a pair of it failed
    assert c6(Tables(summary=summary)).verdict == verdict_of(c6, summary=runs(KERAS_RUNTIMES)).verdict
    assert "fewer than" in beyond_ratio("B2-speed")(Tables(summary=summary)).effect  # another model
    record = {"claims": ledger.judge(Tables(summary=runs(KERAS_RUNTIMES)))}
    strata = ledger.strata(record)
    assert set(strata["comparison"]) == set(BEYOND_SIDES) and set(strata["workload"]) == set(THREE_WORKLOADS)


def test_a_compiled_mode_that_computes_something_else_is_not_timed_as_the_same_thing():
    """TF XLA differed from TF eager in the parity check: its runs leave every comparison, the pair's
    parity flag stays as it was, and a mode whose check could not run is neither passed nor failed."""
    from fwbench.runs.aggregate import add_parity

    parity = pd.DataFrame(
        [
            {
                "workload": w,
                "framework": "tf",
                "passed": True,
                "compiled_modes_differ": "tf xla",
                "compiled_modes_same": "torch compile; tf graph",
                "compiled_modes_unchecked": None,
            }
            for w in THREE_WORKLOADS
        ]
    )
    flagged = add_parity(runs(ALL_MODES), parity)
    by_mode = flagged.groupby(["framework", "mode"])["compiled_differs"].first()
    assert by_mode["tf", "xla"] is True and by_mode["tf", "graph"] is False and by_mode["tf", "eager"] is None
    assert flagged["parity_passed"].all()
    c1_context = verdict_of(
        c1, summary=flagged
    )  # C1 reads TF XLA: on this CPU its context says what is missing
    assert "fewer than 3 ok runs" in c1_context.effect or "no ok runs" in c1_context.effect, c1_context.effect
    assert verdict_of(c1, summary=runs(ALL_MODES)).effect != c1_context.effect
