"""The GPU code paths, exercised on a CPU machine with fakes: device selection in both harnesses
(TensorFlow's memory growth, TF32 off) and the NVML sampler's arithmetic. The real GPU runs are
the pipeline's own (README, "GPU machines"); these tests keep the paths honest where none exists.
"""

import os
import sys
import time
import types

import pytest

from fwbench.nvml_sampler import METRIC_KEYS, NvmlSampler


def fake_pynvml(pid: int):
    """A stand-in for nvidia-ml-py: 60 % then 80 % utilisation, 1000 mJ per energy reading."""
    state = {"energy_mj": 0, "util": iter([60, 80, 80, 80, 80, 80, 80, 80] + [80] * 1000)}

    def energy(_handle):
        state["energy_mj"] += 1000
        return state["energy_mj"]

    return types.SimpleNamespace(
        nvmlInit=lambda: None,
        nvmlShutdown=lambda: None,
        nvmlDeviceGetHandleByIndex=lambda index: f"gpu{index}",
        nvmlDeviceGetHandleByUUID=lambda uuid: uuid,
        nvmlDeviceGetUtilizationRates=lambda _h: types.SimpleNamespace(gpu=next(state["util"])),
        nvmlDeviceGetMemoryInfo=lambda _h: types.SimpleNamespace(used=3 * 2**30),
        nvmlDeviceGetComputeRunningProcesses=lambda _h: [
            types.SimpleNamespace(pid=pid, usedGpuMemory=2**30),
            types.SimpleNamespace(pid=pid + 1, usedGpuMemory=5 * 2**30),  # another process: not ours
        ],
        nvmlDeviceGetTotalEnergyConsumption=energy,
    )


def test_nvml_sampler_reports_utilisation_memory_and_energy_per_sample(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", fake_pynvml(os.getpid()))
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    sampler = NvmlSampler(enabled=True, interval_s=0.001)
    assert sampler.available
    sampler.resume()  # energy reading 1000 mJ
    deadline = time.monotonic() + 30
    while len(sampler._utilization) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    sampler.pause()  # energy reading 2000 mJ: 1 J over the active window
    figures = sampler.summary(samples_processed=100)
    assert set(figures) == set(METRIC_KEYS)
    assert 60 < figures["gpu_utilization_pct_mean"] <= 80
    assert figures["gpu_memory_used_mb_max"] == 3 * 1024  # the whole card
    assert figures["gpu_process_memory_mb_max"] == 1024  # this process only
    assert figures["gpu_energy_j"] == pytest.approx(1.0)
    assert figures["gpu_energy_j_per_sample"] == pytest.approx(0.01)


def test_nvml_sampler_maps_cuda_visible_devices_to_the_nvml_card(monkeypatch):
    from fwbench import nvml_sampler

    nvml = fake_pynvml(0)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "3,1")
    assert nvml_sampler._visible_handle(nvml) == "gpu3"
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-1234")
    assert nvml_sampler._visible_handle(nvml) == "GPU-1234"


def test_a_missing_nvml_leaves_every_gpu_figure_null(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", None)  # import pynvml raises ImportError
    sampler = NvmlSampler(enabled=True)
    assert not sampler.available and sampler.unavailable_reason.startswith("NVML unavailable")
    assert sampler.summary(samples_processed=10) == dict.fromkeys(METRIC_KEYS)


def test_tensorflow_on_a_gpu_grows_memory_instead_of_taking_the_card(monkeypatch):
    from fwbench.frameworks.tf import harness as harness_tf

    gpu = types.SimpleNamespace(name="/physical_device:GPU:0", device_type="GPU")
    grown = []
    monkeypatch.setattr(
        harness_tf.tf.config, "list_physical_devices", lambda kind: [gpu] if kind == "GPU" else []
    )
    monkeypatch.setattr(
        harness_tf.tf.config.experimental, "set_memory_growth", lambda device, on: grown.append((device, on))
    )
    assert harness_tf.select_device("auto") == "cuda"
    assert harness_tf.select_device("cuda") == "cuda"
    assert grown == [(gpu, True), (gpu, True)]


def test_tensorflow_device_cpu_hides_the_gpus(monkeypatch):
    from fwbench.frameworks.tf import harness as harness_tf

    gpu = types.SimpleNamespace(name="/physical_device:GPU:0", device_type="GPU")
    hidden = []
    monkeypatch.setattr(harness_tf.tf.config, "list_physical_devices", lambda kind: [gpu])
    monkeypatch.setattr(
        harness_tf.tf.config, "set_visible_devices", lambda devices, kind: hidden.append(devices)
    )
    assert harness_tf.select_device("cpu") == "cpu"
    assert hidden == [[]]


def test_pytorch_takes_the_gpu_when_it_sees_one(monkeypatch):
    from fwbench.frameworks.torch import harness as harness_torch

    monkeypatch.setattr(harness_torch.torch.cuda, "is_available", lambda: True)
    assert harness_torch.resolve_device("auto").type == "cuda"
    assert harness_torch.resolve_device("cuda").type == "cuda"
    assert harness_torch.resolve_device("cpu").type == "cpu"
