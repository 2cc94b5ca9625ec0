"""Inference sweep statistics, exports, FLOP counting, MFU, the NVML sampler's no-GPU path."""

import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from fwbench.core import results
from fwbench.core.nvml_sampler import METRIC_KEYS, NvmlSampler
from fwbench.frameworks import common
from fwbench.runs import flops
from fwbench.runs.workloads import discover
from fwbench.studies.inference import run as inference
from tests.conftest import REPO

TINY = {
    "scale": "tiny",
    "device": "cpu",
    "modes": {"torch": ["eager", "compile"], "tf": ["eager", "graph", "xla"]},
    "inference": {
        "seed": 0,
        "max_batch_size": 8,
        "batch_size_factor": 2,
        "warmup_calls": 1,
        "repeats": 3,
        "min_repeats": 1,
        "budget_s": 1.0,
        "runs": 3,
    },
}


def test_batch_sizes_grow_by_the_factor_up_to_the_largest():
    assert inference.batch_sizes(1, 4) == [1]
    assert inference.batch_sizes(8, 2) == [1, 2, 4, 8]
    assert inference.batch_sizes(1000, 2) == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]
    assert inference.batch_sizes(1000, 4) == [1, 4, 16, 64, 256, 1000]


def test_inputs_are_repeated_when_the_batch_is_larger_than_the_data():
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    assert inference.inputs_of_size(x, 2).tolist() == [[0, 1], [2, 3]]
    assert inference.inputs_of_size(x, 5)[3:].tolist() == [[0, 1], [2, 3]]


def test_latency_entry_percentiles_and_throughput():
    entry = inference.latency_entry(10, [1.0, 2.0, 3.0, 4.0, 100.0])
    assert entry["latency_ms_p50"] == 3.0 and entry["latency_ms_p95"] == pytest.approx(80.8)
    assert entry["throughput_samples_per_s"] == pytest.approx(10 / 3e-3)
    assert entry["n_calls"] == 5 and entry["latency_ms_mean"] == 22.0


def test_time_calls_runs_warmup_untimed_then_repeats():
    calls = []
    samples = inference.time_calls_ms(
        calls.append, "x", warmup_calls=2, repeats=4, min_repeats=1, budget_s=60
    )
    assert len(calls) == 6 and samples.shape == (4,) and (samples >= 0).all()


def test_time_calls_stops_at_its_budget_but_not_before_min_repeats():
    def slow(_):
        time.sleep(0.01)

    samples = inference.time_calls_ms(slow, "x", warmup_calls=0, repeats=50, min_repeats=3, budget_s=0.001)
    assert samples.shape == (3,)  # budget spent after the first call; min_repeats still honoured
    samples = inference.time_calls_ms(slow, "x", warmup_calls=0, repeats=50, min_repeats=2, budget_s=0.05)
    assert 4 <= samples.shape[0] < 50 and samples.min() >= 10


def test_compare_outputs_uses_the_parity_tolerance():
    y = np.array([[1.0, -2.0]])
    assert inference.compare_outputs(y, y + 5e-5) == {
        "max_abs_diff": pytest.approx(5e-5),
        "outputs_match": True,
    }
    assert inference.compare_outputs(y, y + 1e-2)["outputs_match"] is False
    assert inference.compare_outputs(y, y[:, :1]) == {"max_abs_diff": None, "outputs_match": False}


def test_an_export_that_raises_is_a_failed_result_not_an_exception(tmp_path):
    def broken(workdir):
        raise RuntimeError("no exporter for this op")

    entry = inference.run_export(
        common.Export("onnx", broken),
        np.zeros((2, 3), np.float32),
        np.zeros((2, 3)),
        [1],
        {"warmup_calls": 0, "repeats": 1, "min_repeats": 1, "budget_s": 1.0},
        tmp_path,
    )
    assert entry["status"] == "failed" and entry["error"]["message"] == "no exporter for this op"
    assert entry["sweep"] is None and entry["outputs_match"] is None


def test_sampler_on_cpu_records_nothing_and_reports_none():
    sampler = NvmlSampler(enabled=False)
    sampler.resume()
    sampler.pause()
    assert not sampler.available and sampler.unavailable_reason == "not a GPU run"
    assert sampler.summary(samples_processed=1000) == dict.fromkeys(METRIC_KEYS)


def test_training_on_cpu_records_gpu_fields_as_null_not_zero(harnesses, dataset_arrays):
    from fwbench.runs.training import train
    from fwbench.runs.workloads import load_impl

    workload = discover()["mlp"]
    impl = load_impl(workload.impl_path("torch"), "fwbench_test_sampler_mlp")
    h = harnesses["torch"]
    size = {"total_steps": 4, "batch_size": 50, "eval_every": 2, "warmup_steps": 1, "max_timed_steps": 3}
    size["target_accuracy"] = 0.99
    outcome = train(
        h,
        h.build_model(impl, {}),
        dataset_arrays("mnist1d"),
        size=size,
        optimizer=workload.spec["optimizer"],
        mode="eager",
        seed=0,
        study="quality",
    )
    assert all(outcome["metrics"][key] is None for key in METRIC_KEYS)


def test_flop_count_of_mlp_matches_the_matmuls():
    from fwbench.frameworks.torch.flops import training_step_flops
    from fwbench.runs.workloads import load_impl

    impl = load_impl(discover()["mlp"].impl_path("torch"), "fwbench_test_flops_mlp")
    counted = training_step_flops(impl, {}, np.zeros((100, 40), dtype=np.float32))
    forward = 2 * 100 * (40 * 100 + 100 * 100 + 100 * 10)
    assert counted["forward_flops_per_step"] == forward
    # backward: grad of input and of weight for layers 2 and 3, grad of weight only for layer 1
    assert counted["flops_per_step"] == forward + 2 * forward - 2 * 100 * 40 * 100


def real_step_flops(impl, model_args: dict, batch: np.ndarray) -> int:
    """One training step's FLOPs counted on real CPU tensors (the reference for the meta count)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    model = impl.build_model(**model_args)
    with FlopCounterMode(display=False) as counter:
        logits = model(torch.from_numpy(batch))
        target = torch.zeros(logits.shape[:-1], dtype=torch.long)
        torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1)).backward()
    return int(counter.get_total_flops())


@pytest.mark.parametrize("name", ["resnet", "gpt", "gru"])
def test_the_meta_device_count_is_the_count_of_real_tensors_with_attention_included(name, dataset_arrays):
    """The same count as on real CPU tensors, except attention: PyTorch's fused CPU attention
    kernel is not one the FLOP counter knows, so a CPU count leaves out the score and value
    products (12 T^2 d per sequence and layer, forward and backward); on the meta device attention
    runs as matrix products, and is counted, as the counter counts the CUDA attention kernels."""
    from fwbench.frameworks.torch.flops import training_step_flops
    from fwbench.runs.workloads import load_impl

    workload = discover()[name]
    impl = load_impl(workload.impl_path("torch"), f"fwbench_test_meta_flops_{name}")
    batch = dataset_arrays(workload.dataset("default"))["x_train"][:8]
    args = workload.model_args("default")
    attention = 12 * args.get("layers", 0) * args.get("length", 0) ** 2 * args.get("d_model", 0) * len(batch)
    counted = training_step_flops(impl, args, batch)["flops_per_step"]
    assert counted == real_step_flops(impl, args, batch) + attention


def test_the_gpu_size_gpt_step_costs_what_the_usual_6n_estimate_says():
    """GPT-2 small on 16 x 1024 tokens: 6 FLOPs per parameter and token (forward and backward of
    the 85 M block weights and the head), plus attention's scores and sums (12 L T d per token in
    a step), which the count must include; counted in seconds on the meta device."""
    from fwbench.frameworks.torch.flops import training_step_flops
    from fwbench.runs.workloads import load_impl

    workload = discover()["gpt"]
    args, batch_size = workload.model_args("gpu"), workload.size("gpu")["batch_size"]
    impl = load_impl(workload.impl_path("torch"), "fwbench_test_gpu_flops_gpt")
    tokens = batch_size * args["length"]
    d, layers = args["d_model"], args["layers"]
    matmul_params = layers * (4 * d * d + 2 * d * args["d_ff"]) + d * args["vocab_size"]
    expected = 6 * matmul_params * tokens + 12 * layers * args["length"] * d * tokens
    counted = training_step_flops(impl, args, np.zeros((batch_size, args["length"]), dtype=np.int64))
    assert counted["flops_per_step"] == pytest.approx(expected, rel=0.02)


def test_mfu_needs_a_known_peak():
    assert flops.peak_tflops("NVIDIA H100 80GB HBM3") == 66.9
    assert flops.peak_tflops("NVIDIA H100 PCIe") == 51.2
    assert flops.peak_tflops("cpu") is None and flops.peak_tflops(None) is None
    assert flops.achieved_tflops(2e12, 1000.0) == pytest.approx(2.0)
    assert flops.mfu(66.9e12, 1000.0, "NVIDIA H200") == pytest.approx(1.0)
    assert flops.mfu(1e12, 10.0, "cpu") is None


@pytest.mark.parametrize(("framework", "mode"), [("torch", "eager"), ("tf", "eager")])
def test_tiny_inference_run_with_exports(framework, mode, tmp_path, monkeypatch, dataset_arrays):
    from fwbench.runs import datasets

    data_path = tmp_path / "mnist1d.npz"
    datasets.write_npz_deterministic(data_path, dataset_arrays("mnist1d"))
    spec = inference.infer_spec(discover()["mlp"], framework, mode, 0, TINY)
    spec.update(threads=2, data_path=str(data_path), impl_path=str(REPO / spec["impl_path"]))
    out = tmp_path / "result.json"
    assert inference.run(spec, out) == "ok"
    record = results.read_result(out, kind="inference")
    assert [e["batch_size"] for e in record["sweep"]] == [1, 2, 4, 8]
    assert record["weights"].startswith("untrained") and record["config"]["inference"]["with_exports"]
    formats = {e["format"]: e for e in record["exports"]}
    expected = {"torch": {"onnx", "torch_export"}, "tf": {"onnx", "saved_model"}}[framework]
    assert set(formats) == expected
    for export in formats.values():
        assert export["status"] == "ok", export["error"]
        assert export["outputs_match"] and export["max_abs_diff"] <= 1e-4
        assert [e["batch_size"] for e in export["sweep"]] == [1, 8]  # batch 1 and the largest


@pytest.mark.parametrize("framework", ["torch", "tf"])
def test_a_token_model_is_exported_with_integer_inputs(framework, tmp_path, dataset_arrays):
    """Token ids are int64: the exports take the data's dtype (a float example input would make
    the embedding lookup fail and the export be wrongly recorded as the framework's failure)."""
    from fwbench.runs import datasets

    data_path = tmp_path / "pydoc_topics.npz"
    datasets.write_npz_deterministic(data_path, dataset_arrays("pydoc_topics"))
    spec = inference.infer_spec(discover()["transformer"], framework, "eager", 0, TINY)
    spec.update(threads=2, data_path=str(data_path), impl_path=str(REPO / spec["impl_path"]))
    assert inference.run(spec, tmp_path / "result.json") == "ok"
    record = results.read_result(tmp_path / "result.json", kind="inference")
    formats = {e["format"]: e for e in record["exports"]}
    native = {"torch": ["onnx", "torch_export"], "tf": ["saved_model"]}[framework]
    for name in native:
        assert formats[name]["status"] == "ok", formats[name]["error"]


def test_a_mode_the_framework_lacks_is_recorded_unsupported(tmp_path, dataset_arrays):
    from fwbench.runs import datasets

    data_path = tmp_path / "mnist1d.npz"
    datasets.write_npz_deterministic(data_path, dataset_arrays("mnist1d"))
    spec = inference.infer_spec(discover()["mlp"], "torch", "xla", 0, TINY)
    spec.update(threads=2, data_path=str(data_path), impl_path=str(REPO / spec["impl_path"]))
    assert inference.run(spec, tmp_path / "r.json") == "unsupported"
    record = results.read_result(tmp_path / "r.json", kind="inference")
    assert (
        record["sweep"] is None and record["exports"] is None and record["error"]["type"] == "UnsupportedMode"
    )


def test_only_run_0_of_the_first_configured_mode_exports():
    mlp = discover()["mlp"]
    assert inference.infer_spec(mlp, "tf", "eager", 0, TINY)["config"]["inference"]["with_exports"]
    assert not inference.infer_spec(mlp, "tf", "eager", 1, TINY)["config"]["inference"]["with_exports"]
    assert not inference.infer_spec(mlp, "tf", "graph", 0, TINY)["config"]["inference"]["with_exports"]
    assert inference.infer_spec(mlp, "tf", "graph", 2, TINY)["run_id"] == "mlp/tf-graph-run2"


def test_harness_overhead_benchmark_measures_every_framework_against_its_bare_loop(tmp_path, dataset_arrays):
    from fwbench.runs import datasets

    data_path = tmp_path / "mnist1d.npz"
    datasets.write_npz_deterministic(data_path, dataset_arrays("mnist1d"))
    out = tmp_path / "overhead.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fwbench.studies.harness_overhead.run",
            str(out),
            "--blocks",
            "2",
            "--block-steps",
            "5",
            "--threads",
            "1",
            "--data",
            str(data_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    record = results.read_result(out, kind="harness_overhead")
    by_framework = {entry["framework"]: entry for entry in record["frameworks"]}
    assert set(by_framework) == {"torch", "tf", "jax"}  # every framework with a bare loop
    for entry in by_framework.values():
        assert entry["status"] == "ok", entry["error"]
        assert len(entry["harness_step_ms"]) == len(entry["bare_step_ms"]) == 2 and entry["ratio"] > 0
    assert by_framework["tf"]["mode"] == "graph" and by_framework["torch"]["mode"] == "eager"
    assert by_framework["jax"]["mode"] == "jit"


def test_inference_tables_keep_failures_as_rows(tmp_path):
    from fwbench.studies.inference.tables import tables

    base = {
        "workload": "mlp",
        "framework": "tf",
        "run": 0,
        "provenance": {"device": {"kind": "cpu", "name": "cpu"}},
    }
    ok = {
        **base,
        "mode": "graph",
        "status": "ok",
        "exports": None,
        "sweep": [inference.latency_entry(1, [1.0, 2.0]), inference.latency_entry(2, [1.0, 3.0])],
    }
    failed = {
        **base,
        "mode": "xla",
        "status": "failed",
        "sweep": None,
        "exports": [
            {
                "format": "onnx",
                "tool": None,
                "status": "failed",
                "error": {"type": "E", "message": "m"},
                "export_time_s": None,
                "file_size_bytes": None,
                "max_abs_diff": None,
                "outputs_match": None,
                "sweep": None,
            }
        ],
    }
    sweep, exports = tables([ok, failed])
    assert len(sweep) == 4 and set(sweep["status"]) == {"ok", "failed"}
    assert sweep.loc[sweep["target"] == "export:onnx", "latency_ms_p50"].isna().all()
    assert exports.loc[0, "error_message"] == "m" and pd.isna(exports.loc[0, "latency_ms_p50_batch1"])
    json.dumps(sweep.to_dict())  # plain values only


def test_the_inference_table_gives_batch1_latency_and_scaling_over_runs():
    from fwbench.studies.inference import report as inference_report

    rows = []
    for run, (batch1_ms, largest_ms) in enumerate([(1.0, 10.0), (1.0, 8.0), (2.0, 16.0)]):
        for batch_size, latency_ms in ((1, batch1_ms), (100, largest_ms)):
            entry = inference.latency_entry(batch_size, [latency_ms] * 20)
            rows.append({"workload": "mlp", "framework": "tf", "runtime": "TF graph", "run": run, **entry})
    table = inference_report.inference_table(pd.DataFrame(rows)).iloc[0]
    # per run: throughput at batch 100 over batch 1 = 100 * batch1_ms / largest_ms = 10, 12.5, 12.5
    assert table["runs"] == 3 and table["latency_ms_p50_batch1"] == 1.0
    assert table["scaling_largest_over_batch1"] == pytest.approx((10 * 12.5 * 12.5) ** (1 / 3), rel=1e-3)
    assert table["scaling_ci_low"] < table["scaling_largest_over_batch1"] < table["scaling_ci_high"]


def test_a_model_that_cannot_be_counted_is_recorded_as_failed(tmp_path):
    from fwbench.core.results import read_result
    from fwbench.runs.flops import write_flops
    from fwbench.runs.plan import run_spec

    broken = tmp_path / "torch_impl.py"
    broken.write_text("def build_model(**kwargs):\n    raise RuntimeError('no such layer')\n")
    data = tmp_path / "data.npz"
    np.savez(data, x_train=np.zeros((8, 40), dtype=np.float32))
    config = {"scale": "tiny", "device": "cpu"}
    spec = {**run_spec(discover()["mlp"], "torch", "eager", 0, config), "impl_path": str(broken)}
    write_flops(spec, data, tmp_path / "flops.json")
    record = read_result(tmp_path / "flops.json", kind="flops")
    assert record["status"] == "failed" and record["flops_per_step"] is None
    assert record["error"]["message"] == "no such layer"
