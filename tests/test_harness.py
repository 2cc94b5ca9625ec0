"""The two harnesses: same optimiser semantics, modes, thread settings, device selection."""

import numpy as np
import pytest

from fwbench import harness

ADAM = {"name": "adam", "lr": 1e-2, "eps": 1e-8, "weight_decay": 0, "momentum": 0}


def test_adam_has_the_same_hyper_parameters_in_both_frameworks():
    from fwbench import harness_tf, harness_torch

    torch_opt = harness_torch.make_optimizer([harness_torch.torch.zeros(1, requires_grad=True)], ADAM)
    keras_opt = harness_tf.make_optimizer(ADAM)
    defaults = torch_opt.defaults
    assert defaults["lr"] == pytest.approx(float(keras_opt.learning_rate))
    assert defaults["eps"] == keras_opt.epsilon  # Keras's default is 1e-7, PyTorch's 1e-8: set explicitly
    assert defaults["betas"] == (keras_opt.beta_1, keras_opt.beta_2)
    assert defaults["weight_decay"] == 0 and keras_opt.weight_decay is None


def test_adamw_decouples_weight_decay_in_both():
    from fwbench import harness_tf, harness_torch

    cfg = {**ADAM, "name": "adamw", "weight_decay": 0.01}
    torch_opt = harness_torch.make_optimizer([harness_torch.torch.zeros(1, requires_grad=True)], cfg)
    keras_opt = harness_tf.make_optimizer(cfg)
    assert type(torch_opt).__name__ == "AdamW" and type(keras_opt).__name__ == "AdamW"
    assert torch_opt.defaults["weight_decay"] == keras_opt.weight_decay == 0.01


@pytest.mark.parametrize("framework", ["torch", "tf"])
def test_threads_and_device_are_recorded(harnesses, framework):
    h = harnesses[framework]
    assert h.thread_info() == {"intra_op": 2, "inter_op": 2}
    assert h.device_info() == {"requested": "cpu", "kind": "cpu", "name": "cpu"}
    assert h.peak_device_memory_mb() is None  # not applicable on a CPU: None, never 0


@pytest.mark.parametrize("framework,mode", [("torch", "graph"), ("tf", "compile"), ("tf", "turbo")])
def test_unknown_mode_is_unsupported(framework, mode):
    with pytest.raises(harness.UnsupportedMode, match="modes are"):
        harness.check_mode(framework, mode)


def test_cuda_request_without_gpu_is_refused_by_both():
    from fwbench import harness_tf, harness_torch

    if harness_torch.torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(harness.DeviceUnavailable):
        harness_torch.resolve_device("cuda")
    with pytest.raises(harness.DeviceUnavailable):
        harness_tf.select_device("cuda")
    assert harness_torch.resolve_device("auto").type == "cpu"
    assert harness_tf.select_device("auto") == "cpu"


def test_missing_framework_is_reported_with_its_name(monkeypatch):
    import importlib

    real_import = importlib.import_module

    def fake_import(name, *args):
        if name == "fwbench.harness_tf":
            raise ModuleNotFoundError("No module named 'tensorflow'", name="tensorflow")
        return real_import(name, *args)

    monkeypatch.setattr(harness.importlib, "import_module", fake_import)
    with pytest.raises(harness.FrameworkMissing, match="tensorflow"):
        harness.load_harness("tf", threads=1, device="cpu", seed=0)


@pytest.mark.parametrize("rank", [2, 3, 4])
def test_keras_kernel_layout_round_trip(rank):
    """Kernels of every rank convert to PyTorch's layout and back unchanged."""
    from fwbench import harness_tf

    rng = np.random.default_rng(0)
    value = rng.normal(size=(2, 3, 4, 5)[:rank]).astype(np.float32)

    class Var:
        path = "dense/kernel"

        def numpy(self):
            return value

    torch_layout = harness_tf._to_torch_layout(Var())
    np.testing.assert_array_equal(harness_tf._from_torch_layout(Var(), torch_layout), value)
