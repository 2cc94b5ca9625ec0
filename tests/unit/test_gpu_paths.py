"""The GPU code paths, exercised on a CPU machine with fakes: device selection in both harnesses
(TensorFlow's memory growth, TF32 off) and the NVML sampler's arithmetic. The real GPU runs are
the pipeline's own (README, "GPU machines"); these tests keep the paths honest where none exists.
"""

import os
import threading
import time
import types
from pathlib import Path

import pytest

from fwbench.core.nvml_sampler import METRIC_KEYS, NvmlSampler


def on_child_path(monkeypatch, tmp_path, module_text: str) -> None:
    """Put a pynvml module with `module_text` where the sampler's child process imports it from."""
    (tmp_path / "pynvml.py").write_text(module_text)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))


def with_fake_nvml(monkeypatch, tmp_path) -> None:
    on_child_path(
        monkeypatch, tmp_path, (Path(__file__).parents[1] / "helpers" / "fake_pynvml.py").read_text()
    )
    monkeypatch.setenv("FAKE_NVML_PID", str(os.getpid()))
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)


def test_nvml_sampler_reports_utilisation_memory_and_energy_per_sample(monkeypatch, tmp_path):
    with_fake_nvml(monkeypatch, tmp_path)
    sampler = NvmlSampler(enabled=True, interval_s=0.001)
    assert sampler.available
    sampler.resume()  # energy reading 1000 mJ
    time.sleep(0.5)  # the child samples every millisecond meanwhile
    sampler.pause()  # energy reading 2000 mJ: 1 J over the active window
    figures = sampler.summary(samples_processed=100)
    assert set(figures) == set(METRIC_KEYS)
    assert figures["gpu_samples"] >= 3
    assert 60 < figures["gpu_utilization_pct_mean"] <= 80
    assert figures["gpu_memory_used_mb_max"] == 3 * 1024  # the whole card
    assert figures["gpu_process_memory_mb_max"] == 1024  # the timed process only
    assert figures["gpu_energy_j"] == pytest.approx(1.0)
    assert figures["gpu_energy_j_per_sample"] == pytest.approx(0.01)


def test_nvml_sampler_polls_in_another_process_between_resume_and_pause_only(monkeypatch, tmp_path):
    """Off the timed process: no thread of it samples (its GIL stays the steps'); the child samples
    only inside the resume-pause windows, whose energy it adds up."""
    with_fake_nvml(monkeypatch, tmp_path)
    threads = threading.active_count()
    sampler = NvmlSampler(enabled=True, interval_s=0.001)
    assert sampler._child.pid != os.getpid()
    time.sleep(0.3)  # not resumed: nothing is sampled
    for _window in range(2):
        sampler.resume()
        assert threading.active_count() == threads
        sampler.pause()  # each window: two energy readings, 1000 mJ apart
    figures = sampler.summary(samples_processed=1)
    assert figures == dict.fromkeys(METRIC_KEYS) or figures["gpu_samples"] < 50
    assert figures["gpu_energy_j"] in (None, pytest.approx(2.0))


def test_nvml_sampler_maps_cuda_visible_devices_to_the_nvml_card(monkeypatch):
    from fwbench.core import nvml_sampler

    nvml = types.SimpleNamespace(
        nvmlDeviceGetHandleByIndex=lambda index: f"gpu{index}", nvmlDeviceGetHandleByUUID=lambda uuid: uuid
    )
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "3,1")
    assert nvml_sampler._visible_handle(nvml) == "gpu3"
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-1234")
    assert nvml_sampler._visible_handle(nvml) == "GPU-1234"


def test_a_missing_nvml_leaves_every_gpu_figure_null(monkeypatch, tmp_path):
    on_child_path(monkeypatch, tmp_path, "raise ImportError('no NVML library here')\n")
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
