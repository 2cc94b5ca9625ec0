"""One run in one fresh process: `python -m fwbench.runs.run_one SPEC.json RESULT.json`.

Loads the framework's harness, builds the workload's model, trains it through the shared loop (the
run's study: speed or quality, fwbench.runs.training) and writes one result file. Every outcome is
written as a result: a missing framework or device is `skipped`, an unknown mode `unsupported`, a
NaN loss `diverged`, out-of-memory `oom`, any other exception `failed` with its traceback tail.
The supervisor (fwbench.runs.supervise) covers the cases this process cannot report itself (timeout,
being killed).
"""

import json
import sys
import time
from pathlib import Path

import psutil

from fwbench import frameworks
from fwbench.core import memory, provenance, results
from fwbench.core.columns import (
    BUILD_TIME,
    IMPORT_TIME,
    PEAK_RESET,
    PEAK_RSS,
    PREBUILT_BATCHES,
    RSS_BASELINE,
    RSS_RISE,
)
from fwbench.core.process_exit import exit_without_teardown
from fwbench.core.results import Diverged
from fwbench.runs import datasets
from fwbench.runs.training import train
from fwbench.runs.workloads import load_impl


def execute(spec: dict, context: dict) -> dict:
    """Run the training; fill `context` with threads/device as soon as they are known."""
    cfg = spec["config"]
    process_started_s = psutil.Process().create_time()  # seconds since the epoch, as time.time()
    h, execution_mode = frameworks.load_harness_for_run(spec)
    imported_s = time.time()
    context.update(threads=h.thread_info(), device=h.device_info())
    impl = load_impl(Path(spec["impl_path"]), f"fwbench_impl_{spec['workload']}_{spec['framework']}")
    data = datasets.load(spec["data_path"])
    # What the model and its training add is measured from here, alike in every framework: the
    # framework imported, the data loaded (the same arrays in every framework), the peak reset so
    # that the import's own transient peak is not counted (the lifetime peak is kept apart).
    lifetime_peak_before = memory.peak_rss_mb()
    rss_baseline = memory.current_rss_mb()
    peak_was_reset = memory.reset_peak_rss()
    build_started = time.perf_counter()
    model = h.build_model(impl, cfg["model_args"])
    startup = {IMPORT_TIME: imported_s - process_started_s, BUILD_TIME: time.perf_counter() - build_started}
    param_count = h.param_count(model)
    try:
        outcome = train(
            h,
            model,
            data,
            size=cfg["size"],
            optimizer=cfg["optimizer"],
            mode=execution_mode,
            seed=spec["seed"],
            study=spec["study"],
            timing=cfg.get("timing"),
            process_started_s=process_started_s,
        )
    finally:
        peak_since_baseline = memory.peak_rss_mb()
        context["memory"] = {
            "param_count": param_count,
            RSS_BASELINE: rss_baseline,
            PEAK_RSS: max(peak_since_baseline, lifetime_peak_before),
            PEAK_RESET: peak_was_reset,
        }
    outcome["metrics"].update(context["memory"], **startup)
    # the batches the loop built ahead of their steps are the harness's data, the same bytes in
    # every framework: not what the model and its training add
    batches_mb = outcome["metrics"].get(PREBUILT_BATCHES) or 0.0
    outcome["metrics"][RSS_RISE] = peak_since_baseline - rss_baseline - batches_mb
    return outcome


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[1]).read_text())
    out_path = Path(argv[2])
    started = time.perf_counter()
    context = {"threads": {"requested": spec["threads"]}, "device": {"requested": spec["device"]}}
    status, error, metrics, curve = "ok", None, None, []
    try:
        outcome = execute(spec, context)
        metrics, curve = outcome["metrics"], outcome["curve"]
    except Exception as exc:  # every failure becomes a recorded result, never a lost run
        status, error = results.classify(exc, spec["framework"])
        print(f"run {spec['run_id']}: {status}: {error['type']}: {error['message']}", file=sys.stderr)
        if "memory" in context:
            metrics = dict(context["memory"])
        if isinstance(exc, Diverged):
            metrics = {**(metrics or {}), "diverged_at_step": exc.step}
    prov = provenance.collect(
        threads=context["threads"],
        device=context["device"],
        data_sha256=provenance.sha256_file(spec["data_path"]),
    )
    result = results.new_result(
        spec,
        status=status,
        provenance=prov,
        error=error,
        metrics=metrics,
        curve=curve,
        wall_time_s=time.perf_counter() - started,
    )
    results.write_result(out_path, result)
    return 0


if __name__ == "__main__":
    exit_without_teardown(main(sys.argv))
