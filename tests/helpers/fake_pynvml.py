"""A stand-in for nvidia-ml-py (tests/unit/test_gpu_paths.py copies it in as `pynvml` on the NVML
sampler child's path): 60 % then 80 % utilisation, 3 GiB used on the card, 1 GiB of it by the
process FAKE_NVML_PID, 1000 mJ more energy at every reading."""

import os
import types

_energy_mj = [0]
_utilization = iter([60, 80, 80, 80, 80, 80, 80, 80] + [80] * 100_000)
PID = int(os.environ.get("FAKE_NVML_PID", "0"))


def nvmlInit():
    pass


def nvmlShutdown():
    pass


def nvmlDeviceGetHandleByIndex(index):
    return f"gpu{index}"


def nvmlDeviceGetHandleByUUID(uuid):
    return uuid


def nvmlDeviceGetUtilizationRates(_handle):
    return types.SimpleNamespace(gpu=next(_utilization))


def nvmlDeviceGetMemoryInfo(_handle):
    return types.SimpleNamespace(used=3 * 2**30)


def nvmlDeviceGetComputeRunningProcesses(_handle):
    return [
        types.SimpleNamespace(pid=PID, usedGpuMemory=2**30),
        types.SimpleNamespace(pid=PID + 1, usedGpuMemory=5 * 2**30),  # another process: not ours
    ]


def nvmlDeviceGetTotalEnergyConsumption(_handle):
    _energy_mj[0] += 1000
    return _energy_mj[0]
