"""Supervisor of one run: starts fwbench.runs.run_one in a fresh process, enforces the time budget,
and writes the result itself when that process could not (killed, timed out, crashed hard).

The run process writes its own result atomically; the supervisor only fills the gaps, so there is
exactly one result file per run whatever happens, and a half-written file is never left behind.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fwbench.core import provenance, results
from fwbench.runs.plan import with_config_hash

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PROGRESS_POLL_S = 2.0  # how often run_child looks at a child's progress


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGKILL it if the supervisor dies (even by kill -9),
    so no orphaned run goes on writing after its job was killed. A no-op elsewhere."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _fallback(spec: dict, out_path: Path, status: str, error: dict, wall_time_s: float) -> None:
    prov = provenance.collect(
        threads={"requested": spec["threads"]},
        device={"requested": spec["device"]},
        data_sha256=provenance.sha256_file(spec["data_path"]),
    )
    result = results.new_result(spec, status=status, provenance=prov, error=error, wall_time_s=wall_time_s)
    results.write_result(out_path, result)


def supervise(spec: dict, out_path, log, timeout_s: float, *, oom_retry_half_batch: bool = False) -> str:
    """Run `spec` in a child process logging to the open file `log`; return the run's status.

    With `oom_retry_half_batch`, a run that ends `oom` is run once more at half its batch size;
    the result then describes the retry (its config holds the batch size that ran) and records the
    first attempt under `retry`.
    """
    status = _attempt(spec, out_path, log, timeout_s)
    batch_size = spec["config"]["size"]["batch_size"]
    if status != "oom" or not oom_retry_half_batch or batch_size < 2:
        return status
    first_error = results.read_result(out_path)["error"]
    size = {**spec["config"]["size"], "batch_size": batch_size // 2}
    retry_spec = {**spec, "config": with_config_hash({**spec["config"], "size": size})}
    print(f"{spec['run_id']}: out of memory at batch {batch_size}; retrying at half", file=log)
    status = _attempt(retry_spec, out_path, log, timeout_s)
    result = results.read_result(out_path)
    result["retry"] = {"reason": "oom", "original_batch_size": batch_size, "first_error": first_error}
    results.write_result(out_path, result)
    return status


def run_child(module: str, spec: dict, out_path: Path, log, timeout_s: float, *, progress=None) -> int | None:
    """Run `python -m MODULE SPEC.json OUT` in a fresh process group that dies with this process,
    logging to `log`; return its exit code, or None when it ran past `timeout_s` and was killed.
    Any stale `out_path` is removed first, so a file there afterwards was written by this child.
    With `progress` (a callable whose value changes as the child finishes parts of its work), the
    budget is `timeout_s` from the last change: a child doing several things gets it for each."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.unlink(missing_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(spec, fh)
        spec_file = fh.name
    proc = subprocess.Popen(
        [sys.executable, "-m", module, spec_file, str(out_path)],
        stdout=log,
        stderr=log,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    # Snakemake stops jobs with SIGTERM: take the child's whole process group down with us.
    previous = signal.signal(signal.SIGTERM, lambda *_: (_kill_group(proc), sys.exit(143)))
    try:
        seen, deadline = (progress() if progress else None), time.monotonic() + timeout_s
        while True:
            try:
                return proc.wait(timeout=min(PROGRESS_POLL_S, timeout_s) if progress else timeout_s)
            except subprocess.TimeoutExpired:
                now = progress() if progress else None
                if progress and now != seen:
                    seen, deadline = now, time.monotonic() + timeout_s
                if not progress or time.monotonic() >= deadline:
                    _kill_group(proc)
                    return None
    finally:
        signal.signal(signal.SIGTERM, previous)
        Path(spec_file).unlink(missing_ok=True)


def exit_reason(returncode: int) -> str:
    """Why a child process ended without writing its result, in words."""
    if returncode < 0:
        reason = f"process killed by signal {signal.Signals(-returncode).name}"
        if -returncode == signal.SIGKILL:
            reason += " (often the kernel's out-of-memory killer)"
        return reason
    return f"process exited with code {returncode} before writing its result"


def _attempt(spec: dict, out_path, log, timeout_s: float) -> str:
    """One run of `spec` in a fresh process group; always leaves a valid result at `out_path`."""
    out_path = Path(out_path)
    started = time.perf_counter()
    returncode = run_child("fwbench.runs.run_one", spec, out_path, log, timeout_s)
    if returncode == 0 and out_path.exists():
        return results.read_result(out_path)["status"]
    if returncode is None:
        status, error = (
            "timeout",
            results.error_record(
                "Timeout",
                f"run exceeded its budget of {timeout_s:g} s and was killed",
                hint="raise timeout_s in config/config.yaml or use a smaller scale",
            ),
        )
    else:
        status, error = (
            "failed",
            results.error_record(
                "ProcessDied", f"run {exit_reason(returncode)}", hint="see the run's log under logs/train/"
            ),
        )
    _fallback(spec, out_path, status, error, time.perf_counter() - started)
    return status
