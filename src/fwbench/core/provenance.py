"""Provenance recorded in every result: code version, packages, machine, threads, the runtime
environment variables, device and data hash."""

import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata

from fwbench import REPO_ROOT
from fwbench.core.columns import CPU_MODEL

PACKAGES = (
    "torch",
    "tensorflow",
    "tensorflow-cpu",
    "keras",
    "jax",
    "jaxlib",
    "numpy",
    "mnist1d",
    "snakemake",
    "dvc",
)
# environment variables that change threading, kernels or numerics of a framework (OpenMP, Intel
# OpenMP/MKL, OpenBLAS, oneDNN, TF, XLA, PyTorch, Keras, CUDA): recorded, never set by fwbench
RUNTIME_ENV_PREFIXES = (
    "OMP_", "KMP_", "MKL_", "OPENBLAS_", "ONEDNN_", "DNNL_", "TF_", "XLA_", "TORCH", "PYTORCH_",
    "KERAS_", "CUDA_", "NVIDIA_TF32",
)  # fmt: skip


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_json(obj) -> str:
    """Hash of a JSON-able object, independent of key order."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def _git(*args) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def environment() -> dict:
    """Every installed distribution, as the hash of its sorted name==version lines (one figure that
    differs whenever any package does, scipy and onnxruntime included) and their count; the named
    PACKAGES are listed in full beside it."""
    pins = sorted(
        {
            f"{dist.metadata['Name'].lower()}=={dist.version}"
            for dist in metadata.distributions()
            if dist.metadata["Name"]
        }
    )
    return {"sha256": hashlib.sha256("\n".join(pins).encode()).hexdigest(), "distributions": len(pins)}


def package_versions() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def gpu_driver() -> str | None:
    """NVIDIA driver version through NVML, or None where there is no NVIDIA driver."""
    try:
        import pynvml

        pynvml.nvmlInit()
        try:
            return pynvml.nvmlSystemGetDriverVersion()
        finally:
            pynvml.nvmlShutdown()
    except Exception:  # no library, no driver, no device: all mean "no NVIDIA GPU here"
        return None


def runtime_env() -> dict:
    """The run's threading, kernel and numerics environment variables (RUNTIME_ENV_PREFIXES)."""
    variables = sorted(os.environ.items())
    return {name: value for name, value in variables if name.startswith(RUNTIME_ENV_PREFIXES)}


def code_version() -> dict:
    """The commit of the code that ran, and whether tracked files differed from it."""
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"git_commit": _git("rev-parse", "HEAD"), "git_dirty": None if status is None else bool(status)}


def collect(*, threads: dict, device: dict, data_sha256: str) -> dict:
    return {
        **code_version(),
        "python": sys.version.split()[0],
        "packages": package_versions(),
        "environment": environment(),
        "hostname": socket.gethostname(),
        "platform": platform.platform(),
        CPU_MODEL: cpu_model(),
        "threads": threads,
        "runtime_env": runtime_env(),
        "device": {**device, "driver": gpu_driver()},
        "data_sha256": data_sha256,
        "started_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }
