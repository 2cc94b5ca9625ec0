"""Debugging-study probes, several faults of one workload, framework and mode in one process:
`python -m fwbench.studies.debug.run BATCH.json FIRST_OUT.json`.

Started by fwbench.studies.debug.probes.run_probes. For each probe: writes the framework's harness
with the fault's mutation applied into a temporary folder, imports it in place of the clean one,
trains the workload for the spec's budget of steps through it and writes what it observed (a
result of kind "debug"): the exception if one was raised (step, time, traceback, message), the
sanity checks that fired and when, and for the control run (fault "none") what a print inside the
forward pass showed. The framework's session is reset between probes; a test checks that the
records equal those of one fresh process per probe.
"""

import importlib.util
import io
import json
import math
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

from fwbench import REPO_ROOT, frameworks
from fwbench.core.process_exit import exit_without_teardown
from fwbench.core.results import write_result
from fwbench.runs import datasets
from fwbench.runs.training import batch_indices, evaluate
from fwbench.runs.workloads import load_impl
from fwbench.studies.debug import probes
from fwbench.studies.debug.columns import TIME_TO_ERROR_S
from fwbench.studies.debug.faults import CONTROL_FAULT, REQUIRES_GPU, SANITY_CHECKS


def load_mutant(framework: str, fault: str, folder: Path):
    """The framework's harness module with the fault's mutation applied, and the mutation record."""
    clean_path = frameworks.source(framework, "harness")
    replacements = frameworks.load(framework, "faults").MUTATIONS[fault]
    text, lines = probes.apply_mutation(clean_path.read_text(), replacements)
    path = folder / clean_path.name
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(f"fwbench_mutant_{framework}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    mutation = {
        "file": str(clean_path.relative_to(REPO_ROOT)),
        "lines": lines,
        "replacements": [{"old": old, "new": new} for old, new in replacements],
    }
    return module, path, mutation


def probe(spec: dict, folder: Path) -> dict:
    framework, fault = spec["framework"], spec["fault"]
    started = time.perf_counter()
    try:
        module, mutant_path, mutation = load_mutant(framework, fault, folder)
    except ValueError as exc:
        return probes.new_record(spec, status="mutation_failed", reason=str(exc))
    harness = module.Harness(threads=spec["threads"], device=spec["device"], seed=spec["seed"])
    if fault in REQUIRES_GPU and harness.device_info()["kind"] != "cuda":
        return probes.new_record(spec, status="not_applicable", reason=probes.NO_GPU_REASON)
    model = harness.build_model(load_impl(Path(spec["impl_path"]), "impl"), spec["model_args"])
    stream = io.StringIO()
    if fault == CONTROL_FAULT:
        model = frameworks.load(framework, "faults").with_print_probe(model, stream)
    data = datasets.load(spec["data_path"])
    budget, every = spec["budget_steps"], spec["eval_every"]
    losses, checks, printed_steps, steps_run, accuracy, error = (
        [],
        dict.fromkeys(SANITY_CHECKS),
        0,
        0,
        None,
        None,
    )
    outputs = []
    step_started = time.perf_counter()
    step = 0
    try:
        train_step = harness.make_train_step(model, spec["optimizer"], spec["mode"])
        for step, idx in enumerate(
            batch_indices(len(data["x_train"]), spec["batch_size"], budget, spec["seed"]), 1
        ):
            x, y = harness.to_tensors(data["x_train"][idx], data["y_train"][idx])
            before = stream.tell()
            loss = train_step(x, y)
            steps_run = step
            printed = stream.getvalue()[before:]
            if printed:
                printed_steps += 1
                outputs.append(printed.strip())
            losses.append(loss)
            if not math.isfinite(loss):
                checks["nan_check"] = step
                break
            if step % every == 0 or step == budget:
                logits_classes = harness.predict(model, data["x_test"][:1]).shape[-1]
                _, accuracy = evaluate(harness, model, data["x_test"], data["y_test"])
                window = max(1, every // 3)
                if checks["loss_not_decreasing"] is None and np.mean(losses[-every:]) > 0.95 * np.mean(
                    losses[:window]
                ):
                    checks["loss_not_decreasing"] = step
                if checks["accuracy_at_chance"] is None and accuracy <= 1 / logits_classes + 0.05:
                    checks["accuracy_at_chance"] = step
    except Exception as exc:  # the fault was loud: record what the user would see
        tb_text = "".join(traceback.format_exception(exc))
        message = f"{type(exc).__name__}: {exc}"
        frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
        error = {
            "type": type(exc).__name__,
            "message": message[:4000],
            "step": step if step else 1,
            TIME_TO_ERROR_S: time.perf_counter() - step_started,
            **probes.locality(frames, message, str(mutant_path), mutation["lines"]),
            **probes.message_quality(message, tb_text),
            "traceback_tail": "\n".join(tb_text.strip().splitlines()[-40:]),
        }
    finite = [v for v in losses if math.isfinite(v)]
    return probes.new_record(
        spec,
        status="ok",
        mutation=mutation,
        loud=error is not None,
        error=error,
        checks=checks,
        steps_run=steps_run,
        final_test_accuracy=accuracy,
        final_train_loss=float(np.mean(finite[-5:])) if finite else None,
        inspect=probes.inspect_outcome(printed_steps, steps_run, outputs) if fault == CONTROL_FAULT else None,
        wall_time_s=time.perf_counter() - started,
    )


def main(argv: list[str]) -> int:
    """argv: BATCH.json ({"probes": [{"spec": ..., "out": ...}, ...]}, one workload, framework and
    mode) and the first probe's output. The probes run one after the other, each with its own
    mutant harness, model and data order, the framework's session reset in between
    (frameworks/<name>/faults.py reset_session), and each result written as soon as it is known."""
    batch = json.loads(Path(argv[0]).read_text())["probes"]
    for number, item in enumerate(batch):
        spec = item["spec"]
        if number:
            frameworks.load(spec["framework"], "faults").reset_session()
        with tempfile.TemporaryDirectory(prefix="fwbench-fault-") as folder:
            record = probe(spec, Path(folder))
        write_result(item["out"], record, kind="debug")
        print(f"{spec['run_id']}: {record['status']} loud={record['loud']}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    exit_without_teardown(main(sys.argv[1:]))
