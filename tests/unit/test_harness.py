"""The framework harnesses (frameworks/<name>/harness.py): same optimiser semantics, modes,
thread settings, device selection."""

from pathlib import Path

import numpy as np
import pytest

from fwbench import frameworks

ADAM = {"name": "adam", "lr": 1e-2, "eps": 1e-8, "weight_decay": 0, "momentum": 0}


def test_adam_has_the_same_hyper_parameters_in_both_frameworks():
    from fwbench.frameworks.keras import shared
    from fwbench.frameworks.torch import harness as harness_torch

    torch_opt = harness_torch.make_optimizer([harness_torch.torch.zeros(1, requires_grad=True)], ADAM)
    keras_opt = shared.make_optimizer(ADAM)
    defaults = torch_opt.defaults
    assert defaults["lr"] == pytest.approx(float(keras_opt.learning_rate))
    assert defaults["eps"] == keras_opt.epsilon  # Keras's default is 1e-7, PyTorch's 1e-8: set explicitly
    assert defaults["betas"] == (keras_opt.beta_1, keras_opt.beta_2)
    assert defaults["weight_decay"] == 0 and keras_opt.weight_decay is None


def test_adamw_decouples_weight_decay_in_both():
    from fwbench.frameworks.keras import shared
    from fwbench.frameworks.torch import harness as harness_torch

    cfg = {**ADAM, "name": "adamw", "weight_decay": 0.01}
    torch_opt = harness_torch.make_optimizer([harness_torch.torch.zeros(1, requires_grad=True)], cfg)
    keras_opt = shared.make_optimizer(cfg)
    assert type(torch_opt).__name__ == "AdamW" and type(keras_opt).__name__ == "AdamW"
    assert torch_opt.defaults["weight_decay"] == keras_opt.weight_decay == 0.01


@pytest.mark.parametrize("framework", ["torch", "tf"])
def test_threads_and_device_are_recorded(harnesses, framework):
    h = harnesses[framework]
    threads = h.thread_info()
    assert {k: threads[k] for k in ("intra_op", "inter_op")} == {"intra_op": 2, "inter_op": 2}
    assert threads["denormals_flushed"] is (framework == "tf")  # measured; each framework's default
    device = h.device_info()
    assert {k: device[k] for k in ("requested", "kind", "name")} == {
        "requested": "cpu",
        "kind": "cpu",
        "name": "cpu",
    }
    assert (
        device["autotuning"]
        == {  # the session's harnesses are deterministic (the quality study's)
            "torch": {"cudnn_benchmark": False, "deterministic_algorithms": True},
            "tf": {"cudnn_autotune": True, "xla_gpu_autotune_level": 4, "op_determinism": True},
        }[framework]
    )
    assert h.peak_device_memory_mb() is None  # not applicable on a CPU: None, never 0


def test_timed_runs_turn_cudnns_autotuner_on_and_xlas_level_is_read_from_its_flags(monkeypatch):
    from fwbench.frameworks.common import xla_gpu_autotune_level
    from fwbench.frameworks.torch import harness as harness_torch

    monkeypatch.setattr(harness_torch.torch.backends.cudnn, "benchmark", False)  # restored afterwards
    monkeypatch.setattr(harness_torch.torch, "use_deterministic_algorithms", lambda on: None)
    timed = harness_torch.Harness(threads=2, device="cpu", seed=0, deterministic=False)
    assert timed.device_info()["autotuning"]["cudnn_benchmark"] is True
    assert xla_gpu_autotune_level("") == 4  # XLA's default
    assert xla_gpu_autotune_level("--xla_gpu_autotune_level=0 --xla_dump_to=/tmp") == 0


@pytest.mark.parametrize(
    "framework,mode", [("torch", "graph"), ("tf", "compile"), ("tf", "turbo"), ("tf", "max_autotune_bf16")]
)
def test_unknown_mode_is_unsupported(framework, mode):
    with pytest.raises(frameworks.UnsupportedMode, match="modes are"):
        frameworks.check_mode(framework, mode)


@pytest.mark.parametrize(
    "framework,mode,expected",
    [
        ("torch", "compile", ("compile", "fp32")),
        ("torch", "max_autotune_bf16", ("max_autotune", "bf16")),
        ("tf", "xla_bf16", ("xla", "bf16")),
        ("tf", "eager", ("eager", "fp32")),
    ],
)
def test_a_mode_names_its_execution_mode_and_precision(framework, mode, expected):
    assert frameworks.split_mode(framework, mode) == expected


def test_fp32_means_no_tensorfloat32_in_either_framework(harnesses):
    from fwbench.frameworks.tf import harness as harness_tf
    from fwbench.frameworks.torch import harness as harness_torch

    torch = harness_torch.torch
    assert not torch.backends.cuda.matmul.allow_tf32 and not torch.backends.cudnn.allow_tf32
    assert not harness_tf.tf.config.experimental.tensor_float_32_execution_enabled()


@pytest.mark.parametrize("framework", ["torch", "tf"])
def test_bf16_mixed_precision_trains_in_both_frameworks(framework, dataset_arrays):
    """bf16 (meant for GPUs) runs on the CPU too: the forward pass computes in bf16, weights stay
    fp32, the loss is finite and predictions come back as fp32."""
    from fwbench.runs.workloads import discover, load_impl

    workload = discover()["mlp"]
    h = frameworks.load_harness(framework, threads=2, device="cpu", seed=0, precision="bf16")
    try:
        model = h.build_model(
            load_impl(workload.impl_path(framework), f"bf16_{framework}"), workload.spec["model_args"]
        )
        data = dataset_arrays("mnist1d")
        step = h.make_train_step(model, workload.spec["optimizer"], "eager")
        losses = [step(*h.to_tensors(data["x_train"][:100], data["y_train"][:100])) for _ in range(3)]
        assert all(np.isfinite(losses)) and losses[-1] < losses[0]
        assert h.predict(model, data["x_test"][:8]).dtype == np.float32
        if framework == "tf":
            assert model.dtype_policy.name == "mixed_bfloat16"
            assert all(v.dtype == "float32" for v in model.trainable_variables)
        else:
            import torch

            with h.autocast():
                assert model(torch.from_numpy(data["x_test"][:2])).dtype == torch.bfloat16
            assert all(p.dtype == torch.float32 for p in model.parameters())
    finally:
        if framework == "tf":
            import keras

            keras.mixed_precision.set_global_policy("float32")  # other tests build fp32 models


def test_cuda_request_without_gpu_is_refused_by_both():
    from fwbench.frameworks.tf import harness as harness_tf
    from fwbench.frameworks.torch import harness as harness_torch

    if harness_torch.torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(frameworks.DeviceUnavailable):
        harness_torch.resolve_device("cuda")
    with pytest.raises(frameworks.DeviceUnavailable):
        harness_tf.select_device("cuda")
    assert harness_torch.resolve_device("auto").type == "cpu"
    assert harness_tf.select_device("auto") == "cpu"


@pytest.mark.parametrize("framework,package", [("tf", "tensorflow"), ("jax", "jax"), ("jax", "jaxlib")])
def test_missing_framework_is_reported_with_its_name(monkeypatch, framework, package):
    import importlib

    real_import = importlib.import_module

    def fake_import(name, *args):
        if name == f"fwbench.frameworks.{framework}.harness":
            raise ModuleNotFoundError(f"No module named '{package}'", name=package)
        return real_import(name, *args)

    monkeypatch.setattr(frameworks.importlib, "import_module", fake_import)
    with pytest.raises(frameworks.FrameworkMissing, match=package):
        frameworks.load_harness(framework, threads=1, device="cpu", seed=0)


@pytest.mark.parametrize("rank", [2, 3, 4])
def test_keras_kernel_layout_round_trip(rank):
    """Kernels of every rank convert to PyTorch's layout and back unchanged."""
    from fwbench.frameworks.keras import shared

    rng = np.random.default_rng(0)
    value = rng.normal(size=(2, 3, 4, 5)[:rank]).astype(np.float32)

    class Var:
        path = "dense/kernel"

    torch_layout = shared._to_torch_layout(Var(), value)
    np.testing.assert_array_equal(shared._from_torch_layout(Var(), torch_layout), value)


def test_cpu_feature_probes_are_built_once_and_copied_into_each_fresh_cache(tmp_path, monkeypatch):
    """Inductor's CPU-feature probes (a once-per-machine build) are shared between runs; nothing
    else of a run's Inductor cache is, so each run still compiles its model cold."""
    from fwbench.frameworks.torch import harness as harness_torch

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    builds = []

    def fake_build(target: Path):  # what the probes leave in a cache: built probes, lock files
        builds.append(target)
        (target / "ab").mkdir()
        (target / "ab" / "probe.so").write_text("built")
        (target / "locks").mkdir()

    monkeypatch.setattr(harness_torch, "build_cpu_feature_probes", fake_build)
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", str(tmp_path / run))
        harness_torch.prime_cpu_feature_probes()
        assert (tmp_path / run / "ab" / "probe.so").read_text() == "built"
    assert len(builds) == 1  # the second run found the probes built
    shared = harness_torch.cpu_feature_probe_cache()
    assert shared.is_relative_to(tmp_path / "xdg") and sorted(p.name for p in shared.iterdir()) == ["ab"]


def test_the_probe_build_leaves_built_probes_in_the_cache(tmp_path):
    from fwbench.frameworks.torch import harness as harness_torch

    harness_torch.build_cpu_feature_probes(tmp_path)
    assert list(tmp_path.rglob("*.so"))


def test_eager_mode_is_the_model_itself_and_primes_nothing(monkeypatch):
    import torch

    from fwbench.frameworks.torch import harness as harness_torch

    monkeypatch.setattr(harness_torch, "prime_cpu_feature_probes", lambda: pytest.fail("primed for eager"))
    model = torch.nn.Linear(2, 2)
    assert harness_torch.for_mode(model, "eager") is model
