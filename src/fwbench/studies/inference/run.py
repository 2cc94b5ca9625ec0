"""Inference sweep and model export (rule infer): one result per (workload, framework, mode, run).

The framework-neutral half: the batch-size sweep, its latency statistics, the output-match check
of exported models, and the orchestration that turns every outcome, failures included, into one
result file (results/inference/<workload>/<framework>-<mode>-run<run>.json, schema
workflow/schemas/inference.schema.json). Each variant runs in `config.inference.runs` fresh
processes, interleaved with the other variants' (fwbench.runs.plan.timed_order): processes are the unit
of replication, as in training. Each framework's part (frameworks/<name>/inference.py)
builds predictors (frameworks.common.Predictor) for its execution modes and its exports.

The model is built with the run's seed and NOT trained: inference speed does not depend on the
weights' values, and the exports are checked against the same untrained model. Each call is timed
with perf_counter_ns around a device-synchronised call whose input is already on the device.
Compiled modes compile each batch size's static shape during its untimed warm-up calls
(torch.compile(dynamic=False); tf.function traces, and XLA compiles, one function per shape).
Exports do not depend on the execution mode, so they are run once per (workload, framework), in
run 0 of the framework's first configured fp32 mode; the other files record `exports: null`.
An exported model is timed at batch 1 (latency) and at the largest batch (throughput), the two
figures the export table reports; the execution modes get the whole sweep.
"""

import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

from fwbench import frameworks
from fwbench.core import provenance, results
from fwbench.core.columns import OUTPUTS_MATCH, THROUGHPUT
from fwbench.frameworks.common import Predictor
from fwbench.runs import datasets
from fwbench.runs.plan import inference_modes, run_spec
from fwbench.runs.workloads import load_impl
from fwbench.studies.inference.columns import (
    EXPORT_TIME_S,
    FILE_SIZE_BYTES,
    LATENCY_MS_MEAN,
    LATENCY_MS_P50,
    LATENCY_MS_P95,
    MAX_ABS_DIFF,
    N_CALLS,
    TOOL,
)

INFERENCE_PATTERN = "results/inference/{workload}/{framework}-{mode}-run{run}.json"
WEIGHTS_NOTE = "untrained: the model as built with the run's seed (speed does not depend on weight values)"
MATCH_ATOL, MATCH_RTOL = 1e-4, 1e-4  # the parity test's fp32 tolerance
TIMING_KEYS = ("warmup_calls", "repeats", "min_repeats", "budget_s")  # config inference: -> time_calls_ms


def batch_sizes(largest: int, factor: int) -> list[int]:
    """1, factor, factor**2, ... below `largest`, then `largest` itself."""
    sizes, size = [], 1
    while size < largest:
        sizes.append(size)
        size *= factor
    return [*sizes, largest]


def inputs_of_size(x: np.ndarray, batch_size: int) -> np.ndarray:
    """The first `batch_size` rows of `x`, repeated when `x` has fewer."""
    return np.resize(x, (batch_size, *x.shape[1:])).astype(x.dtype, copy=False)


def time_calls_ms(
    call, inputs, *, warmup_calls: int, repeats: int, min_repeats: int, budget_s: float
) -> np.ndarray:
    """Per-call wall time (ms) of timed calls after `warmup_calls` untimed ones: `repeats` calls,
    or fewer (but at least `min_repeats`) once the timed calls have taken `budget_s` seconds, as
    timeit's autorange and pytest-benchmark bound theirs. The count is recorded (n_calls)."""
    for _ in range(warmup_calls):
        call(inputs)
    samples_ns = np.empty(repeats, dtype=np.int64)
    budget_ns, spent_ns, done = budget_s * 1e9, 0, 0
    while done < repeats and (done < min_repeats or spent_ns < budget_ns):
        start = time.perf_counter_ns()
        call(inputs)
        samples_ns[done] = time.perf_counter_ns() - start
        spent_ns += samples_ns[done]
        done += 1
    return samples_ns[:done] / 1e6


def latency_entry(batch_size: int, samples_ms) -> dict:
    """Latency p50/p95/mean (ms) of one batch size and the throughput at the median latency."""
    samples_ms = np.asarray(samples_ms, dtype=float)
    p50, p95 = np.percentile(samples_ms, [50, 95])
    return {
        "batch_size": int(batch_size),
        LATENCY_MS_P50: float(p50),
        LATENCY_MS_P95: float(p95),
        LATENCY_MS_MEAN: float(samples_ms.mean()),
        THROUGHPUT: float(batch_size / (p50 / 1e3)),
        N_CALLS: int(samples_ms.size),
    }


def sweep(predictor: Predictor, x: np.ndarray, sizes, **timing) -> list[dict]:
    """One latency entry per batch size; `timing`: time_calls_ms's keyword arguments."""
    entries = []
    for batch_size in sizes:
        inputs = predictor.prepare(inputs_of_size(x, batch_size))
        samples = time_calls_ms(predictor.call, inputs, **timing)
        entries.append(latency_entry(batch_size, samples))
    return entries


def compare_outputs(reference: np.ndarray, candidate: np.ndarray) -> dict:
    """Max |difference| and whether all outputs agree within the parity tolerance."""
    reference, candidate = np.asarray(reference, dtype=float), np.asarray(candidate, dtype=float)
    if reference.shape != candidate.shape:
        return {MAX_ABS_DIFF: None, OUTPUTS_MATCH: False}
    return {
        MAX_ABS_DIFF: float(np.max(np.abs(reference - candidate))),
        OUTPUTS_MATCH: bool(np.allclose(candidate, reference, atol=MATCH_ATOL, rtol=MATCH_RTOL)),
    }


def run_export(export, x: np.ndarray, reference: np.ndarray, sizes, settings: dict, workdir: Path) -> dict:
    """Export with `export(workdir) -> (Predictor, tool, file path or None)`, check, sweep.

    Any exception is the export's result (status failed, with the error), never the job's end;
    UnsupportedMode (a format this framework's install cannot produce) is status unsupported.
    """
    entry = {"format": export.format_name, TOOL: None, "status": "failed", "error": None}
    entry.update(export_time_s=None, file_size_bytes=None, max_abs_diff=None, outputs_match=None, sweep=None)
    try:
        started = time.perf_counter()
        predictor, tool, path = export(workdir)
        entry[EXPORT_TIME_S] = time.perf_counter() - started
        entry[TOOL] = tool
        if path is not None:
            path = Path(path)
            files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
            entry[FILE_SIZE_BYTES] = int(sum(p.stat().st_size for p in files))
        entry.update(compare_outputs(reference, predictor.predict(x)))
        entry["status"] = "ok" if entry[OUTPUTS_MATCH] else "mismatch"
        entry["sweep"] = sweep(predictor, x, sizes, **settings)
    except Exception as exc:  # an export failure is a result
        if isinstance(exc, frameworks.UnsupportedMode):
            entry["status"] = "unsupported"
        entry["error"] = results.error_record(
            type(exc).__name__, str(exc) or repr(exc), traceback.format_exc()
        )
    return entry


def infer_spec(workload, framework: str, mode: str, run: int, config: dict) -> dict:
    """Everything one infer job needs (the train rule's run spec plus the sweep settings)."""
    settings = config["inference"]
    seed = settings["seed"]
    spec = run_spec(workload, framework, mode, seed, config)
    largest = settings["max_batch_size"] or 10 * workload.size(config["scale"])["batch_size"]
    fp32_modes = [
        m
        for m in inference_modes(config).get(framework, [])
        if frameworks.precision_of(m) == "fp32" and not frameworks.runs_own_loop(framework, m)
    ]
    first_mode = (fp32_modes or [mode])[0]
    inference_config = {
        "max_batch_size": int(largest),
        "batch_size_factor": settings["batch_size_factor"],
        **{key: settings[key] for key in TIMING_KEYS},
        "runs": settings["runs"],
        "with_exports": mode == first_mode and run == 0,
    }
    spec["run_id"] = f"{workload.name}/{framework}-{mode}-run{run}"
    spec["run"] = int(run)
    spec["config"] = {**spec["config"], "inference": inference_config}
    spec["config"]["config_hash"] = provenance.sha256_json(
        {k: v for k, v in spec["config"].items() if k != "config_hash"}
    )
    return spec


def _measure(spec: dict, context: dict) -> dict:
    cfg = spec["config"]
    settings = cfg["inference"]
    h, execution_mode = frameworks.load_harness_for_run(spec)
    context.update(threads=h.thread_info(), device=h.device_info())
    framework = frameworks.load(spec["framework"], "inference")
    impl = load_impl(Path(spec["impl_path"]), f"fwbench_infer_{spec['workload']}_{spec['framework']}")
    x = datasets.load(spec["data_path"])["x_test"]
    model = h.build_model(impl, cfg["model_args"])
    sizes = batch_sizes(settings["max_batch_size"], settings["batch_size_factor"])
    timing = {key: settings[key] for key in TIMING_KEYS}
    predictor = framework.mode_predictor(h, model, execution_mode)
    outcome = {"sweep": sweep(predictor, x, sizes, **timing), "exports": None}
    if settings["with_exports"]:
        check_x = inputs_of_size(x, min(len(x), 64))
        reference = predictor.predict(check_x)
        with tempfile.TemporaryDirectory(prefix="fwbench-export-") as workdir:
            outcome["exports"] = [
                run_export(export, check_x, reference, sorted({sizes[0], sizes[-1]}), timing, Path(workdir))
                for export in framework.exports(h, model, example=x[:2], threads=spec["threads"])
            ]
    return outcome


def run(spec: dict, out_path) -> str:
    """Measure and write the result of one infer job; return its status."""
    started = time.perf_counter()
    context = {"threads": {"requested": spec["threads"]}, "device": {"requested": spec["device"]}}
    status, error, outcome = "ok", None, {"sweep": None, "exports": None}
    try:
        outcome = _measure(spec, context)
    except Exception as exc:  # every failure becomes a recorded result
        status, error = results.classify(exc, spec["framework"])
    record = {
        "schema_version": results.schema_version("inference"),
        "run_id": spec["run_id"],
        "run": spec["run"],
        "workload": spec["workload"],
        "framework": spec["framework"],
        "mode": spec["mode"],
        "seed": spec["seed"],
        "scale": spec["scale"],
        "status": status,
        "error": error,
        "weights": WEIGHTS_NOTE,
        "config": spec["config"],
        "provenance": provenance.collect(
            threads=context["threads"],
            device=context["device"],
            data_sha256=provenance.sha256_file(spec["data_path"]),
        ),
        "sweep": outcome["sweep"],
        "exports": outcome["exports"],
        "wall_time_s": time.perf_counter() - started,
    }
    results.write_result(out_path, record, kind="inference")
    return status
