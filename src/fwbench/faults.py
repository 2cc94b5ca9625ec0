"""Fault-injection study of debugging effort (issue 5, claim C7): the framework-neutral part.

The faults are mutations of the clean code (fwbench.faults_torch / fwbench.faults_tf hold the text
mutations of each harness's `train_step` region), applied by the study, so every workload is put
through every fault. Each fault x framework x mode runs in a fresh process (fwbench.faults_probe)
for a short budget of steps; this module plans those runs, supervises them, classifies what they
observed, and aggregates the results into results/debug.csv and the debugging-effort index
(results/debug_index.csv). Rules: workflow/rules/debug.smk.

Classification (per run):
- loud: the framework raised an exception; step and wall time until it, its traceback and message;
- silent: it did not; then the documented sanity checks (SANITY_CHECKS) say whether and when it was
  caught; a silent fault that no check catches and whose accuracy stays within ABSORBED_MARGIN of the
  clean control is "absorbed" (the framework tolerated the mistake);
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

import numpy as np
import pandas as pd

from fwbench import FRAMEWORKS, provenance
from fwbench.harness import precision_of
from fwbench.results import read_result, write_result
from fwbench.supervise import exit_reason, run_child

SCHEMA_VERSION = 1
RESULT_PATTERN = "results/debug/{workload}/{framework}-{mode}-{fault}.json"

# fault id -> (taxonomy source, what it is, the property a good message names)
FAULTS = {
    "none": ("control", "the clean code (control run; also measures inspectability)", None),
    "shape_mismatch": (
        "Humbatova et al. ICSE'20 (wrong tensor shape); Zhang et al. ISSTA'18 (unaligned tensor)",
        "the input loses one feature on its last axis before the forward pass",
        "shape",
    ),
    "dtype_mismatch": (
        "Humbatova et al. ICSE'20 (wrong tensor type); Islam et al. FSE'19 (data type)",
        "float64 inputs given to a float32 model",
        "dtype",
    ),
    "device_placement": (
        "Humbatova et al. ICSE'20 (GPU usage: wrong device)",
        "the batch is put on (or computed on) the CPU while the model is on the GPU",
        "device",
    ),
    "wrong_loss_input": (
        "silent-bug literature; Humbatova et al. ICSE'20 (wrong loss input)",
        "probabilities (softmax) given where the loss expects logits",
        None,
    ),
    "wrong_softmax_axis": (
        "silent-bug literature; Islam et al. FSE'19 (API misuse: wrong axis)",
        "log-softmax taken over the batch axis instead of the class axis",
        None,
    ),
    "detached_gradient": (
        "silent-bug literature; Humbatova et al. ICSE'20 (missing gradient path)",
        "the model output detached / stop_gradient before the loss",
        None,
    ),
    "nan_bad_op": (
        "Zhang et al. ISSTA'18 (NaN/numerical errors); Islam et al. FSE'19",
        "log of the logits (negative values) in the loss input",
        None,
    ),
    "layout_nchw_nhwc": (
        "Humbatova et al. ICSE'20 (wrong input format); NCHW vs NHWC",
        "the batch reshaped where a transpose (layout change) was needed",
        None,
    ),
    "api_misuse": (
        "Islam et al. FSE'19, Zhang et al. ISSTA'18 (API misuse)",
        "torch: optimizer.zero_grad() forgotten; tf: .numpy() inside a tf.function",
        None,
    ),
}
FAULT_IDS = tuple(FAULTS)
REQUIRES_GPU = {"device_placement"}

# The documented sanity checks a careful user runs; thresholds are part of the method.
SANITY_CHECKS = {
    "nan_check": "the training loss is NaN or infinite (checked every step)",
    "loss_not_decreasing": "mean loss over the last eval_every steps > 0.95 x mean loss over the first "
    "eval_every // 3 steps (checked at every evaluation)",
    "accuracy_at_chance": "test accuracy <= 1/num_classes + 0.05 (checked at every evaluation)",
}
ABSORBED_MARGIN = 0.05
_SYMBOLIC = re.compile(r"Tensor\(\"|FakeTensor|KerasTensor|SymbolicTensor|<tf\.Tensor '|Proxy\(")
_MESSAGE_PATTERNS = {
    "shape": re.compile(r"shape|size|dimension|\(\d+, ?\d+|\[\d+, ?\d+|\d+x\d+", re.I),
    "dtype": re.compile(r"dtype|float(16|32|64)|double|int(32|64)|\blong\b", re.I),
    "device": re.compile(r"device|cuda|cpu|gpu", re.I),
}
# Index weights: equal by default; a reader re-weights with debug_index(rows, weights=...).
INDEX_WEIGHTS = {"detection": 1.0, "locality": 1.0, "message": 1.0, "inspectability": 1.0}
INSPECT_SCORE = {"every_step": 0.0, "trace_time_only": 0.5, "never": 1.0}


def run_id(workload: str, framework: str, mode: str, fault: str) -> str:
    return f"{workload}/{framework}-{mode}-{fault}"


def planned_fault_runs(config: dict, workloads) -> list[dict]:
    """Every (workload, framework, mode, fault) the config asks for (config key debug_workloads)."""
    wanted = config.get("debug_workloads", [])
    names = [w.name for w in workloads] if wanted == "all" else wanted
    return [
        {"workload": name, "framework": fw, "mode": mode, "fault": fault}
        for name in names
        for fw in FRAMEWORKS
        for mode in config["modes"].get(fw, [])
        if precision_of(mode) == "fp32"  # faults are studied per execution mode, in fp32
        for fault in FAULT_IDS
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
        "data_path": f"data/generated/{workload.spec['dataset']}.npz",
        "model_args": workload.spec.get("model_args", {}),
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
        "names_shape": bool(_MESSAGE_PATTERNS["shape"].search(message)),
        "names_dtype": bool(_MESSAGE_PATTERNS["dtype"].search(message)),
        "names_device": bool(_MESSAGE_PATTERNS["device"].search(message)),
        "message_chars": len(message),
        "traceback_lines": len(traceback_text.splitlines()),
    }


def locality(frames: list[tuple[str, int]], message: str, faulty_path: str, faulty_lines: list[int]) -> dict:
    """Does a traceback frame (filename, lineno), or the message, name the faulty line; how many
    frames lie between that frame and the last (raising) one; how many frames in all."""
    hit = None
    for i, (filename, lineno) in enumerate(frames):
        if os.path.basename(filename) == os.path.basename(faulty_path) and lineno in faulty_lines:
            hit = i
    name = re.escape(os.path.basename(faulty_path))
    in_message = any(re.search(rf"{name}\"?, line {n}\b", message) for n in faulty_lines)
    return {
        "traceback_names_faulty_line": hit is not None,
        "message_names_faulty_line": in_message,
        "frames_between": (len(frames) - 1 - hit) if hit is not None else None,
        "traceback_frames": len(frames),
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
        "steps_run": steps_run,
        "values_concrete": all(concrete) if outputs else None,
        "kind": kind,
        "first_output": outputs[0][:300] if outputs else None,
    }


def new_record(spec: dict, *, status: str, reason: str | None = None, **observed) -> dict:
    taxonomy, description, _ = FAULTS[spec["fault"]]
    record = {
        "schema_version": SCHEMA_VERSION,
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
        "steps_run": None,
        "final_test_accuracy": None,
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
    """Run one probe in a fresh process logging to `log`; fill in the record if it could not."""
    out_path = Path(out_path)
    started = time.perf_counter()
    returncode = run_child("fwbench.faults_probe", spec, out_path, log, timeout_s)
    wall = time.perf_counter() - started
    if returncode == 0 and out_path.exists():
        return read_result(out_path, kind="fault")["status"]
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
    write_result(out_path, record, kind="fault")
    return record["status"]


# --- aggregation and the index --------------------------------------------------------------------


def flatten(record: dict) -> dict:
    error = record["error"] or {}
    checks = record["checks"] or {}
    inspect = record["inspect"] or {}
    return {
        **{k: record[k] for k in ("run_id", "workload", "framework", "mode", "fault", "status", "reason")},
        "loud": record["loud"],
        "error_type": error.get("type"),
        "error_step": error.get("step"),
        "time_to_error_s": error.get("time_to_error_s"),
        "traceback_names_faulty_line": error.get("traceback_names_faulty_line"),
        "message_names_faulty_line": error.get("message_names_faulty_line"),
        "frames_between": error.get("frames_between"),
        "traceback_frames": error.get("traceback_frames"),
        "names_shape": error.get("names_shape"),
        "names_dtype": error.get("names_dtype"),
        "names_device": error.get("names_device"),
        "message_chars": error.get("message_chars"),
        "traceback_lines": error.get("traceback_lines"),
        "error_message": (error.get("message") or "")[:300] or None,
        **{f"{name}_step": checks.get(name) for name in SANITY_CHECKS},
        "steps_run": record["steps_run"],
        "final_test_accuracy": record["final_test_accuracy"],
        "inspect_kind": inspect.get("kind"),
        "inspect_print_steps": inspect.get("print_steps"),
        "wall_time_s": record["wall_time_s"],
    }


def classify_outcomes(table: pd.DataFrame) -> pd.DataFrame:
    """Add `outcome` (loud / silent_detected / silent_undetected / absorbed / control / n/a) and
    `detected_step` (first step an error or a sanity check revealed the fault)."""
    table = table.copy()
    check_cols = [f"{name}_step" for name in SANITY_CHECKS]
    table["detected_step"] = table[check_cols].apply(pd.to_numeric, errors="coerce").min(axis=1, skipna=True)
    control = table[table["fault"] == "none"].set_index(["workload", "framework", "mode"])[
        "final_test_accuracy"
    ]
    outcomes = []
    for row in table.itertuples(index=False):
        key = (row.workload, row.framework, row.mode)
        if row.status != "ok":
            outcomes.append("not_applicable" if row.status == "not_applicable" else "no_result")
        elif row.fault == "none":
            outcomes.append("control")
        elif row.loud:
            outcomes.append("loud")
        elif not pd.isna(row.detected_step):
            outcomes.append("silent_detected")
        elif key in control and row.final_test_accuracy >= control[key] - ABSORBED_MARGIN:
            outcomes.append("absorbed")
        else:
            outcomes.append("silent_undetected")
    table["outcome"] = outcomes
    table.loc[table["outcome"] == "loud", "detected_step"] = table["error_step"]
    return table


def effort_components(row) -> dict | None:
    """Per-fault effort in [0, 1] for detection, locality and message (0 = no effort)."""
    if row["outcome"] in ("absorbed",):
        return {"detection": 0.0, "locality": 0.0, "message": 0.0}
    if row["outcome"] == "loud":
        relevant = FAULTS[row["fault"]][2]
        names = bool(row[f"names_{relevant}"]) if relevant else bool(row["message_chars"])
        names_line = bool(row["traceback_names_faulty_line"]) or bool(row["message_names_faulty_line"])
        return {"detection": 0.0, "locality": 0.0 if names_line else 1.0, "message": 0.0 if names else 1.0}
    if row["outcome"] == "silent_detected":
        return {"detection": 0.5, "locality": 1.0, "message": 1.0}
    if row["outcome"] == "silent_undetected":
        return {"detection": 1.0, "locality": 1.0, "message": 1.0}
    return None  # control, not applicable, no result


def debug_index(table: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """The debugging-effort index per workload, framework and mode, with its components.

    index = 100 * sum_c w_c * C_c / sum_c w_c over c in (detection, locality, message,
    inspectability); detection/locality/message are means over the applicable faults of the
    per-fault scores of effort_components(); inspectability is INSPECT_SCORE of the control run's
    print probe. 0 = every fault loud, located and explained, prints work every step; 100 = worst.
    """
    weights = weights or INDEX_WEIGHTS
    rows = []
    for (workload, framework, mode), group in table.groupby(["workload", "framework", "mode"]):
        scored = [(r, effort_components(r)) for _, r in group.iterrows()]
        scored = [(r, c) for r, c in scored if c is not None]
        control = group[group["fault"] == "none"]
        inspect_kind = control["inspect_kind"].iloc[0] if len(control) else None
        comp = {
            key: (float(np.mean([c[key] for _, c in scored])) if scored else None)
            for key in ("detection", "locality", "message")
        }
        comp["inspectability"] = INSPECT_SCORE.get(inspect_kind)
        usable = {k: v for k, v in comp.items() if v is not None}
        total_w = sum(weights[k] for k in usable)
        index = 100 * sum(weights[k] * v for k, v in usable.items()) / total_w if total_w else None
        outcomes = group["outcome"].value_counts()
        rows.append(
            {
                "workload": workload,
                "framework": framework,
                "mode": mode,
                "effort_index": None if index is None else round(index, 1),
                **{f"{k}_effort": None if v is None else round(v, 3) for k, v in comp.items()},
                "inspect_kind": inspect_kind,
                "faults_scored": len(scored),
                **{
                    f"n_{o}": int(outcomes.get(o, 0))
                    for o in ("loud", "silent_detected", "silent_undetected", "absorbed")
                },
                "median_time_to_error_s": _median(group.loc[group["outcome"] == "loud", "time_to_error_s"]),
            }
        )
    return pd.DataFrame(rows)


def _median(values):
    values = pd.to_numeric(values, errors="coerce").dropna()
    return float(np.median(values)) if len(values) else None


def aggregate_debug(paths, *, rows_csv, index_csv) -> pd.DataFrame:
    """Every fault result -> results/debug.csv (one row per run) and results/debug_index.csv."""
    from fwbench.aggregate import write_csv_atomic

    table = pd.DataFrame([flatten(read_result(p, kind="fault")) for p in sorted(map(str, paths))])
    table = classify_outcomes(table)
    write_csv_atomic(table, rows_csv)
    write_csv_atomic(debug_index(table), index_csv)
    return table
