"""The inference study's rules (C3, C10) on made-up sweep and export tables."""

import pandas as pd

from fwbench.studies.inference.claims import c3, c10
from fwbench.studies.verdict import INCONCLUSIVE, REFUTED, SUPPORTED
from tests.helpers.made_up import verdict_of


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
