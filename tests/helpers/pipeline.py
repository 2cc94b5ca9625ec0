"""Helpers for tests that run the Snakemake pipeline in a fresh copy of the checkout."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


# The end-to-end run covers every rule, study and mode once, not their product with every workload:
# one workload of each kind the code treats apart (a dense model, which the harness-overhead and
# debugging studies use; a recurrent one, which torch.compile does not trace whole; a token model,
# with embeddings and its own export path). Every workload found is built, trained and checked for
# parity in every framework by tests/studies/parity/test_parity.py.
E2E_WORKLOADS = ("mlp", "gru", "gpt")


# What the end-to-end run repeats less than the default run, since the repeats exercise no other code:
# one fault class beside the control on one workload (every class is applied and probed by
# tests/studies/debug), two inference processes per variant (the interleaving and the intervals need
# two); the quality study on every workload of the run (the default leaves the short recipes out).
E2E_TRIMS = (
    "debug_faults=[shape_mismatch]",
    "debug_workloads=[mlp]",
    "inference={runs: 2}",
    "quality_workloads=all",
)


def _every_mode_and_study() -> list[str]:
    """--config overrides that put back what config/tiny.yaml trims: config/config.yaml's modes
    and studies, so that the tiny scale runs the whole DAG (on E2E_WORKLOADS)."""
    full = yaml.safe_load((REPO / "config/config.yaml").read_text())
    modes = ", ".join(f"{framework}: [{', '.join(names)}]" for framework, names in full["modes"].items())
    return [
        "--config",
        f"modes={{{modes}}}",
        f"studies=[{', '.join(full['studies'])}]",
        f"workloads=[{', '.join(E2E_WORKLOADS)}]",
        *E2E_TRIMS,
    ]


EVERY_MODE_AND_STUDY = _every_mode_and_study()


def checkout_copy(target: Path) -> Path:
    """Copy what a clone would hold: tracked files plus new files git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def pipeline_env(copy: Path, extra_pythonpath: str = "") -> dict:
    """Run the copy's own code (not the installed checkout's) with the test's Python."""
    bin_dir = str(Path(sys.executable).parent)
    pythonpath = os.pathsep.join(filter(None, [extra_pythonpath, str(copy / "src")]))
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": pythonpath,
        "TF_CPP_MIN_LOG_LEVEL": "1",
    }


def snakemake(copy: Path, *args, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """`snakemake --cores all --configfile config/tiny.yaml ARGS` in `copy` (default profile applies)."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "all", "--configfile", "config/tiny.yaml", *args],
        cwd=copy,
        env=env or pipeline_env(copy),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def tracked_outside(copy, folders) -> list[str]:
    """Files of the copy, outside `folders`, that differ from the checkout it was copied from."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    return [
        name
        for name in filter(None, listed)
        if not name.startswith(tuple(folders))
        and (REPO / name).is_file()
        and (REPO / name).read_bytes() != (copy / name).read_bytes()
    ]
