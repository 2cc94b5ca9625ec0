"""The inference study's rules (C3, C10) on made-up sweep and export tables."""

import pandas as pd

from fwbench.studies.inference.claims import c3, c10
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import verdict_of


def sweep(throughputs, workloads=("mlp", "cnn1d", "gru"), runs=3) -> pd.DataFrame:
    """A made-up inference sweep: throughputs maps (framework, target) -> {batch size: samples/s}."""
    return pd.DataFrame(
        [
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
            for w in workloads
            for (fw, m), tp in throughputs.items()
            for b in tp
            for run in range(runs)
        ]
    )


def test_c3_is_not_fooled_by_a_framework_that_is_slow_at_batch_1():
    """The referee's table: PyTorch faster at batch 1 and at batch 256; TF 'scales' 4x more."""
    table = sweep(
        {("torch", "eager"): {1: 400.0, 256: 4000.0}, ("tf", "graph"): {1: 100.0, 256: 4000.0 / 1.5}}
    )
    verdict = verdict_of(c3, inference=table)
    assert verdict.verdict == REFUTED and abs(verdict.interval[0] - 1 / 1.5) < 0.02, verdict.effect
    assert "context only, scaling" in verdict.effect and "PyTorch / TF 0.25x" in verdict.effect


def test_c3_compares_at_the_largest_batch_both_reached_and_names_a_stratum_with_none():
    """TF ran out of memory above 64 on mlp: mlp compares at 64; on cnn1d TF measured nothing in common."""
    table = sweep(
        {("torch", "eager"): {1: 100.0, 64: 900.0, 256: 1000.0}, ("tf", "graph"): {1: 100.0, 64: 1800.0}}
    )
    cnn = (table["workload"] == "cnn1d") & (table["framework"] == "tf")
    table.loc[cnn, "batch_size"] = table.loc[cnn, "batch_size"].map({1: 2, 64: 32})
    verdict = verdict_of(c3, inference=table)
    assert abs(verdict.interval[0] - 2) < 0.05 and [s["workload"] for s in verdict.strata] == ["gru", "mlp"]
    assert any(
        "cnn1d" in missing and "no batch size measured in both" in missing for missing in verdict.missing
    )


def test_c3_reads_throughput_at_the_largest_batch_with_batch1_latency_beside_it():
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
        for w in ("mlp", "cnn1d", "gru")
        for fw, m, tp in (
            ("torch", "eager", {1: 100.0, 256: 1000.0}),
            ("tf", "graph", {1: 100.0, 256: 3000.0}),
            ("torch", "export:onnx", {1: 900.0, 256: 90000.0}),  # exports are not modes: left out
        )
        for b in (1, 256)
        for run in range(3)
    ]
    verdict = verdict_of(c3, inference=pd.DataFrame(rows))
    assert verdict.verdict == SUPPORTED and abs(verdict.interval[0] - 3) < 0.1, verdict.effect
    assert "batch-1 latency (p50) PyTorch / TF 1.0" in verdict.effect
    single = verdict_of(c3, inference=pd.DataFrame([r for r in rows if r["run"] == 0]))
    assert single.verdict == INCONCLUSIVE and "fewer than 3" in single.effect


def test_c10_exports():
    rows = [
        ("torch", "onnx", "ok"),
        ("tf", "onnx", "ok"),
        ("torch", "torch_export", "ok"),
        ("tf", "saved_model", "ok"),
        ("tf", "tflite", "ok"),
    ]
    exports = pd.DataFrame(rows, columns=["framework", "format", "status"])
    assert verdict_of(c10, exports=exports).verdict == SUPPORTED
    tflite_failed = exports.assign(status=["ok", "ok", "ok", "ok", "failed"])
    assert verdict_of(c10, exports=tflite_failed).verdict == REFUTED
    one_each = verdict_of(c10, exports=exports[:4])  # equal numbers tried: the count is a design choice
    assert one_each.verdict == INCONCLUSIVE and "cannot count" in one_each.effect
    onnx_failed = exports.assign(status=["ok", "failed", "ok", "ok", "ok"])
    assert verdict_of(c10, exports=onnx_failed).verdict == INCONCLUSIVE
