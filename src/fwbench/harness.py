"""Framework-neutral access to the per-framework harnesses (harness_torch.py, harness_tf.py).

Both harness modules define a `Harness` class with the same small interface:

    Harness(threads=int, device="auto"|"cpu"|"cuda", seed=int, deterministic=bool, precision="fp32"|"bf16")
    .device_info() -> dict           .thread_info() -> dict
    .build_model(impl, model_args)   .param_count(model) -> int
    .make_train_step(model, optimizer_cfg, mode) -> step(x, y) -> float loss (device synchronised);
                                     mode is an execution mode (EXECUTION_MODES)
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
# Execution modes: torch eager, torch.compile (default mode) and torch.compile(mode="max-autotune");
# Keras eager, tf.function (graph) and tf.function(jit_compile=True) (xla).
EXECUTION_MODES = {"torch": ("eager", "compile", "max_autotune"), "tf": ("eager", "graph", "xla")}
# A mode is an execution mode, run in fp32 (TF32 off), or with BF16_SUFFIX in bf16 mixed precision
# (torch.autocast / Keras's mixed_bfloat16 policy): e.g. compile_bf16, xla_bf16.
BF16_SUFFIX = "_bf16"
MODES = {fw: tuple(m + s for s in ("", BF16_SUFFIX) for m in modes) for fw, modes in EXECUTION_MODES.items()}


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


def precision_of(mode: str) -> str:
    """The numeric precision a mode name asks for: 'bf16' (mixed) or 'fp32'."""
    return "bf16" if mode.endswith(BF16_SUFFIX) else "fp32"


def split_mode(framework: str, mode: str) -> tuple[str, str]:
    """'compile_bf16' -> ('compile', 'bf16'), 'xla' -> ('xla', 'fp32'); UnsupportedMode if unknown."""
    check_mode(framework, mode)
    return mode.removesuffix(BF16_SUFFIX), precision_of(mode)


def eager_of(mode: str) -> str:
    """The eager mode of the same precision as `mode` (the baseline of a compiled mode)."""
    return "eager" + (BF16_SUFFIX if precision_of(mode) == "bf16" else "")


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


def load_harness_for_mode(framework: str, mode: str, **kwargs):
    """The harness for a run's mode (its precision set) and the mode's execution part."""
    execution_mode, precision = split_mode(framework, mode)
    return load_harness(framework, precision=precision, **kwargs), execution_mode
