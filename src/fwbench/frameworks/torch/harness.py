"""PyTorch side of the harness: threads, device, determinism, model build, train and predict.

Idiomatic PyTorch: an nn.Module, an explicit training loop, torch.compile for the compiled modes
(default and "max-autotune"). A compiled mode compiles the whole training step (forward, loss,
backward, optimiser update), as PyTorch documents for training ("Compiling the optimizer with
torch.compile") and as tf.function covers on the TF side: Dynamo traces the step function, AOT
Autograd compiles the backward of its forward graph, the optimiser's update is a graph of its own,
and what Dynamo cannot trace (zero_grad, .backward(), a GRU) runs eagerly between graphs; the
graphs and graph breaks it got are recorded (compile_info). fp32 is true fp32 (TF32 off for matmuls
and cuDNN, as in the TF harness); bf16 runs the forward pass and loss under torch.autocast, as
PyTorch's AMP recipe does. Each run compiles into a fresh, private Inductor cache, so every run
pays (and reports) a cold compile instead of reusing kernels an earlier run left on disk. The one
thing carried over is the build of Inductor's CPU-feature probes (see prime_cpu_feature_probes): a
once-per-machine cost, not part of compiling a model.
"""

import atexit
import contextlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

if "TORCHINDUCTOR_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="fwbench-inductor-")
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from fwbench.frameworks import DeviceUnavailable, check_mode  # noqa: E402
from fwbench.frameworks.common import DENORMAL_FP32  # noqa: E402

COMPILE_MODES = {"compile": "default", "max_autotune": "max-autotune"}  # mode -> torch.compile(mode=)


def cpu_feature_probe_cache() -> Path:
    """Per-user, per-host, per-torch-version home of the probes' build outputs."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "fwbench" / "inductor-cpu-probes" / f"{platform.node()}-torch{torch.__version__}"


def build_cpu_feature_probes(target: Path) -> None:
    """Build Inductor's CPU-feature probes into the Inductor cache `target`, in a child process (so
    this process's own, in-memory record of the probes' outcome stays empty)."""
    probe = "from torch._inductor import cpu_vec_isa; cpu_vec_isa.pick_vec_isa()"
    env = {**os.environ, "TORCHINDUCTOR_CACHE_DIR": str(target)}
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, stdout=subprocess.DEVNULL)


def prime_cpu_feature_probes() -> None:
    """Put the built CPU-feature probes into this run's fresh Inductor cache.

    Inductor's first compile for the CPU builds tiny C++ programs that check which vector
    instructions (AVX2, AVX-512, VNNI, bf16) the CPU and compiler support, then loads them: the
    build takes about 7 s on 2 cores and, with a persistent Inductor cache, happens once per
    machine. So the build is done once per user and host (by the first run that needs it) and
    copied into each run's fresh cache; loading the probes happens in every process, for users as
    here, and stays inside the timed first step. What a run reports as compile time is then what a
    user sees the first time a process compiles this model on a machine that has compiled before.
    """
    shared = cpu_feature_probe_cache()
    if not shared.is_dir():
        shared.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=shared.parent, prefix=".staging-"))
        try:
            build_cpu_feature_probes(staging)
        except subprocess.CalledProcessError:  # no working compiler: torch.compile will say so itself
            shutil.rmtree(staging, ignore_errors=True)
            return
        shutil.rmtree(staging / "locks", ignore_errors=True)
        try:
            staging.rename(shared)
        except OSError:  # another run got there first: its build is as good as ours
            shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(shared, os.environ["TORCHINDUCTOR_CACHE_DIR"], dirs_exist_ok=True)


def for_mode(function, mode: str, device: torch.device | None = None, dynamic: bool | None = None):
    """`function` (a model, or a whole training step) as it runs in an execution mode:
    torch.compile'd for the compiled modes. `device`: where it computes (default: the model's);
    `dynamic`: torch.compile's (None: its default, static first, dynamic after a shape change;
    False: one static graph per input shape)."""
    if mode not in COMPILE_MODES:
        return function
    if device is None:
        parameter = next(function.parameters(), None)
        device = parameter.device if parameter is not None else torch.device("cpu")
    if device.type == "cpu":
        prime_cpu_feature_probes()
    return torch.compile(function, mode=COMPILE_MODES[mode], dynamic=dynamic)


def dynamo_graphs() -> dict:
    """What torch.compile made of this process's compiled functions (Dynamo's own counters): the
    graphs it compiled, the graph breaks and the first line of each distinct reason."""
    from torch._dynamo.utils import counters

    breaks = counters["graph_break"]
    return {
        "graphs": int(counters["stats"].get("unique_graphs", 0)),
        "graph_breaks": int(sum(breaks.values())),
        "break_reasons": sorted({reason.strip().splitlines()[0][:200] for reason in breaks}),
    }


def resolve_device(requested: str) -> torch.device:
    if requested == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if requested == "cuda":
        raise DeviceUnavailable("device 'cuda' requested but torch.cuda.is_available() is False")
    return torch.device("cpu")


def make_optimizer(params, cfg: dict) -> torch.optim.Optimizer:
    name, lr = cfg["name"], cfg["lr"]
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, eps=cfg["eps"])
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, eps=cfg["eps"], weight_decay=cfg["weight_decay"])
    return torch.optim.SGD(params, lr=lr, momentum=cfg["momentum"])


class Harness:
    framework = "torch"

    def __init__(
        self, *, threads: int, device: str, seed: int, deterministic: bool = True, precision: str = "fp32"
    ):
        torch.set_num_threads(threads)
        if torch.get_num_interop_threads() != threads:
            try:
                torch.set_num_interop_threads(threads)
            except RuntimeError:  # already fixed in this process; thread_info() records the truth
                pass
        self.threads = threads
        self.requested_device = device
        self.device = resolve_device(device)
        self.seed = seed
        self.precision = precision
        self.compiled = False  # set by make_train_step in a compiled mode
        # fp32 means fp32 on every card: no TF32 (cuDNN convolutions allow it by default)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        if deterministic:
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
            torch.use_deterministic_algorithms(True)
        # cuDNN's autotuner for the timed runs, as PyTorch's performance tuning guide recommends
        # for fixed input shapes (every batch of a run has one shape); off where results must repeat
        torch.backends.cudnn.benchmark = not deterministic

    def device_info(self) -> dict:
        name = torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else "cpu"
        return {
            "requested": self.requested_device,
            "kind": self.device.type,
            "name": name,
            "autotuning": {
                "cudnn_benchmark": bool(torch.backends.cudnn.benchmark),
                "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
            },
        }

    def synchronize(self) -> None:
        """Wait for the device's queued work (copies included); a no-op on the CPU."""
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

    def autocast(self):
        """The numeric context of forward passes: bf16 autocast, or nothing at all in fp32 (an
        autocast context that is switched off still costs its entry and exit on every step:
        tens of microseconds, several per cent of a small model's step)."""
        if self.precision != "bf16":
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=torch.bfloat16)

    def thread_info(self) -> dict:
        return {
            "intra_op": torch.get_num_threads(),
            "inter_op": torch.get_num_interop_threads(),
            "denormals_flushed": (torch.tensor([DENORMAL_FP32]) * 1.0).item() == 0.0,
        }

    def build_model(self, impl, model_args: dict) -> torch.nn.Module:
        torch.manual_seed(self.seed)
        model = impl.build_model(**model_args).to(self.device)
        return model.double() if self.precision == "fp64" else model  # fp64: the parity check only

    @staticmethod
    def param_count(model: torch.nn.Module) -> int:
        return sum(p.numel() for p in model.parameters())

    # region: train_step
    def make_train_step(self, model: torch.nn.Module, optimizer_cfg: dict, mode: str):
        check_mode(self.framework, mode)
        optimizer = make_optimizer(model.parameters(), optimizer_cfg)
        model.train()

        def step(x, y):
            optimizer.zero_grad(set_to_none=True)
            with self.autocast():
                logits = model(x)
                loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            loss.backward()
            optimizer.step()
            return loss

        # one static graph: every batch of a run has the same shape (the incomplete last batch is
        # dropped), and a second model in the same process recompiles static rather than dynamic
        compiled_step = for_mode(step, mode, self.device, dynamic=False)
        self.compiled = compiled_step is not step

        def train_step(x, y) -> float:
            return compiled_step(x, y).item()  # .item() synchronises the device before the clock is read

        return train_step

    # endregion

    def compile_info(self) -> dict | None:
        """Graphs and graph breaks of the compiled step (None in eager mode)."""
        return dynamo_graphs() if self.compiled else None

    def to_tensors(self, x: np.ndarray, y: np.ndarray):
        """The batch on the run's device, copied there now (the shared loop synchronises before
        its clock starts)."""
        return self._input(x), torch.from_numpy(y).to(self.device)

    def _input(self, x: np.ndarray) -> torch.Tensor:
        """A batch of inputs on the device; float inputs in float64 under the parity check's fp64."""
        if self.precision == "fp64" and np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float64)
        return torch.from_numpy(x).to(self.device)

    # Parity check only (fwbench.studies.parity.run): outputs in either mode and loss gradients, no optimiser.
    def outputs(self, model: torch.nn.Module, x: np.ndarray, *, training: bool) -> np.ndarray:
        """The model's outputs in training mode (batch-norm on batch statistics; its running
        statistics move, as in a training step) or inference mode, as float64 numpy, without a
        gradient; the model's mode is left as it was."""
        was_training = model.training
        model.train(training)
        with torch.no_grad():
            out = model(self._input(x)).double().cpu().numpy()
        model.train(was_training)
        return out

    def gradients(self, model: torch.nn.Module, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """The training-mode loss gradient of every state_dict entry (zeros for buffers), in
        export_weights' order and layout. Batch-norm running statistics move, as in a step."""
        model.train()
        model.zero_grad(set_to_none=True)
        inputs, labels = self.to_tensors(x, y)
        logits = model(inputs)
        F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1)).backward()
        params = dict(model.named_parameters())
        grads = [
            params[key].grad if key in params else torch.zeros_like(value)
            for key, value in model.state_dict().items()
            if not key.endswith("num_batches_tracked")
        ]
        model.zero_grad(set_to_none=True)
        return [g.detach().double().cpu().numpy() for g in grads]

    # region: evaluate
    def predict(self, model: torch.nn.Module, x: np.ndarray) -> np.ndarray:
        was_training = model.training
        model.eval()
        with torch.inference_mode(), self.autocast():
            logits = model(torch.from_numpy(x).to(self.device)).float().cpu().numpy()
        model.train(was_training)
        return logits

    # endregion

    @staticmethod
    def export_weights(model: torch.nn.Module) -> list[np.ndarray]:
        return [
            value.detach().cpu().numpy().copy()
            for key, value in model.state_dict().items()
            if not key.endswith("num_batches_tracked")
        ]

    @staticmethod
    def import_weights(model: torch.nn.Module, arrays) -> None:
        state = model.state_dict()
        keys = [k for k in state if not k.endswith("num_batches_tracked")]
        if len(keys) != len(arrays):
            raise ValueError(f"torch model has {len(keys)} tensors, got {len(arrays)} arrays")
        for key, array in zip(keys, arrays, strict=True):
            if tuple(state[key].shape) != tuple(array.shape):
                raise ValueError(f"{key}: shape {tuple(state[key].shape)} != {array.shape}")
            state[key] = torch.as_tensor(array)
        model.load_state_dict(state)

    def reset_peak_device_memory(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device)

    def peak_device_memory_mb(self) -> float | None:
        if self.device.type != "cuda":
            return None
        return torch.cuda.max_memory_allocated(self.device) / 2**20

    def peak_device_reserved_mb(self) -> float | None:
        """Peak memory held by PyTorch's caching allocator (allocated plus cached blocks)."""
        if self.device.type != "cuda":
            return None
        return torch.cuda.max_memory_reserved(self.device) / 2**20
