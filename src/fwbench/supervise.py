"""Supervisor of one run: starts fwbench.run_one in a fresh process, enforces the time budget,
and writes the result itself when that process could not (killed, timed out, crashed hard).

The run process writes its own result atomically; the supervisor only fills the gaps, so there is
exactly one result file per run whatever happens, and a half-written file is never left behind.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fwbench import provenance, results


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


def supervise(spec: dict, out_path, log, timeout_s: float) -> str:
    """Run `spec` in a child process logging to the open file `log`; return the run's status."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.unlink(missing_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(spec, fh)
        spec_file = fh.name
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fwbench.run_one", spec_file, str(out_path)],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    # Snakemake stops jobs with SIGTERM: take the run's whole process group down with us.
    previous = signal.signal(signal.SIGTERM, lambda *_: (_kill_group(proc), sys.exit(143)))
    try:
        returncode = proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        _fallback(
            spec,
            out_path,
            "timeout",
            results.error_record(
                "Timeout",
                f"run exceeded its budget of {timeout_s:g} s and was killed",
                hint="raise timeout_s in config/config.yaml or use a smaller scale",
            ),
            time.perf_counter() - started,
        )
        return "timeout"
    finally:
        signal.signal(signal.SIGTERM, previous)
        Path(spec_file).unlink(missing_ok=True)
    if returncode == 0 and out_path.exists():
        return results.read_result(out_path)["status"]
    if returncode < 0:
        reason = f"run process killed by signal {signal.Signals(-returncode).name}"
        if -returncode == signal.SIGKILL:
            reason += " (often the kernel's out-of-memory killer)"
    else:
        reason = f"run process exited with code {returncode} before writing its result"
    _fallback(
        spec,
        out_path,
        "failed",
        results.error_record("ProcessDied", reason, hint="see the run's log under logs/train/"),
        time.perf_counter() - started,
    )
    return "failed"
