"""The framework registry: what fwbench knows about each framework, and how code reaches its folder.

A framework is one folder, src/fwbench/frameworks/<name>/, whose name is also the value of the
rules' `{framework}` wildcard. Every folder has the same file names (as Keras 3's
keras/src/backend/<backend>/ do), each a *part*:

    harness.py     the Harness class (the protocol below): threads, device, model build, train step
    inference.py   mode_predictor(harness, model, mode) -> common.Predictor; exports(...) -> [common.Export]
    faults.py      MUTATIONS (the debugging study's text mutations of harness.py's train_step region)
                   and with_print_probe(model, stream)
    samples/*.py   optional: complete programs counted by the lines-of-code study (fwbench.studies.loc.run)
    bare_loop.py   optional: MODE, prebuilt(batches) and make_step(...), a hand-written loop of the same
                   model, the baseline of fwbench.studies.harness_overhead.run

plus any helpers its workloads' impl files import (torch/init.py). What all folders share lives in
common.py beneath them; what the two Keras runtimes (tf, jax) share, the Keras side of a harness
and keras/weight_layout.py, lives in frameworks/keras/ (a row's `api_folder`: not a framework of
its own, and both runtimes run each workload's one keras_impl.py). This module holds the facts
(one REGISTRY row per framework) and is imported at Snakefile parse time and by every run process
before anyone knows whether a framework is installed: it imports no framework, and the folders'
__init__.py files stay empty, so that a missing framework surfaces as FrameworkMissing (its runs
`skipped`) when a part is loaded, never earlier.
docs/extending.md, "Add a framework", says how to add a row and a folder.
"""

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Framework:
    """One registry row."""

    name: str  # folder name and {framework} wildcard value
    display_name: str  # how the report and the verdicts name it
    import_names: tuple[str, ...]  # top-level packages whose absence means "not installed"
    install_hint: str  # the one line a `skipped` run shows
    execution_modes: tuple[str, ...]  # the first is the eager mode (baseline of the others)
    impl_file: str  # each workload's model file for this framework (the Keras runtimes share one)
    harness_style: str  # how its harness writes a model and a step (lines-of-code tables)
    loc_baseline: str | None = None  # the samples/ program the customisation diffs start from
    customisation_file: str | None = None  # each customisation's program for this framework
    # modes that run the framework's own training loop (the harness's make_steps_runner), not the
    # hand-written step: the speed and quality studies time them; the inference sweep and the
    # debugging study (whose faults edit the hand-written step) leave them out
    own_loop_modes: tuple[str, ...] = ()
    # a folder of code the framework's folder shares with others built on the same API (the Keras
    # runtimes' frameworks/keras/); it may import that folder, and nothing else beside its own
    api_folder: str | None = None
    # checked against PARITY_REFERENCE by the parity study (its harness offers precision fp64,
    # outputs and gradients); every workload must then have its impl file
    parity: bool = False
    short_name: str = ""  # where a label names two frameworks (ratios): e.g. "TF"; display_name if empty


REGISTRY = {
    row.name: row
    for row in (
        Framework(
            name="torch",
            display_name="PyTorch",
            short_name="PyTorch",
            import_names=("torch",),
            install_hint="install PyTorch: pip install torch==2.13.0 (or run 'make setup')",
            # eager, torch.compile (default mode), torch.compile(mode="max-autotune")
            execution_modes=("eager", "compile", "max_autotune"),
            impl_file="torch_impl.py",
            harness_style="nn.Module + explicit step",
            loc_baseline="torch_loop",
            customisation_file="torch_impl.py",
        ),
        Framework(
            name="tf",
            display_name="TensorFlow/Keras",
            short_name="TF",
            import_names=("tensorflow", "keras"),
            install_hint="install TensorFlow: pip install tensorflow-cpu==2.21.0 keras==3.15.1 "
            "(GPU: tensorflow[and-cuda]==2.21.0), or run 'make setup'",
            # Keras eager, tf.function (graph), tf.function(jit_compile=True) (xla), model.fit (fit)
            execution_modes=("eager", "graph", "xla", "fit"),
            impl_file="keras_impl.py",
            harness_style="keras.Model + GradientTape step",
            loc_baseline="keras_fit",
            customisation_file="tf_impl.py",
            own_loop_modes=("fit",),
            api_folder="keras",
            parity=True,
        ),
        Framework(
            name="jax",
            display_name="JAX/Keras",
            short_name="JAX",
            import_names=("jax", "jaxlib", "keras"),
            install_hint='install JAX: pip install "jax[cpu]==0.10.2" keras==3.15.1 '
            "(GPU: \"jax[cuda12]==0.10.2\"), or run 'make setup'",
            # the same step op by op (eager), under jax.jit (jit), Keras model.fit (fit, jit_compile=True)
            execution_modes=("eager", "jit", "fit"),
            impl_file="keras_impl.py",
            harness_style="keras.Model + stateless JAX step",
            own_loop_modes=("fit",),
            api_folder="keras",
            parity=True,
        ),
    )
}
FRAMEWORKS = tuple(REGISTRY)
PARITY_REFERENCE = "torch"  # the parity check copies its weights into each parity framework's model
PARITY_FRAMEWORKS = tuple(name for name, fw in REGISTRY.items() if fw.parity)
FLOP_COUNTER = "torch"  # whose flops.py counts a step's FLOPs for every framework (the models are the same)
DISPLAY_NAMES = {name: row.display_name for name, row in REGISTRY.items()}
SHORT_NAMES = {name: row.short_name or row.display_name for name, row in REGISTRY.items()}

# A mode is an execution mode, run in fp32 (TF32 off), or with BF16_SUFFIX in bf16 mixed precision
# (torch.autocast / Keras's mixed_bfloat16 policy): e.g. compile_bf16, xla_bf16.
BF16_SUFFIX = "_bf16"
EXECUTION_MODES = {name: row.execution_modes for name, row in REGISTRY.items()}
MODES = {fw: tuple(m + s for s in ("", BF16_SUFFIX) for m in modes) for fw, modes in EXECUTION_MODES.items()}


class FrameworkMissing(RuntimeError):
    """The framework of a run is not importable; its runs are recorded as skipped."""


class DeviceUnavailable(RuntimeError):
    """The requested device (e.g. cuda) is not visible to the framework."""


class UnsupportedMode(RuntimeError):
    """The framework cannot run this execution mode (or this workload); recorded as unsupported."""


def row(framework: str) -> Framework:
    """The registry row of `framework`; ValueError naming the known ones otherwise."""
    if framework not in REGISTRY:
        raise ValueError(f"unknown framework {framework!r}; known: {', '.join(FRAMEWORKS)}")
    return REGISTRY[framework]


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


def runs_own_loop(framework: str, mode: str) -> bool:
    """Whether `mode` (bf16 or not) runs the framework's own training loop (Keras model.fit)."""
    return mode.removesuffix(BF16_SUFFIX) in row(framework).own_loop_modes


def eager_of(mode: str) -> str:
    """The eager mode of the same precision as `mode` (the baseline of a compiled mode)."""
    return "eager" + (BF16_SUFFIX if precision_of(mode) == "bf16" else "")


def module_name(framework: str, part: str) -> str:
    return f"{__name__}.{row(framework).name}.{part}"


def source(framework: str, part: str) -> Path:
    """The file of one part of a framework's folder (e.g. source('tf', 'harness'))."""
    return FOLDER / row(framework).name / f"{part}.py"


def samples(framework: str) -> dict[str, Path]:
    """The framework's complete sample programs (samples/<style>.py), by style name."""
    return {path.stem: path for path in sorted((FOLDER / row(framework).name / "samples").glob("*.py"))}


def load(framework: str, part: str):
    """Import one part of a framework's folder; FrameworkMissing if the framework is not installed."""
    try:
        return importlib.import_module(module_name(framework, part))
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in REGISTRY[framework].import_names:
            raise FrameworkMissing(f"{exc.name} is not installed") from exc
        raise


class Harness(Protocol):
    """What every frameworks/<name>/harness.py's `Harness` class offers, built as
    Harness(threads=int, device="auto"|"cpu"|"cuda", seed=int, deterministic=bool,
    precision="fp32"|"bf16"|"fp64" (fp64: the parity check only)).
    Everything else (data order, timing, evaluation, result files) is shared and lives outside the
    framework folders."""

    framework: str

    def device_info(self) -> dict:
        """{'requested', 'kind' ('cpu' | 'cuda'), 'name', 'autotuning'}: autotuning holds the
        kernel-autotuning and determinism switches in force (cuDNN's benchmark mode, XLA's level)."""

    def thread_info(self) -> dict:
        """{'intra_op', 'inter_op'}: the thread counts in force."""

    def build_model(self, impl, model_args: dict) -> Any:
        """The workload's model from its impl module, initialised from the harness's seed."""

    def param_count(self, model) -> int: ...

    def make_train_step(self, model, optimizer_cfg: dict, mode: str) -> Callable[[Any, Any], float]:
        """step(x, y) -> the loss as a Python float (so the device is synchronised); `mode` is an
        execution mode (EXECUTION_MODES). The step's body is the file's `# region: train_step`."""

    def to_tensors(self, x: np.ndarray, y: np.ndarray) -> tuple:
        """The batch as the framework's tensors on the run's device, copied there now: the shared
        loop builds a run of batches, then synchronize()s, then times the steps."""

    def synchronize(self) -> None:
        """Wait until the device has done all queued work (host-to-device copies included)."""

    # Optional, for the registry row's own_loop_modes (Keras fit):
    # make_steps_runner(model, optimizer_cfg, mode, x_train, y_train) -> run(batches) returning
    # [(step time in ns, loss), ...] for the index batches given, timed by the framework's own
    # per-step hook; None in the modes whose steps run in the shared loop (fwbench.runs.training).

    def predict(self, model, x: np.ndarray) -> np.ndarray:
        """Numpy logits in inference mode (the file's `# region: evaluate`)."""

    def export_weights(self, model) -> list[np.ndarray]:
        """The weights in PyTorch's layout and order (the parity check's common currency)."""

    def import_weights(self, model, arrays: Sequence[np.ndarray]) -> None: ...

    # The parity reference and PARITY_FRAMEWORKS also offer precision "fp64" (everything in float64) and:
    # outputs(model, x, *, training: bool) -> float64 logits in training or inference mode;
    # gradients(model, x, y) -> the loss gradient of every weight, in export_weights' order and layout.

    def compile_info(self) -> dict | None:
        """After training in a compiled mode: {'graphs', 'graph_breaks', 'break_reasons'} as the
        framework counts them (Dynamo's counters, tf.function's tracing count); None in eager mode."""

    def reset_peak_device_memory(self) -> None: ...

    def peak_device_memory_mb(self) -> float | None:
        """Peak device memory of the framework's allocator; None on the CPU."""

    def peak_device_reserved_mb(self) -> float | None: ...


def load_harness(framework: str, **kwargs) -> Harness:
    """Import the framework's harness and build its Harness; FrameworkMissing if absent."""
    return load(framework, "harness").Harness(**kwargs)


def load_harness_for_mode(framework: str, mode: str, **kwargs) -> tuple[Harness, str]:
    """The harness for a run's mode (its precision set) and the mode's execution part."""
    execution_mode, precision = split_mode(framework, mode)
    return load_harness(framework, precision=precision, **kwargs), execution_mode


def load_harness_for_run(spec: dict) -> tuple[Harness, str]:
    """load_harness_for_mode for a run spec (fwbench.runs.plan.run_spec): its threads, device, seed and
    determinism (set in the quality study only: fwbench.runs.plan.DETERMINISTIC_STUDIES)."""
    return load_harness_for_mode(
        spec["framework"],
        spec["mode"],
        threads=spec["threads"],
        device=spec["device"],
        seed=spec["seed"],
        deterministic=spec["config"]["deterministic"],
    )
