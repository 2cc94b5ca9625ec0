"""Background NVML sampler: GPU utilisation, memory and energy while timed training steps run.

The training loop (fwbench.training) starts one sampler for the steady-state steps and pauses it
around evaluations. A daemon thread polls NVML (nvidia-ml-py) every `interval_s`; energy is the
difference of the card's cumulative energy counter over the active windows. On a CPU run, or where
NVML or the card is missing, the sampler does nothing and every figure it reports is None (not
applicable, never 0). NVML ignores CUDA_VISIBLE_DEVICES, so the visible card is mapped back to
its NVML index/UUID here.
"""

import os
import threading

METRIC_KEYS = (
    "gpu_utilization_pct_mean",
    "gpu_memory_used_mb_max",
    "gpu_process_memory_mb_max",
    "gpu_energy_j",
    "gpu_energy_j_per_sample",
    "gpu_samples",
)


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
        self._pynvml = self._handle = None
        self.unavailable_reason = None if enabled else "not a GPU run"
        if enabled:
            try:
                import pynvml

                pynvml.nvmlInit()
                self._pynvml, self._handle = pynvml, _visible_handle(pynvml)
            except Exception as exc:  # no library, driver or card: the figures stay None
                self.unavailable_reason = f"NVML unavailable: {exc}"
        self._utilization, self._memory_mb, self._process_mb = [], [], []
        self._energy_mj, self._energy_start = 0, None
        self._active = threading.Event()
        self._stop = threading.Event()
        self._thread = None

    @property
    def available(self) -> bool:
        return self._handle is not None

    def _energy_counter_mj(self):
        try:
            return self._pynvml.nvmlDeviceGetTotalEnergyConsumption(self._handle)
        except Exception:  # pre-Volta cards have no energy counter
            return None

    def _sample(self) -> None:
        nv, handle = self._pynvml, self._handle
        self._utilization.append(nv.nvmlDeviceGetUtilizationRates(handle).gpu)
        self._memory_mb.append(nv.nvmlDeviceGetMemoryInfo(handle).used / 2**20)
        pid = os.getpid()
        for proc in nv.nvmlDeviceGetComputeRunningProcesses(handle):
            if proc.pid == pid and proc.usedGpuMemory is not None:
                self._process_mb.append(proc.usedGpuMemory / 2**20)

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self._active.wait(timeout=self.interval_s) and not self._stop.is_set():
                try:
                    self._sample()
                except Exception:  # a failed poll loses one sample, not the run
                    pass
                self._stop.wait(self.interval_s)

    def resume(self) -> None:
        if not self.available or self._active.is_set():
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="nvml-sampler", daemon=True)
            self._thread.start()
        self._energy_start = self._energy_counter_mj()
        self._active.set()

    def pause(self) -> None:
        if not self.available or not self._active.is_set():
            return
        self._active.clear()
        end = self._energy_counter_mj()
        if end is not None and self._energy_start is not None:
            self._energy_mj += end - self._energy_start
        else:
            self._energy_mj = None
        self._energy_start = None

    def close(self) -> None:
        self.pause()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._pynvml is not None:
            try:
                self._pynvml.nvmlShutdown()
            except Exception:
                pass

    def summary(self, samples_processed: int) -> dict:
        """The sampler's figures for the run's metrics; every value None when it could not sample."""
        self.close()
        if not self._utilization:
            return dict.fromkeys(METRIC_KEYS)
        energy_j = None if self._energy_mj is None else self._energy_mj / 1e3
        return {
            "gpu_utilization_pct_mean": float(sum(self._utilization) / len(self._utilization)),
            "gpu_memory_used_mb_max": float(max(self._memory_mb)),
            "gpu_process_memory_mb_max": float(max(self._process_mb)) if self._process_mb else None,
            "gpu_energy_j": energy_j,
            "gpu_energy_j_per_sample": (
                energy_j / samples_processed if energy_j is not None and samples_processed else None
            ),
            "gpu_samples": len(self._utilization),
        }
