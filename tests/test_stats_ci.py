"""Bootstrap confidence intervals of ratios and MLPerf-style time to accuracy (fwbench.stats)."""

import numpy as np
import pytest

from fwbench.stats import bootstrap_ratio_ci, time_to_accuracy_mlperf


def test_ratio_of_clearly_different_groups_is_outside_noise():
    rng = np.random.default_rng(1)
    fast, slow = rng.normal(10, 0.1, 8), rng.normal(20, 0.1, 8)
    ci = bootstrap_ratio_ci(fast, slow)
    assert ci["ratio"] == pytest.approx(np.median(fast) / np.median(slow))
    assert ci["ci_low"] <= ci["ratio"] <= ci["ci_high"] < 1
    assert ci["inside_noise"] is False and ci["n_numerator"] == 8 and ci["level"] == 0.95


def test_ratio_of_overlapping_groups_is_inside_noise():
    rng = np.random.default_rng(2)
    ci = bootstrap_ratio_ci(rng.normal(10, 2, 5), rng.normal(10, 2, 5))
    assert ci["ci_low"] < 1 < ci["ci_high"] and ci["inside_noise"] is True


def test_bootstrap_is_seeded_and_the_seed_matters():
    rng = np.random.default_rng(5)
    a, b = rng.normal(1, 0.1, 12), rng.normal(1.1, 0.1, 12)
    assert bootstrap_ratio_ci(a, b, seed=3) == bootstrap_ratio_ci(a, b, seed=3)
    low = [bootstrap_ratio_ci(a, b, statistic=np.mean, seed=s)["ci_low"] for s in (3, 4)]
    assert low[0] != low[1]  # medians of resamples are discrete, means are not


def test_single_runs_collapse_and_empty_or_nan_groups_give_none():
    ci = bootstrap_ratio_ci([2.0], [4.0])
    assert ci["ratio"] == ci["ci_low"] == ci["ci_high"] == 0.5
    assert bootstrap_ratio_ci([], [1.0]) is None
    assert bootstrap_ratio_ci([np.nan], [1.0]) is None


def test_time_to_accuracy_drops_best_and_worst_from_five_runs():
    result = time_to_accuracy_mlperf([10.0, 1.0, 3.0, 4.0, 5.0])
    assert result == {
        "time_to_accuracy_s": 4.0,
        "n_used": 3,
        "n_not_reached": 0,
        "dropped_best_and_worst": True,
    }


def test_time_to_accuracy_keeps_all_of_fewer_runs_and_counts_misses():
    result = time_to_accuracy_mlperf([2.0, None, 4.0, float("nan")])
    assert result["time_to_accuracy_s"] == 3.0 and result["n_used"] == 2
    assert result["n_not_reached"] == 2 and result["dropped_best_and_worst"] is False
    assert time_to_accuracy_mlperf([None, None])["time_to_accuracy_s"] is None


def test_report_ratio_table_pairs_every_mode_and_flags_noise():
    import pandas as pd

    from fwbench.report_speed import step_time_ratios

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


def test_flops_join_gives_null_mfu_on_cpu_and_a_value_on_a_known_gpu(tmp_path):
    import pandas as pd

    from fwbench.aggregate import add_flops
    from fwbench.results import write_result

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
            "workload": ["mlp", "mlp"],
            "batch_size": [100, 50],
            "step_time_ms_median": [1000.0, 1000.0],
            "device_name": ["cpu", "NVIDIA H100 80GB HBM3"],
        }
    )
    joined = add_flops(summary, [flops_file])
    assert joined["model_flops_per_step"].tolist() == [66.9e9, 33.45e9]
    assert pd.isna(joined["mfu"].iloc[0])  # empty in the CSV, never 0
    assert joined["mfu"].iloc[1] == pytest.approx(33.45e9 / 1e12 / 66.9)


def test_compile_time_is_compiled_warmup_minus_eager_warmup():
    import pandas as pd

    from fwbench.report_speed import compile_time_table

    summary = pd.DataFrame(
        {
            "workload": ["mlp"] * 4,
            "framework": ["torch", "torch", "tf", "tf"],
            "mode": ["eager", "compile", "eager", "xla"],
            "status": ["ok"] * 4,
            "warmup_time_s": [0.5, 4.5, 2.0, 2.25],
            "first_step_time_ms": [10.0, 4000.0, 50.0, 600.0],
        }
    )
    table = compile_time_table(summary).set_index("mode")
    assert table.loc["compile", "compile_s"] == 4.0 and table.loc["xla", "compile_s"] == 0.25
    assert set(table.index) == {"compile", "xla"}  # eager has nothing to compile


def test_the_vectorised_bootstrap_is_the_same_bootstrap_as_the_loop():
    """Same data, same resampling scheme: the two ways of computing it agree closely."""
    from fwbench.stats import bootstrap_ci

    rng = np.random.default_rng(7)
    a, b = rng.normal(10, 1, 6), rng.normal(12, 1, 4)
    looped = bootstrap_ci([a, b], lambda x, y: np.median(x) / np.median(y), n_resamples=20_000)

    def ratio_of_medians(x, y):
        return np.median(x, axis=-1) / np.median(y, axis=-1)

    vectorised = bootstrap_ci([a, b], ratio_of_medians, n_resamples=20_000, vectorized=True)
    assert looped[0] == vectorised[0]
    assert np.allclose(looped[1:], vectorised[1:], rtol=0.01)
