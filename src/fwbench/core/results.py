"""Result files: versioned JSON Schemas, validated on write and on read, written atomically.

Each kind of result file has one schema in workflow/schemas/<kind>.schema.json carrying a
`schema_version` const. The kind "result" is a training run (one file per run: the speed
study's under results/runs/, the quality study's under results/quality/); later phases add their
own kinds through the same functions. A file is written atomically (temp file + rename), so a
killed job never leaves a partial file that reads as complete.
"""

import json
import traceback
from functools import cache
from pathlib import Path

import jsonschema

from fwbench import SCHEMA_DIR, frameworks
from fwbench.core.atomic import write_json_atomic

SCHEMA_VERSION = 5  # of the training-run kind, "result"
STATUSES = ("ok", "failed", "oom", "timeout", "diverged", "skipped", "unsupported")
OOM_EXCEPTIONS = {"OutOfMemoryError", "ResourceExhaustedError", "MemoryError"}
DEVICE_HINT = "set device: auto (or cpu) in config/config.yaml, or run on a machine with a GPU"


class Diverged(RuntimeError):
    """The training loss became NaN or Inf (status `diverged`)."""

    def __init__(self, step: int, loss: float):
        super().__init__(f"training loss became {loss} at step {step}")
        self.step = step


class ResultFileError(ValueError):
    """A result file that cannot be used: unreadable, corrupt, or of another schema version."""


@cache
def _validator(kind: str):
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def schema_version(kind: str = "result") -> int:
    return _validator(kind).schema["properties"]["schema_version"]["const"]


def validate(result: dict, kind: str = "result") -> None:
    """Raise jsonschema.ValidationError if `result` does not follow the schema of `kind`, or names
    a framework the registry does not have (the schemas allow any framework-shaped name, so that a
    framework is added by its registry row and folder alone)."""
    _validator(kind).validate(result)
    rows = [([], result), *((["rows", i], row) for i, row in enumerate(result.get("rows") or []))]
    for path, item in rows:
        if isinstance(item, dict) and "framework" in item and item["framework"] not in frameworks.REGISTRY:
            raise jsonschema.ValidationError(
                f"{item['framework']!r} is not a framework of the registry "
                f"({', '.join(frameworks.FRAMEWORKS)}; fwbench.frameworks)",
                path=[*path, "framework"],
            )


def write_result(path, result: dict, kind: str = "result") -> None:
    """Validate `result` against the schema of `kind`, then write it atomically."""
    validate(result, kind)
    write_json_atomic(path, result)


def read_result(path, kind: str = "result") -> dict:
    """Read and validate one result file; raise ResultFileError naming the file and the problem."""
    path = Path(path)
    try:
        result = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ResultFileError(f"{path}: not readable JSON ({exc})") from exc
    if not isinstance(result, dict):
        raise ResultFileError(f"{path}: top level is not a JSON object")
    version, expected = result.get("schema_version"), schema_version(kind)
    if version != expected:
        raise ResultFileError(
            f"{path}: schema_version {version!r}, expected {expected}; re-run that job "
            "(delete the file and run snakemake again)"
        )
    try:
        validate(result, kind)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ResultFileError(f"{path}: invalid at {where}: {exc.message}") from exc
    return result


def new_result(
    spec: dict,
    *,
    status: str,
    provenance: dict,
    error: dict | None = None,
    metrics: dict | None = None,
    curve: list | None = None,
    wall_time_s: float | None = None,
) -> dict:
    """A result record for the run described by `spec` (see fwbench.runs.plan.run_spec)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": spec["run_id"],
        "study": spec["study"],
        "workload": spec["workload"],
        "framework": spec["framework"],
        "mode": spec["mode"],
        "seed": spec["seed"],
        "scale": spec["scale"],
        "status": status,
        "error": error,
        "config": spec["config"],
        "provenance": provenance,
        "metrics": metrics,
        "curve": curve or [],
        "wall_time_s": wall_time_s,
    }


def error_record(exc_type: str, message: str, traceback_text: str = "", hint: str | None = None) -> dict:
    record = {
        "type": exc_type,
        "message": message[:2000],
        "traceback_tail": "\n".join(traceback_text.strip().splitlines()[-30:]),
    }
    if hint:
        record["hint"] = hint
    return record


def classify(exc: BaseException, framework: str) -> tuple[str, dict]:
    """Map an exception raised by a run of `framework` to (status, error record)."""
    tb = traceback.format_exc()
    name = type(exc).__name__
    if isinstance(exc, frameworks.FrameworkMissing):
        return "skipped", error_record(name, str(exc), tb, frameworks.row(framework).install_hint)
    if isinstance(exc, frameworks.DeviceUnavailable):
        return "skipped", error_record(name, str(exc), tb, DEVICE_HINT)
    if isinstance(exc, frameworks.UnsupportedMode):
        return "unsupported", error_record(name, str(exc), tb)
    if isinstance(exc, Diverged):
        return "diverged", error_record(name, str(exc), tb)
    if name in OOM_EXCEPTIONS:
        return "oom", error_record(name, str(exc), tb)
    return "failed", error_record(name, str(exc) or repr(exc), tb)
