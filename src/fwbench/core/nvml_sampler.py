"""NVML sampler: GPU utilisation, memory and energy while timed training steps run, polled off the
timed process.

The training loop (fwbench.runs.training) starts one sampler for the steady-state steps and pauses it
around evaluations. The polling runs in a child process (`python -m fwbench.core.nvml_sampler`), so no
sampling code holds the timed process's GIL or wakes a thread of it between two steps: the timed
process only writes a command line to the child at resume and pause, outside the timed steps, and
waits for its acknowledgement (so a window starts and ends where the loop says). The child polls
NVML (nvidia-ml-py) every `interval_s` while active; energy is the difference of the card's
cumulative energy counter over the active windows. On a CPU run, or where NVML or the card is
missing, the sampler does nothing and every figure it reports is None (not applicable, never 0).
NVML ignores CUDA_VISIBLE_DEVICES, so the visible card is mapped back to its NVML index/UUID here.
"""

import json
import os
import queue
import subprocess
import sys
import threading

METRIC_KEYS = (
    "gpu_utilization_pct_mean",
    "gpu_memory_used_mb_max",
    "gpu_process_memory_mb_max",
    "gpu_energy_j",
    "gpu_energy_j_per_sample",
    "gpu_samples",
)
CHILD_TIMEOUT_S = 60  # longest wait for the child's answer to one command


def _visible_handle(pynvml):
    """The NVML handle of CUDA device 0 as the frameworks see it."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")[0].strip()
    if visible.startswith(("GPU-", "MIG-")):
        return pynvml.nvmlDeviceGetHandleByUUID(visible)
    return pynvml.nvmlDeviceGetHandleByIndex(int(visible) if visible.isdigit() else 0)


class NvmlSampler:
    """Use: s = NvmlSampler(enabled=device_kind == "cuda"); s.resume(); ...; s.pause(); s.summary(n)."""

    def __init__(self, *, enabled: bool, interval_s: float = 0.05):
        self.interval_s = interval_s
        self.unavailable_reason = None if enabled else "not a GPU run"
        self._child = None
        self._active = False
        if enabled:
            self._start_child()

    def _start_child(self) -> None:
        command = [sys.executable, "-m", "fwbench.core.nvml_sampler", str(self.interval_s), str(os.getpid())]
        try:
            child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        except OSError as exc:
            self.unavailable_reason = f"NVML sampler could not start: {exc}"
            return
        self._child = child
        answer = self._read()
        if not answer.get("ok"):
            self.unavailable_reason = answer.get("reason") or "NVML sampler stopped"
            self._close_child()

    def _read(self) -> dict:
        line = self._child.stdout.readline()
        return json.loads(line) if line.strip() else {}

    def _ask(self, command: str) -> dict:
        try:
            self._child.stdin.write(command + "\n")
            self._child.stdin.flush()
            return self._read()
        except (OSError, ValueError) as exc:  # the child died: the run goes on, its figures stay None
            self.unavailable_reason = f"NVML sampler stopped: {exc}"
            self._child.kill()
            self._child = None
            return {}

    def _close_child(self) -> None:
        try:
            self._child.wait(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._child.kill()
        self._child = None

    @property
    def available(self) -> bool:
        return self._child is not None

    def resume(self) -> None:
        if self.available and not self._active:
            self._ask("resume")
            self._active = True

    def pause(self) -> None:
        if self.available and self._active:
            self._ask("pause")
            self._active = False

    def summary(self, samples_processed: int) -> dict:
        """The sampler's figures for the run's metrics; every value None when it could not sample."""
        self.pause()
        if not self.available:  # never started, or stopped: nothing sampled is trusted
            return dict.fromkeys(METRIC_KEYS)
        samples = self._ask("stop")
        if self.available:
            self._close_child()
        return figures(samples, samples_processed)


def figures(samples: dict, samples_processed: int) -> dict:
    """The run's GPU figures from the child's samples (utilisation %, memory MB, energy mJ)."""
    utilization = samples.get("utilization") or []
    if not utilization:
        return dict.fromkeys(METRIC_KEYS)
    energy_mj, process_mb = samples.get("energy_mj"), samples.get("process_mb") or []
    energy_j = None if energy_mj is None else energy_mj / 1e3
    return {
        "gpu_utilization_pct_mean": float(sum(utilization) / len(utilization)),
        "gpu_memory_used_mb_max": float(max(samples["memory_mb"])),
        "gpu_process_memory_mb_max": float(max(process_mb)) if process_mb else None,
        "gpu_energy_j": energy_j,
        "gpu_energy_j_per_sample": (
            energy_j / samples_processed if energy_j is not None and samples_processed else None
        ),
        "gpu_samples": len(utilization),
    }


class _Poller:
    """The child's side: NVML's handle of the visible card, the samples, the energy windows."""

    def __init__(self, pynvml, pid: int):
        self.nv, self.handle, self.pid = pynvml, _visible_handle(pynvml), pid
        self.samples = {"utilization": [], "memory_mb": [], "process_mb": [], "energy_mj": 0}
        self._energy_start = None

    def energy_counter_mj(self):
        try:
            return self.nv.nvmlDeviceGetTotalEnergyConsumption(self.handle)
        except Exception:  # pre-Volta cards have no energy counter
            return None

    def sample(self) -> None:
        nv, handle = self.nv, self.handle
        self.samples["utilization"].append(nv.nvmlDeviceGetUtilizationRates(handle).gpu)
        self.samples["memory_mb"].append(nv.nvmlDeviceGetMemoryInfo(handle).used / 2**20)
        for proc in nv.nvmlDeviceGetComputeRunningProcesses(handle):
            if proc.pid == self.pid and proc.usedGpuMemory is not None:
                self.samples["process_mb"].append(proc.usedGpuMemory / 2**20)

    def start_window(self) -> None:
        self._energy_start = self.energy_counter_mj()

    def end_window(self) -> None:
        end = self.energy_counter_mj()
        if end is not None and self._energy_start is not None and self.samples["energy_mj"] is not None:
            self.samples["energy_mj"] += end - self._energy_start
        else:
            self.samples["energy_mj"] = None
        self._energy_start = None


def _reply(message: dict) -> None:
    print(json.dumps(message), flush=True)


def serve(interval_s: float, pid: int) -> None:
    """The child process: answer each command line on stdin (resume, pause, stop) with one JSON
    line on stdout, and sample every interval_s while between a resume and a pause."""
    try:
        import pynvml

        pynvml.nvmlInit()
        poller = _Poller(pynvml, pid)
    except Exception as exc:  # no library, driver or card: the figures stay None
        _reply({"ok": False, "reason": f"NVML unavailable: {exc}"})
        return
    _reply({"ok": True})
    commands: queue.Queue = queue.Queue()

    def read_commands():
        for line in sys.stdin:
            commands.put(line.strip())
        commands.put("")  # the parent's end of the pipe closed

    threading.Thread(target=read_commands, daemon=True).start()
    active = False
    while True:
        try:
            command = commands.get(timeout=interval_s if active else None)
        except queue.Empty:
            try:
                poller.sample()
            except Exception:  # a failed poll loses one sample, not the run
                pass
            continue
        if command == "resume" and not active:
            poller.start_window()
            active = True
        elif command == "pause" and active:
            poller.end_window()
            active = False
        if command in ("stop", ""):
            _reply(poller.samples)
            break
        _reply({"ok": True})
    try:
        pynvml.nvmlShutdown()
    except Exception:
        pass


if __name__ == "__main__":
    serve(float(sys.argv[1]), int(sys.argv[2]))
