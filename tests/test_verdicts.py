"""Verdict rules on made-up result tables: clear effects, ties, noise, missing data, several devices."""

import numpy as np
import pandas as pd
import pytest

from fwbench import verdicts as v
from fwbench.stats import bootstrap_ci, combined_ratio_interval
from tests.conftest import REPO


def runs(
    step_ms: dict,
    *,
    device_kind="cpu",
    device_name="cpu",
    cpu_model="AMD EPYC",
    workloads=("mlp", "cnn1d"),
    seeds=3,
    noise=0.0,
    rss_mb=None,
    import_mb=None,
    threads=2,
) -> pd.DataFrame:
    """A summary table: step_ms maps (framework, mode) -> median step time; seeds runs each;
    rss_mb: framework -> the RSS a run adds over its import footprint (import_mb)."""
    rng = np.random.default_rng(1)
    rows = []
    for workload in workloads:
        for (framework, mode), ms in step_ms.items():
            for seed in range(seeds):
                rows.append(
                    {
                        "run_id": f"{workload}/{framework}-{mode}-seed{seed}",
                        "workload": workload,
                        "framework": framework,
                        "mode": mode,
                        "seed": seed,
                        "status": "ok",
                        "step_time_ms_median": ms * (1 + noise * rng.standard_normal()),
                        "host_rss_rise_mb": (rss_mb or {}).get(framework, 100.0) + seed,
                        "host_rss_baseline_mb": (import_mb or {}).get(framework, 300.0) + seed,
                        "device_kind": device_kind,
                        "device_name": device_name,
                        "cpu_model": cpu_model,
                        "threads_intra_op": threads,
                    }
                )
    return pd.DataFrame(rows)


def verdict_of(claim, **tables) -> v.Verdict:
    summary = tables.pop(
        "summary", pd.DataFrame(columns=["run_id", "workload", "framework", "mode", "status"])
    )
    return claim(v.Tables(summary=summary, **tables))


ALL_MODES = {
    ("torch", "eager"): 10.0,
    ("torch", "compile"): 8.0,
    ("tf", "eager"): 40.0,
    ("tf", "graph"): 9.0,
    ("tf", "xla"): 7.0,
}


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    first, second = bootstrap_ci([values], np.mean, seed=3), bootstrap_ci([values], np.mean, seed=3)
    assert first == second
    estimate, low, high = first
    assert low <= estimate <= high and estimate == pytest.approx(4.0)


def test_ratio_ci_of_a_tie_contains_one_and_a_clear_gap_does_not():
    tie = combined_ratio_interval([([10.0, 10.5, 9.5], [10.2, 9.8, 10.1])])
    assert tie["inside_noise"] and tie["n_min"] == 3
    gap = combined_ratio_interval([([20.0, 21, 19], [10.0, 10.5, 9.5]), ([30.0, 31, 29], [10.0, 11, 9])])
    assert not gap["inside_noise"] and gap["ratio"] == pytest.approx(np.sqrt(2 * 3), rel=0.01)


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
    _, text, (ratio, _, _) = v.speed_verdict(pd.DataFrame(rows), ("tf", "graph"), ("torch", "eager"))
    assert ratio > 1 and "but the other way in cpu: x / b 0.80x" in text
    assert "/ a " not in text.split("but the other way")[1]


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
    verdict, text, interval = v.speed_verdict(pd.DataFrame(rows), ("tf", "graph"), ("torch", "eager"))
    assert verdict == v.INCONCLUSIVE and interval is None and "cpu: x / a" in text


def test_the_ledger_has_thirteen_rows_even_with_no_results_at_all():
    table = v.ledger(
        v.Tables(summary=pd.DataFrame(columns=["run_id", "workload", "framework", "mode", "status"]))
    )
    assert list(table["claim"]) == [f"C{i}" for i in range(1, 14)]
    assert set(table["verdict"]) <= {v.INCONCLUSIVE, v.NOT_TESTABLE}
    assert table["effect"].str.len().gt(0).all() and table["rule"].str.len().gt(0).all()
    assert not table["effect"].str.contains(r"\d\.\d\dx").any()  # no number without evidence


def test_c1_is_not_testable_without_a_gpu_and_gives_the_cpu_figure_as_context():
    verdict = verdict_of(v.c1, summary=runs(ALL_MODES))
    assert verdict.verdict == v.NOT_TESTABLE and "no GPU" in verdict.effect and "CI" in verdict.effect


@pytest.mark.parametrize(
    ("compile_ms", "expected"), [(5.0, v.SUPPORTED), (14.0, v.REFUTED), (7.0, v.INCONCLUSIVE)]
)
def test_c1_on_a_gpu(compile_ms, expected):
    summary = runs(
        {("torch", "compile"): compile_ms, ("tf", "xla"): 7.0},
        device_kind="cuda",
        device_name="NVIDIA H100",
        noise=0.05,
    )
    verdict = verdict_of(v.c1, summary=summary)
    assert verdict.verdict == expected, verdict.effect
    assert "95% CI" in verdict.effect and "over 2 workloads" in verdict.effect


def test_too_few_runs_are_inconclusive_with_the_reason():
    verdict = verdict_of(v.c4, summary=runs(ALL_MODES, seeds=2))
    assert verdict.verdict == v.INCONCLUSIVE and "fewer than 3" in verdict.effect


def test_failed_runs_do_not_count():
    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0})
    summary.loc[summary["framework"].eq("tf") & summary["seed"].eq(0), "status"] = "failed"
    assert verdict_of(v.c4, summary=summary).verdict == v.INCONCLUSIVE


def test_runs_of_a_workload_that_failed_parity_are_left_out():
    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0})
    summary["parity_passed"] = summary["workload"].ne("cnn1d")
    verdict = verdict_of(v.c4, summary=summary)
    assert verdict.verdict == v.SUPPORTED and "over 1 workload," in verdict.effect


def test_c4_memory_supported_and_refuted():
    assert (
        verdict_of(v.c4, summary=runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0})).verdict == v.SUPPORTED
    )
    assert (
        verdict_of(v.c4, summary=runs(ALL_MODES, rss_mb={"torch": 800.0, "tf": 400.0})).verdict == v.REFUTED
    )


def test_c4_reads_the_memory_a_run_adds_and_gives_the_import_footprint_beside_it():
    heavier_import = runs(
        ALL_MODES, rss_mb={"torch": 100.0, "tf": 100.0}, import_mb={"torch": 300.0, "tf": 660.0}
    )
    verdict = verdict_of(v.c4, summary=heavier_import)
    assert verdict.verdict == v.INCONCLUSIVE, verdict.effect  # the same rise: a tie
    assert "import footprint (RSS after import) TF / PyTorch 2.2" in verdict.effect


THREE_WORKLOADS = ("mlp", "cnn1d", "gru")


def test_c5_is_an_equivalence_test_per_workload():
    equal = {("torch", "eager"): 10.0, ("tf", "graph"): 10.2}
    supported = verdict_of(v.c5, summary=runs(equal, noise=0.01, workloads=THREE_WORKLOADS))
    assert supported.verdict == v.SUPPORTED, supported.effect
    assert "3 equivalent" in supported.effect and "90% CI" in supported.effect
    gap = runs({("torch", "eager"): 10.0, ("tf", "graph"): 20.0}, workloads=THREE_WORKLOADS)
    assert verdict_of(v.c5, summary=gap).verdict == v.REFUTED
    noisy = verdict_of(v.c5, summary=runs(equal, noise=0.3, workloads=THREE_WORKLOADS))
    assert noisy.verdict == v.INCONCLUSIVE, noisy.effect
    two = verdict_of(v.c5, summary=runs(equal, noise=0.01))  # fewer than MIN_UNITS workloads
    assert two.verdict == v.INCONCLUSIVE


def test_c5_opposite_effects_that_cancel_in_the_combined_figure_do_not_pass():
    """PyTorch 2x faster on one workload, TF 2x faster on another, equal on a third: the geometric
    mean is 1.00, but two workloads are clearly outside the margin."""
    frames = [
        runs({("torch", "eager"): t, ("tf", "graph"): k}, workloads=(w,), noise=0.01)
        for w, t, k in (("mlp", 5.0, 10.0), ("cnn1d", 10.0, 5.0), ("gru", 10.0, 10.0))
    ]
    verdict = verdict_of(v.c5, summary=pd.concat(frames, ignore_index=True))
    assert verdict.verdict == v.REFUTED, verdict.effect
    assert abs(verdict.interval[0] - 1) < 0.05 and "2 clearly outside" in verdict.effect


def test_c5_refuses_unequal_thread_counts():
    summary = pd.concat(
        [runs({("torch", "eager"): 10.0}, threads=1), runs({("tf", "graph"): 10.0}, threads=2)]
    )
    verdict = verdict_of(v.c5, summary=summary)
    assert verdict.verdict == v.INCONCLUSIVE and "thread" in verdict.effect


def test_c6_heavy_tuning_threshold_and_its_second_reading_against_pytorch_eager():
    heavy = verdict_of(v.c6, summary=runs(ALL_MODES))  # 40 / 7 ms; XLA 7 ms against PyTorch eager 10
    assert heavy.verdict == v.SUPPORTED and "also faster than PyTorch's eager mode" in heavy.effect
    only_catching_up = {("torch", "eager"): 10.0, ("tf", "eager"): 40.0, ("tf", "graph"): 12.0}
    slower = verdict_of(v.c6, summary=runs(only_catching_up))
    assert slower.verdict == v.SUPPORTED and "stay slower than PyTorch's eager mode" in slower.effect
    mild = {("tf", "eager"): 11.0, ("tf", "graph"): 10.0}
    assert verdict_of(v.c6, summary=runs(mild)).verdict == v.REFUTED


def test_c3_reads_the_scaling_figure_per_run_with_batch1_latency_beside_it():
    """PyTorch: 100 samples/s at batch 1, 1000 at 256 (scaling 10); TF: 100 and 3000 (scaling 30)."""
    rows = [
        {
            "workload": w,
            "framework": fw,
            "target": m,
            "run": run,
            "batch_size": b,
            "throughput_samples_per_s": tp[b] * (1 + 0.01 * run),
            "latency_ms_p50": 1000 * b / tp[b],
            "latency_ms_p95": 1100 * b / tp[b],
            "device_kind": "cpu",
            "device_name": "cpu",
            "status": "ok",
        }
        for w in ("mlp", "cnn1d")
        for fw, m, tp in (
            ("torch", "eager", {1: 100.0, 256: 1000.0}),
            ("tf", "graph", {1: 100.0, 256: 3000.0}),
            ("torch", "export:onnx", {1: 900.0, 256: 90000.0}),  # exports are not modes: left out
        )
        for b in (1, 256)
        for run in range(3)
    ]
    verdict = verdict_of(v.c3, inference=pd.DataFrame(rows))
    assert verdict.verdict == v.SUPPORTED and abs(verdict.interval[0] - 3) < 0.1, verdict.effect
    assert "batch-1 latency (p50) PyTorch / TF 1.0" in verdict.effect
    single = verdict_of(v.c3, inference=pd.DataFrame([r for r in rows if r["run"] == 0]))
    assert single.verdict == v.INCONCLUSIVE and "fewer than 3" in single.effect


def debug_table(tf_outcome: str, workloads=("mlp", "cnn1d"), tf_modes=("eager",)) -> pd.DataFrame:
    """Rows shaped like fwbench.debug_scoring's debug.csv: PyTorch loud and located, TF as given
    (an outcome, or a dict mode -> outcome); controls with eager-style inspectability."""
    rows = []
    faults = ("none", "shape_mismatch", "dtype_mismatch", "wrong_loss_input", "nan_bad_op")
    for workload in workloads:
        for fault in faults:
            for framework, modes in (("torch", ("eager",)), ("tf", tf_modes)):
                for mode in modes:
                    outcome = "loud" if framework == "torch" else tf_outcome
                    outcome = outcome.get(mode) if isinstance(outcome, dict) else outcome
                    rows.append(
                        {
                            "workload": workload,
                            "fault": fault,
                            "framework": framework,
                            "mode": mode,
                            "outcome": "control" if fault == "none" else outcome,
                            "inspect_kind": "every_step",
                            "names_shape": True,
                            "names_dtype": True,
                            "message_chars": 80,
                            "traceback_names_faulty_line": True,
                            "message_names_faulty_line": False,
                        }
                    )
    return pd.DataFrame(rows)


def test_c7_debugging_effort_paired_by_workload_and_fault():
    from fwbench.debug_faults import FAULTS

    debug = debug_table("silent_undetected")
    assert set(debug["fault"]) <= set(FAULTS)
    verdict = verdict_of(v.c7, debug=debug)
    assert verdict.verdict == v.SUPPORTED and "of 8 (workload, fault) pairs" in verdict.effect, verdict.effect
    assert verdict_of(v.c7, debug=debug_table("loud")).verdict == v.INCONCLUSIVE  # a tie
    few = verdict_of(v.c7, debug=debug_table("silent_undetected", workloads=("mlp",)))
    assert few.verdict == v.INCONCLUSIVE and "at least 6 needed" in few.effect


def test_c7_a_fault_that_behaves_differently_by_mode_is_a_quirk_not_absorbed():
    """Loud in TF eager, absorbed in graph mode: the graph-mode quirk the claim names."""
    quirky = debug_table({"eager": "loud", "graph": "absorbed"}, tf_modes=("eager", "graph"))
    efforts = v.fault_efforts(quirky)
    tf = efforts[efforts["framework"].eq("tf")]
    assert tf["quirk"].all() and (tf["effort"] >= 75).all()  # scored as silent and undetected
    verdict = verdict_of(v.c7, debug=quirky)
    assert verdict.verdict == v.SUPPORTED and "quirks" in verdict.effect, verdict.effect
    absorbed_everywhere = v.fault_efforts(debug_table("absorbed", tf_modes=("eager", "graph")))
    assert not absorbed_everywhere["quirk"].any()  # the same behaviour in every mode is no quirk


WORKLOADS_SIX = ("mlp", "cnn1d", "gru", "resnet", "transformer", "gpt")


def loc_table(tf_model_tokens=110, keras_fit_tokens=120) -> pd.DataFrame:
    """Rows shaped like fwbench.loc's loc.csv: 3 customisations, a sample program in 3 styles,
    six workloads' models and the harness regions each workload row repeats."""
    rows = [
        {
            "subject": "customisation",
            "name": task,
            "framework": fw,
            "style": "x",
            "part": "variant",
            "tokens": 300,
            "changed_tokens": n,
        }
        for task, extra in (("layer", 30), ("step", 50), ("metric", 20))
        for fw, n in (("torch", 40), ("tf", 40 + extra))
    ]
    rows += [
        {"subject": "samples", "name": "mlp", "framework": fw, "style": style, "part": part, "tokens": n}
        for part in ("model", "train", "evaluate", "program")
        for fw, style, n in (
            ("torch", "torch_loop", 200),
            ("tf", "keras_fit", keras_fit_tokens),
            ("tf", "keras_custom_train_step", 260),
        )
    ]
    rows += [
        {"subject": "workload", "name": w, "framework": fw, "style": "x", "part": part, "tokens": n}
        for w in WORKLOADS_SIX
        for part, torch_n, tf_n in (
            ("model", 100, tf_model_tokens),
            ("train_step", 160, 200),
            ("evaluate", 80, 90),
        )
        for fw, n in (("torch", torch_n), ("tf", tf_n))
    ]
    return pd.DataFrame(rows)


def test_c8_pairs_eleven_code_units_with_an_exact_test():
    verdict = verdict_of(v.c8, loc=loc_table())
    assert verdict.verdict == v.SUPPORTED, verdict.effect
    assert "larger in 11, smaller in 0, equal in 0 of 11 units" in verdict.effect
    assert "Wilcoxon" in verdict.effect and "train_step (harness)" in verdict.effect  # one unit, not six
    mixed = verdict_of(v.c8, loc=loc_table(tf_model_tokens=90))  # TF shorter models, longer rest
    assert mixed.verdict == v.INCONCLUSIVE, mixed.effect
    few = loc_table()
    few = few[few["subject"].ne("workload") | few["name"].isin(["mlp", "cnn1d"])]
    short = verdict_of(v.c8, loc=few)
    assert short.verdict == v.INCONCLUSIVE and "at least 10 units" in short.effect


def test_c9_keras_fit_against_the_pytorch_loop():
    loc = loc_table(tf_model_tokens=90)
    verdict = verdict_of(v.c9, loc=loc)
    assert verdict.verdict == v.SUPPORTED and "of 10 units" in verdict.effect, verdict.effect
    assert verdict_of(v.c9, loc=loc[loc["style"].ne("keras_fit")]).verdict == v.INCONCLUSIVE
    longer = verdict_of(v.c9, loc=loc_table(tf_model_tokens=130, keras_fit_tokens=260))
    assert longer.verdict == v.REFUTED, longer.effect
    tie = loc.assign(tokens=100)
    assert verdict_of(v.c9, loc=tie).verdict == v.INCONCLUSIVE  # identical counts: no difference


def test_c10_exports():
    rows = [
        ("torch", "onnx", "ok"),
        ("tf", "onnx", "ok"),
        ("torch", "torch_export", "ok"),
        ("tf", "saved_model", "ok"),
        ("tf", "tflite", "ok"),
    ]
    exports = pd.DataFrame(rows, columns=["framework", "format", "status"])
    assert verdict_of(v.c10, exports=exports).verdict == v.SUPPORTED
    tflite_failed = exports.assign(status=["ok", "ok", "ok", "ok", "failed"])
    assert verdict_of(v.c10, exports=tflite_failed).verdict == v.REFUTED
    one_each = verdict_of(v.c10, exports=exports[:4])  # equal numbers tried: the count is a design choice
    assert one_each.verdict == v.INCONCLUSIVE and "cannot count" in one_each.effect
    onnx_failed = exports.assign(status=["ok", "failed", "ok", "ok", "ok"])
    assert verdict_of(v.c10, exports=onnx_failed).verdict == v.INCONCLUSIVE


def port_table(adaptations: dict) -> pd.DataFrame:
    """Model rows of loc.csv with their port counts: workload -> adaptations of the Keras file."""
    return pd.DataFrame(
        [
            {
                "subject": "workload",
                "name": w,
                "framework": fw,
                "part": "model",
                "tokens": 100,
                "port_adaptations": n if fw == "tf" else 0,
                "port_lines": 3 * n if fw == "tf" else 0,
            }
            for w, n in adaptations.items()
            for fw in ("torch", "tf")
        ]
    )


def test_c11_reads_what_switching_cost_not_only_whether_parity_passed():
    parity = pd.DataFrame({"workload": ["mlp", "cnn1d", "gru"], "passed": [True, True, True]})
    easy = verdict_of(v.c11, parity=parity, loc=port_table({"mlp": 0, "cnn1d": 2, "gru": 1}))
    assert easy.verdict == v.SUPPORTED and "cnn1d 2 (6 lines)" in easy.effect and "median 1" in easy.effect
    hard = verdict_of(v.c11, parity=parity, loc=port_table({"mlp": 4, "cnn1d": 5, "gru": 3}))
    assert hard.verdict == v.REFUTED, hard.effect
    between = verdict_of(v.c11, parity=parity, loc=port_table({"mlp": 3, "cnn1d": 3, "gru": 3}))
    assert between.verdict == v.INCONCLUSIVE
    assert verdict_of(v.c11, parity=parity).verdict == v.INCONCLUSIVE  # no counts: no verdict
    failed = parity.assign(passed=[True, False, True])
    verdict = verdict_of(v.c11, parity=failed, loc=port_table({"mlp": 0, "cnn1d": 0, "gru": 0}))
    assert verdict.verdict == v.INCONCLUSIVE and "failed: cnn1d" in verdict.effect  # the port, not the API
    errored = parity.assign(status=["ok", "failed", "ok"], passed=[True, False, True])
    verdict = verdict_of(v.c11, parity=errored, loc=port_table({"mlp": 0, "cnn1d": 0, "gru": 0}))
    assert verdict.verdict == v.INCONCLUSIVE and "could not run for: cnn1d" in verdict.effect


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
    one_vendor = verdict_of(v.c12, summary=pd.concat([cpu, nvidia], ignore_index=True))
    assert one_vendor.verdict == v.NOT_TESTABLE  # a CPU is not a vendor of this claim
    differs = verdict_of(v.c12, summary=pd.concat([cpu, nvidia, gpu("AMD Instinct MI300X", 10.0)]))
    assert differs.verdict == v.SUPPORTED and "NVIDIA" in differs.effect and "AMD" in differs.effect
    overlap = verdict_of(
        v.c12, summary=pd.concat([gpu("NVIDIA H100", 5.0, 0.3), gpu("AMD Instinct MI300X", 6.0, 0.3)])
    )
    assert overlap.verdict == v.INCONCLUSIVE and "overlap" in overlap.effect, overlap.effect


def test_c13_is_never_testable_here():
    assert verdict_of(v.c13, summary=runs(ALL_MODES)).verdict == v.NOT_TESTABLE


def test_the_accuracy_headline_says_only_what_the_equivalence_test_found():
    from fwbench import report_claims

    def quality(tf_offset: float, noise: float = 0.002) -> pd.DataFrame:
        rng = np.random.default_rng(0)
        return pd.DataFrame(
            [
                {
                    "workload": w,
                    "framework": fw,
                    "status": "ok",
                    "test_accuracy": 0.6 + (tf_offset if fw == "tf" else 0) + noise * rng.standard_normal(),
                }
                for w in ("mlp", "cnn1d")
                for fw in ("torch", "tf")
                for _ in range(5)
            ]
        )

    assert "is equivalent between the frameworks within ±2 points" in report_claims.accuracy_sentence(
        quality(0.0)
    )
    apart = report_claims.accuracy_sentence(quality(0.10))
    assert "different: cnn1d, mlp" in apart and "equivalent between" not in apart
    noisy = report_claims.accuracy_sentence(quality(0.0, noise=0.05))
    assert "undecided" in noisy, noisy
    assert "No accuracy" in report_claims.accuracy_sentence(quality(0.0).iloc[0:0])


def test_load_tables_reads_what_exists(tmp_path):
    runs(ALL_MODES).to_csv(tmp_path / "summary.csv", index=False)
    (tmp_path / "parity.csv").write_text("")
    tables = v.load_tables(tmp_path)
    assert len(tables.summary) == 30 and tables.parity is None and tables.loc is None
    assert len(v.ledger(tables)) == 13


def test_the_report_helpers_link_every_headline_and_every_ledger_row():
    from fwbench import report_claims
    from fwbench.report_tables import device_label

    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0}).assign(test_accuracy=0.6)
    summary["variant"] = summary["framework"] + " " + summary["mode"]
    summary["device"] = device_label(summary)
    ledger = v.ledger(v.Tables(summary=summary))
    quality = summary.assign(study="quality")
    sentences = report_claims.headlines(ledger, summary.assign(test_accuracy=None), quality)
    assert len(sentences) == 5 and all("](#sec-" in sentence for sentence in sentences)
    assert "equivalent between the frameworks within ±2 points" in sentences[2]  # the quality study's runs
    anchors = report_claims.section_anchors(REPO / "report/index.py")
    assert {
        "sec-summary",
        "sec-ledger",
        "sec-methods",
        "sec-threats",
        "sec-provenance",
        "sec-devices",
    } <= set(anchors)
    html = report_claims.ledger_html(ledger, anchors)
    assert html.count('<tr id="claim-') == 13 and 'href="#sec-speed"' in html
    assert len(report_claims.hoefler_belli_table()) == 12
    assert report_claims.effects_figure(ledger) is not None


def test_results_from_two_machines_merge_into_one_summary(tmp_path):
    """Copies of the same runs from another host (results/imported/<machine>/runs/...) aggregate
    beside this machine's runs; each row keeps its own file and host."""
    from fwbench import aggregate
    from fwbench.results import write_result
    from tests.test_results import make_result

    paths = []
    for machine in ("here", "gpubox"):
        result = make_result(run_id="mlp/torch-eager-seed0", framework="torch", seed=0)
        result["provenance"]["hostname"] = machine
        path = tmp_path / machine / "runs/mlp/torch-eager-seed0.json"
        write_result(path, result)
        paths.append(path)
    out = {name: tmp_path / f"{name}.out" for name in ("summary", "quality", "curves", "metrics")}
    aggregate.aggregate(
        paths,
        summary_csv=out["summary"],
        quality_csv=out["quality"],
        curves_csv=out["curves"],
        metrics_json=out["metrics"],
    )
    summary = pd.read_csv(out["summary"])
    assert sorted(summary["hostname"]) == ["gpubox", "here"]
    assert sorted(summary["result_file"]) == sorted(map(str, paths))


def test_the_fastest_variant_headline_says_only_what_the_interval_supports():
    from fwbench.report_claims import fastest_variant

    def runs(times: dict) -> pd.DataFrame:
        return pd.DataFrame(
            [{"variant": v, "step_time_ms_median": t} for v, values in times.items() for t in values]
        )

    clear = fastest_variant("mlp", runs({"PyTorch eager": [1.0, 1.02, 0.98], "TF graph": [2.0, 2.1, 1.9]}))
    assert "PyTorch eager" in clear.split(",")[0] and "beyond noise" in clear
    tie = fastest_variant("mlp", runs({"PyTorch eager": [1.0, 1.3, 0.8], "TF graph": [1.05, 0.85, 1.25]}))
    assert "not distinguishable from" in tie and "beyond noise" not in tie


KERAS_RUNTIMES = {**ALL_MODES, ("tf", "fit"): 12.0, ("jax", "jit"): 5.0, ("jax", "fit"): 6.0}


def quality_runs(accuracy: dict, workloads=("mlp", "cnn1d"), seeds=5, sd=0.005) -> pd.DataFrame:
    """Quality-study runs: accuracy maps framework -> mean test accuracy (0-1)."""
    rng = np.random.default_rng(2)
    return pd.DataFrame(
        [
            {
                "workload": w,
                "framework": fw,
                "status": "ok",
                "test_accuracy": acc + sd * rng.standard_normal(),
            }
            for w in workloads
            for fw, acc in accuracy.items()
            for _ in range(seeds)
        ]
    )


def test_beyond_the_article_reads_the_runtime_and_the_api_apart():
    summary = runs(KERAS_RUNTIMES, noise=0.02, rss_mb={"torch": 100.0, "tf": 150.0, "jax": 75.0})
    quality = quality_runs({"torch": 0.80, "tf": 0.80, "jax": 0.805})
    table = v.beyond_article(v.Tables(summary=summary, quality=quality))
    by_id = table.set_index("claim")
    assert list(by_id.index) == ["B1-speed", "B1-fit", "B1-memory", "B2-speed", "B2-memory", "B2-accuracy"]
    # B1: the best compiled step of each runtime, TF XLA 7 / JAX jit 5; fit modes and TF eager not in it
    assert by_id.loc["B1-speed", "verdict"] == v.SUPPORTED
    assert by_id.loc["B1-speed", "ratio"] == pytest.approx(1.4, rel=0.05)
    assert "TensorFlow/Keras xla / JAX/Keras jit" in by_id.loc["B1-speed", "effect"]
    assert by_id.loc["B1-fit", "ratio"] == pytest.approx(2.0, rel=0.05)  # fit 12 / fit 6
    assert by_id.loc["B1-memory", "ratio"] == pytest.approx(150 / 75, rel=0.05)
    assert by_id.loc["B2-speed", "ratio"] == pytest.approx(8 / 5, rel=0.05)  # best PyTorch / best JAX
    assert by_id.loc["B2-memory", "verdict"] == v.SUPPORTED
    assert (
        by_id.loc["B2-accuracy", "verdict"] == v.SUPPORTED
        and by_id.loc["B2-accuracy", "effect"].count("equivalent") == 2  # each workload listed
    )
    assert set(by_id["rule"]) == set(v.BEYOND_RULES.values())


def test_beyond_the_article_ties_opposite_workloads_accuracy_gaps_and_missing_jax():
    tie = {**KERAS_RUNTIMES, ("jax", "jit"): 7.0}
    assert v.beyond_ratio(v.Tables(summary=runs(tie, noise=0.05)), "B1-speed").verdict == v.INCONCLUSIVE
    fast_on_one = pd.concat(
        [
            runs(KERAS_RUNTIMES, workloads=("mlp",), noise=0.02),
            runs({**KERAS_RUNTIMES, ("jax", "jit"): 14.0}, workloads=("cnn1d",), noise=0.02),
        ]
    )
    opposite = v.beyond_ratio(v.Tables(summary=fast_on_one), "B1-speed")
    assert "the other way in" in opposite.effect  # a combined figure never hides a workload
    apart = quality_runs({"torch": 0.80, "jax": 0.70})
    assert v.b2_accuracy(v.Tables(summary=runs(KERAS_RUNTIMES), quality=apart)).verdict == v.REFUTED
    no_jax = runs({k: ms for k, ms in KERAS_RUNTIMES.items() if k[0] != "jax"})
    table = v.beyond_article(v.Tables(summary=no_jax, quality=quality_runs({"torch": 0.8})))
    assert table["verdict"].eq(v.INCONCLUSIVE).all() and not table["ratio"].notna().any()


def test_a_jax_port_that_fails_parity_leaves_the_article_claims_alone():
    summary = runs(KERAS_RUNTIMES)
    summary["parity_passed"] = np.where(summary["framework"].eq("jax"), False, True)
    summary.loc[summary["framework"].eq("torch"), "parity_passed"] = False  # a pair of it failed
    assert v.c6(v.Tables(summary=summary)).verdict == verdict_of(v.c6, summary=runs(KERAS_RUNTIMES)).verdict
    assert "fewer than" in v.beyond_ratio(v.Tables(summary=summary), "B2-speed").effect  # another model
    strata = v.beyond_article_strata(v.Tables(summary=runs(KERAS_RUNTIMES)))
    assert set(strata["comparison"]) == set(v.BEYOND_SIDES) and set(strata["workload"]) == {"mlp", "cnn1d"}
