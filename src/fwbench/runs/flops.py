"""Model FLOPs -> achieved TFLOP/s and model FLOP utilisation (MFU) against the device's peak.

The FLOPs of one training step are counted once per workload by PyTorch's FLOP counter (the
registry's FLOP_COUNTER framework's flops.py, frameworks/torch/flops.py; rule count_flops) and used
for every framework, since the models are the same. Aggregation divides them by each run's median
step time. MFU needs the device's peak: the table below holds NVIDIA's datasheet figures (dense, no
sparsity), in TFLOP/s, matched against the device name the framework reports (first match wins, so
the more specific names come first). fp32 is the plain (non-tensor-core) FP32 rate, which is what
fp32 training with TF32 disabled can reach; bf16 is the dense tensor-core rate. Unknown devices and
CPUs get no peak: MFU is null.
"""

FLOPS_PATTERN = "results/flops/{workload}.json"

PEAK_TFLOPS = (  # (name substring, {precision: dense peak TFLOP/s}) from NVIDIA datasheets
    ("H100 PCIe", {"fp32": 51.2, "bf16": 756.0}),
    ("H100 NVL", {"fp32": 60.0, "bf16": 835.0}),
    ("H100", {"fp32": 66.9, "bf16": 989.4}),  # SXM5 ("NVIDIA H100 80GB HBM3")
    ("H200", {"fp32": 66.9, "bf16": 989.4}),
    ("A100", {"fp32": 19.5, "bf16": 312.0}),
    ("L40S", {"fp32": 91.6, "bf16": 362.1}),
    ("L4", {"fp32": 30.3, "bf16": 121.0}),
    ("A10", {"fp32": 31.2, "bf16": 125.0}),
    ("V100", {"fp32": 15.7}),
    ("T4", {"fp32": 8.1}),
)


def peak_tflops(device_name, precision: str = "fp32") -> float | None:
    """The datasheet peak of a device name, or None (CPU, unknown card, or precision not listed)."""
    if not isinstance(device_name, str):
        return None
    for pattern, peaks in PEAK_TFLOPS:
        if pattern in device_name:
            return peaks.get(precision)
    return None


def achieved_tflops(flops_per_step, step_time_ms) -> float | None:
    """Model FLOPs per step / step time, in TFLOP/s; None when either is unknown."""
    if flops_per_step is None or step_time_ms is None or not step_time_ms > 0:
        return None
    return flops_per_step / (step_time_ms / 1e3) / 1e12


def mfu(flops_per_step, step_time_ms, device_name, precision: str = "fp32") -> float | None:
    """Model FLOP utilisation: achieved TFLOP/s over the device's peak (0..1); None if unknown."""
    achieved, peak = achieved_tflops(flops_per_step, step_time_ms), peak_tflops(device_name, precision)
    return None if achieved is None or peak is None else achieved / peak


def write_flops(spec: dict, data_path, out_path) -> None:
    """Count one training step of the workload in `spec` (a run spec) and write results/flops/<w>.json.
    A model that cannot be counted is recorded with status `failed` and its error, never dropped:
    its runs then have no FLOP figures, and the rest of the pipeline goes on."""
    import traceback
    from pathlib import Path

    import numpy as np

    from fwbench import frameworks
    from fwbench.core import results
    from fwbench.runs.workloads import load_impl

    counter = frameworks.load(frameworks.FLOP_COUNTER, "flops")

    cfg = spec["config"]
    batch_size = cfg["size"]["batch_size"]
    with np.load(data_path, allow_pickle=False) as data:
        batch = data["x_train"][:batch_size]
    record = {
        "schema_version": results.schema_version("flops"),
        "workload": spec["workload"],
        "scale": spec["scale"],
        "batch_size": int(batch.shape[0]),
        "input_shape": list(batch.shape[1:]),
        "counter": counter.COUNTER,
        "status": "ok",
        "error": None,
        "flops_per_step": None,
        "forward_flops_per_step": None,
    }
    try:
        impl = load_impl(Path(spec["impl_path"]), f"fwbench_flops_{spec['workload']}")
        record.update(counter.training_step_flops(impl, cfg["model_args"], batch))
    except Exception as exc:  # recorded, not raised: see the docstring
        record.update(
            status="failed", error=results.error_record(type(exc).__name__, str(exc), traceback.format_exc())
        )
    results.write_result(out_path, record, kind="flops")
