"""What the framework folders share: the Predictor and Export shapes of the inference study, the
ONNX Runtime predictor that serves every framework's ONNX files, the denormal probe value, and
the reading of XLA's GPU autotuning flag (XLA serves TF's xla mode and JAX alike).

Beneath the framework folders in the import graph: frameworks/<name>/inference.py builds these,
fwbench.studies.inference.run (the framework-neutral sweep) consumes them. Imports no framework.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# A float32 denormal: a harness's thread_info multiplies it by 1 in its framework and records
# whether the result was flushed to zero (frameworks differ: TF's eager ops flush, PyTorch does not
# unless torch.set_flush_denormal is called; fwbench leaves each default and records it).
DENORMAL_FP32 = 1e-39


def xla_gpu_autotune_level(xla_flags: str) -> int:
    """XLA's GPU autotuning level in force (TF's XLA mode and JAX): --xla_gpu_autotune_level in
    XLA_FLAGS, else XLA's default (4: autotune and check the results)."""
    for flag in xla_flags.split():
        if flag.startswith("--xla_gpu_autotune_level="):
            return int(flag.split("=", 1)[1])
    return 4


@dataclass
class Predictor:
    """prepare(x numpy) -> device input (untimed); call(input) -> output, device-synchronised
    (the timed part); to_numpy(output) -> numpy array."""

    prepare: Callable[[np.ndarray], Any]
    call: Callable[[Any], Any]
    to_numpy: Callable[[Any], np.ndarray]

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.to_numpy(self.call(self.prepare(x))))


@dataclass
class Export:
    """One export format: build(workdir) -> (Predictor over the exported model, tool, file or None)."""

    format_name: str
    build: Callable[[Path], tuple]

    def __call__(self, workdir: Path) -> tuple:
        return self.build(workdir)


def onnx_predictor(path, *, threads: int, device_kind: str) -> Predictor:
    """An ONNX Runtime session over an exported file (CUDA provider on GPU runs where installed)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = threads
    providers = ["CPUExecutionProvider"]
    if device_kind == "cuda" and "CUDAExecutionProvider" in ort.get_available_providers():
        providers.insert(0, "CUDAExecutionProvider")
    session = ort.InferenceSession(str(path), options, providers=providers)
    input_name = session.get_inputs()[0].name
    return Predictor(
        prepare=lambda x: {input_name: np.ascontiguousarray(x)},  # the data's own dtype, as exported
        call=lambda feed: session.run(None, feed)[0],
        to_numpy=np.asarray,
    )
