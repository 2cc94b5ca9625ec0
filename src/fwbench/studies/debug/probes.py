"""The debugging study's probes (claim C7): plan them, run each in a fresh process, record them.

The faults (fwbench.studies.debug.faults) are text mutations of the `train_step` region of each
framework's harness (frameworks/<name>/faults.py holds them), applied by the study, so every
workload is put through every fault. Each fault x framework x mode runs in a fresh process
(fwbench.studies.debug.run) for a short budget of steps; this module plans those runs, supervises them
and defines what a probe observes (one result of kind "debug" each,
results/debug/<workload>/<framework>-<mode>-<fault>.json). fwbench.studies.debug.tables turns them into
results/debug.csv and the debugging-effort index. Rules: workflow/rules/debug.smk.

What a probe observes:
- loud: the framework raised an exception; step and wall time until it, its traceback and message;
- silent: it did not; then the documented sanity checks (SANITY_CHECKS) say whether and when it was
  caught;
- locality: whether a traceback frame, or the message, names the mutated (faulty) line, and how
  many frames lie between that frame and the one that raised;
- message quality: whether the message names shapes, dtypes, devices; its length and the traceback's;
- inspectability (control run, fault "none"): a print inside the model's forward runs on every step
  with concrete values, only while tracing (symbolic values), or never.
"""

import os
import re
import time
from pathlib import Path

from fwbench.core import provenance
from fwbench.core.results import read_result, schema_version, write_result
from fwbench.frameworks import FRAMEWORKS, precision_of, runs_own_loop
from fwbench.runs.plan import DATA_PATTERN, runs_on_gpu
from fwbench.runs.supervise import exit_reason, run_child
from fwbench.studies.debug.columns import (
    FINAL_TEST_ACCURACY,
    FRAMES_BETWEEN,
    MESSAGE_CHARS,
    MESSAGE_NAMES_FAULTY_LINE,
    NAMES_DEVICE,
    NAMES_DTYPE,
    NAMES_SHAPE,
    STEPS_RUN,
    TRACEBACK_FRAMES,
    TRACEBACK_LINES,
    TRACEBACK_NAMES_FAULTY_LINE,
)
from fwbench.studies.debug.faults import CONTROL_FAULT, FAULT_IDS, FAULTS, REQUIRES_GPU

RESULT_PATTERN = "results/debug/{workload}/{framework}-{mode}-{fault}.json"
_SYMBOLIC = re.compile(r"Tensor\(\"|FakeTensor|KerasTensor|SymbolicTensor|<tf\.Tensor '|Proxy\(|Traced<")
_MESSAGE_PATTERNS = {
    "shape": re.compile(r"shape|size|dimension|\(\d+, ?\d+|\[\d+, ?\d+|\d+x\d+", re.I),
    "dtype": re.compile(r"dtype|float(16|32|64)|double|int(32|64)|\blong\b", re.I),
    "device": re.compile(r"device|cuda|cpu|gpu", re.I),
}

NO_GPU_REASON = "no GPU on this machine: device placement cannot go wrong"


def run_id(workload: str, framework: str, mode: str, fault: str) -> str:
    return f"{workload}/{framework}-{mode}-{fault}"


def selected_faults(config: dict) -> tuple[str, ...]:
    """The fault classes the config asks for (config key debug_faults: "all" or a list, in the
    catalogue's order; the control run `none` is always one); ValueError (one line) for an unknown one."""
    wanted = config.get("debug_faults", "all")
    if wanted == "all":
        return FAULT_IDS
    unknown = sorted(set(wanted) - set(FAULT_IDS))
    if unknown:
        raise ValueError(f"debug_faults: unknown {', '.join(unknown)}; available: {', '.join(FAULT_IDS)}")
    return tuple(fault for fault in FAULT_IDS if fault in wanted or fault == CONTROL_FAULT)


def planned_fault_runs(config: dict, workloads) -> list[dict]:
    """Every (workload, framework, mode, fault) the config asks for (config keys debug_workloads and
    debug_faults)."""
    wanted = config.get("debug_workloads", [])
    names = [w.name for w in workloads] if wanted == "all" else wanted
    faults = selected_faults(config)
    return [
        {"workload": name, "framework": fw, "mode": mode, "fault": fault}
        for name in names
        for fw in FRAMEWORKS
        for mode in config["modes"].get(fw, [])
        if precision_of(mode) == "fp32"  # faults are studied per execution mode, in fp32
        and not runs_own_loop(fw, mode)  # the faults edit the hand-written step, which fit never runs
        for fault in faults
    ]


def fault_spec(workload, framework: str, mode: str, fault: str, config: dict) -> dict:
    """Everything one probe process needs (a plain dict, passed as JSON)."""
    size = workload.size(config["scale"])
    budget = int(config.get("debug_steps", 60))
    return {
        "run_id": run_id(workload.name, framework, mode, fault),
        "workload": workload.name,
        "framework": framework,
        "mode": mode,
        "fault": fault,
        "impl_path": os.path.relpath(workload.impl_path(framework)),
        "data_path": DATA_PATTERN.format(dataset=workload.dataset(config["scale"])),
        "model_args": workload.model_args(config["scale"]),
        "optimizer": workload.spec["optimizer"],
        "batch_size": size["batch_size"],
        "budget_steps": budget,
        "eval_every": max(1, budget // 2),
        "device": config["device"],
        "threads": 1,
        "seed": 0,
    }


def apply_mutation(text: str, replacements, region: str = "train_step") -> tuple[str, list[int]]:
    """Apply (old, new) replacements inside the marked region of `text`; return the mutated text
    and the 1-based numbers of the lines the mutation wrote. ValueError if `old` is not there."""
    start = text.index(f"# region: {region}")
    end = text.index("# endregion", start)
    lines_written = []
    for old, new in replacements:
        at = text.find(old, start, end)
        if at < 0:
            raise ValueError(f"mutation anchor {old!r} not found in region {region!r}")
        line_start = text.rfind("\n", 0, at) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group(0)
        new_text = new.rstrip("\n").replace("\n", "\n" + indent) + ("\n" if old.endswith("\n") else "")
        first_line = text.count("\n", 0, at) + 1
        lines_written.extend(range(first_line, first_line + new_text.rstrip("\n").count("\n") + 1))
        text = text[:at] + new_text + text[at + len(old) :]
        end += len(new_text) - len(old)
    return text, lines_written


def message_quality(message: str, traceback_text: str) -> dict:
    return {
        NAMES_SHAPE: bool(_MESSAGE_PATTERNS["shape"].search(message)),
        NAMES_DTYPE: bool(_MESSAGE_PATTERNS["dtype"].search(message)),
        NAMES_DEVICE: bool(_MESSAGE_PATTERNS["device"].search(message)),
        MESSAGE_CHARS: len(message),
        TRACEBACK_LINES: len(traceback_text.splitlines()),
    }


def locality(frames: list[tuple[str, int]], message: str, faulty_path: str, faulty_lines: list[int]) -> dict:
    """Does a traceback frame (filename, lineno), or the message, name the faulty line of the file
    `faulty_path`; how many frames lie between that frame and the last (raising) one; how many
    frames in all. Files are compared by their whole path (every framework's harness is a
    harness.py), the message by the file's name as tracebacks print it."""
    hit = None
    for i, (filename, lineno) in enumerate(frames):
        if os.path.normpath(filename) == os.path.normpath(faulty_path) and lineno in faulty_lines:
            hit = i
    name = re.escape(os.path.basename(faulty_path))
    in_message = any(re.search(rf"{name}\"?, line {n}\b", message) for n in faulty_lines)
    return {
        TRACEBACK_NAMES_FAULTY_LINE: hit is not None,
        MESSAGE_NAMES_FAULTY_LINE: in_message,
        FRAMES_BETWEEN: (len(frames) - 1 - hit) if hit is not None else None,
        TRACEBACK_FRAMES: len(frames),
    }


def inspect_outcome(printed_steps: int, steps_run: int, outputs: list[str]) -> dict:
    """Classify a forward-pass print: every step with concrete values, only at trace time, or never."""
    concrete = [not _SYMBOLIC.search(text) for text in outputs]
    if printed_steps == 0:
        kind = "never"
    elif printed_steps >= steps_run and all(concrete):
        kind = "every_step"
    else:
        kind = "trace_time_only"
    return {
        "print_steps": printed_steps,
        STEPS_RUN: steps_run,
        "values_concrete": all(concrete) if outputs else None,
        "kind": kind,
        "first_output": outputs[0][:300] if outputs else None,
    }


def new_record(spec: dict, *, status: str, reason: str | None = None, **observed) -> dict:
    taxonomy, description, _ = FAULTS[spec["fault"]]
    record = {
        "schema_version": schema_version("debug"),
        "run_id": spec["run_id"],
        "workload": spec["workload"],
        "framework": spec["framework"],
        "mode": spec["mode"],
        "fault": spec["fault"],
        "taxonomy": taxonomy,
        "description": description,
        "status": status,
        "reason": reason,
        "budget_steps": spec["budget_steps"],
        "mutation": None,
        "loud": None,
        "error": None,
        "checks": None,
        STEPS_RUN: None,
        FINAL_TEST_ACCURACY: None,
        "final_train_loss": None,
        "inspect": None,
        "wall_time_s": None,
        "provenance": {
            "git_commit": provenance._git("rev-parse", "HEAD"),
            "packages": provenance.package_versions(),
        },
    }
    record.update(observed)
    return record


def run_probe(spec: dict, out_path, log, timeout_s: float) -> str:
    """One probe in a fresh process (run_probes of one)."""
    return run_probes([spec], [out_path], log, timeout_s)[0]


def run_probes(specs: list[dict], out_paths: list, log, timeout_s: float) -> list[str]:
    """Probe several faults of one workload, framework and mode in one process logging to `log`
    (the probes are not timed: their outcome, not their speed, is the study's), each allowed
    `timeout_s`; fill in the record of a probe that could not write its own, and go on with the
    rest in a fresh process. A fault that needs a GPU, where the runs cannot compute on one (device
    cpu, or auto with no NVIDIA GPU), is recorded as not applicable without starting a framework
    (the probe itself checks again what its framework sees). Returns each probe's status."""
    pending = []
    for spec, out_path in zip(specs, map(Path, out_paths), strict=True):
        out_path.unlink(missing_ok=True)
        if spec["fault"] in REQUIRES_GPU and not runs_on_gpu({"device": spec["device"]}):
            write_result(
                out_path, new_record(spec, status="not_applicable", reason=NO_GPU_REASON), kind="debug"
            )
        else:
            pending.append((spec, out_path))
    while pending:
        batch = {"probes": [{"spec": spec, "out": str(out)} for spec, out in pending]}
        started = time.perf_counter()
        returncode = run_child(
            "fwbench.studies.debug.run",
            batch,
            pending[0][1],
            log,
            timeout_s,
            progress=lambda waiting=tuple(out for _, out in pending): sum(out.exists() for out in waiting),
        )
        left = [(spec, out) for spec, out in pending if not out.exists()]
        if not left:
            break
        (spec, out_path), pending = left[0], left[1:]  # the probe that was running when it ended
        wall = time.perf_counter() - started
        if returncode is None:
            record = new_record(
                spec, status="timeout", reason=f"probe exceeded {timeout_s:g} s", wall_time_s=wall
            )
        else:  # a hard crash of the process (e.g. a segfault) is a loud failure the user sees
            record = new_record(
                spec,
                status="ok",
                reason=f"probe {exit_reason(returncode)}",
                loud=True,
                error={"type": "ProcessCrash", "message": f"exit code {returncode}", "step": None},
                wall_time_s=wall,
            )
        write_result(out_path, record, kind="debug")
    return [read_result(out, kind="debug")["status"] for out in map(Path, out_paths)]
