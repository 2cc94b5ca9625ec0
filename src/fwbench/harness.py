"""Framework-neutral access to the per-framework harnesses (harness_torch.py, harness_tf.py).

Both harness modules define a `Harness` class with the same small interface:

    Harness(threads=int, device="auto"|"cpu"|"cuda", seed=int, deterministic=bool)
    .device_info() -> dict           .thread_info() -> dict
    .build_model(impl, model_args)   .param_count(model) -> int
    .make_train_step(model, optimizer_cfg, mode) -> step(x, y) -> float loss (device synchronised)
    .to_tensors(x, y)                .predict(model, x) -> numpy logits (inference mode)
    .export_weights(model) / .import_weights(model, arrays)   weights in PyTorch's layout
    .reset_peak_device_memory() / .peak_device_memory_mb() -> float | None (None on CPU)

Everything else (data order, timing, evaluation, result files) is shared and lives elsewhere.
"""

import importlib

from fwbench import FRAMEWORKS

MODULES = {"torch": "fwbench.harness_torch", "tf": "fwbench.harness_tf"}
IMPORT_NAMES = {"torch": ("torch",), "tf": ("tensorflow", "keras")}
INSTALL_HINTS = {
    "torch": "install PyTorch: pip install torch==2.13.0 (or run 'make setup')",
    "tf": "install TensorFlow: pip install tensorflow-cpu==2.21.0 keras==3.15.1 "
    "(GPU: tensorflow[and-cuda]==2.21.0), or run 'make setup'",
}
MODES = {"torch": ("eager", "compile"), "tf": ("eager", "graph", "xla")}


class FrameworkMissing(RuntimeError):
    """The framework of a run is not importable; its runs are recorded as skipped."""


class DeviceUnavailable(RuntimeError):
    """The requested device (e.g. cuda) is not visible to the framework."""


class UnsupportedMode(RuntimeError):
    """The framework cannot run this execution mode; recorded as unsupported, not dropped."""


def check_mode(framework: str, mode: str) -> None:
    if mode not in MODES[framework]:
        raise UnsupportedMode(
            f"{framework} has no mode {mode!r}; its modes are {', '.join(MODES[framework])}"
        )


def load_harness(framework: str, **kwargs):
    """Import the framework's harness module and build its Harness; FrameworkMissing if absent."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; known: {', '.join(FRAMEWORKS)}")
    try:
        module = importlib.import_module(MODULES[framework])
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in IMPORT_NAMES[framework]:
            raise FrameworkMissing(f"{exc.name} is not installed") from exc
        raise
    return module.Harness(**kwargs)
