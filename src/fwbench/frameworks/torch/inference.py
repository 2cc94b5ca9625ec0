"""PyTorch side of the inference sweep (rule infer): mode predictors and exports.

Modes: eager (the nn.Module in eval mode under torch.inference_mode), compile and max_autotune
(torch.compile, default and "max-autotune" modes, dynamic=False: each batch size gets its own
static-shape graph, compiled during its untimed warm-up calls, as tf.function and XLA do); in
bf16 modes under the harness's autocast. Exports: `onnx` (torch.onnx.export with the dynamo
exporter and a dynamic batch dimension, run in ONNX Runtime) and `torch_export`
(torch.export.export, run through ExportedProgram.module()).
"""

import numpy as np
import torch

from fwbench.frameworks import check_mode
from fwbench.frameworks.common import Export, Predictor, onnx_predictor
from fwbench.frameworks.torch.harness import for_mode

MAX_BATCH = 1 << 20  # upper bound of the exported dynamic batch dimension


def _predictor(harness, forward) -> Predictor:
    device = harness.device

    def call(x):
        with torch.inference_mode(), harness.autocast():
            out = forward(x)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return out

    return Predictor(
        prepare=lambda x: torch.from_numpy(x).to(device),
        call=call,
        to_numpy=lambda out: out.detach().float().cpu().numpy(),
    )


SWEEP_SHAPES_MAX = 64  # static graphs one predictor may hold (Dynamo's default limit is 8)


def mode_predictor(harness, model: torch.nn.Module, mode: str) -> Predictor:
    check_mode(harness.framework, mode)
    model.eval()
    # one static graph per batch size: past Dynamo's recompile limit it would silently run eager
    torch._dynamo.config.recompile_limit = max(torch._dynamo.config.recompile_limit, SWEEP_SHAPES_MAX)
    return _predictor(harness, for_mode(model, mode, dynamic=False))


def _example(harness, example: np.ndarray) -> tuple:
    """The export's example input: rows of the data, so its dtype too (token ids are int64)."""
    return (torch.from_numpy(example).to(harness.device),)


def _dynamic_batch() -> tuple:
    return ({0: torch.export.Dim("batch", min=1, max=MAX_BATCH)},)


def exports(harness, model: torch.nn.Module, *, example: np.ndarray, threads: int) -> list[Export]:
    model.eval()

    def to_onnx(workdir):
        path = workdir / "model_torch.onnx"
        torch.onnx.export(
            model,
            _example(harness, example),
            str(path),
            dynamo=True,
            dynamic_shapes=_dynamic_batch(),
            input_names=["x"],
            output_names=["logits"],
            verbose=False,
        )
        tool = f"torch.onnx.export(dynamo=True) {torch.__version__} + onnxruntime"
        return onnx_predictor(path, threads=threads, device_kind=harness.device.type), tool, path

    def to_torch_export(workdir):
        program = torch.export.export(model, _example(harness, example), dynamic_shapes=_dynamic_batch())
        path = workdir / "model.pt2"
        torch.export.save(program, str(path))
        loaded = torch.export.load(str(path)).module()
        return _predictor(harness, loaded), f"torch.export {torch.__version__}", path

    return [Export("onnx", to_onnx), Export("torch_export", to_torch_export)]
