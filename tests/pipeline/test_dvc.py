"""DVC round trip: a fresh clone runs the README's `make report` (the tiny settings written into its
config), after which `dvc status` is clean; a second `dvc repro` does nothing; the results survive
push -> wipe -> pull byte for byte; and `dvc exp run -S` runs a variant.

The clone is a git repository made from a copy of the checkout (what `git clone` would hold); the
remote is a temporary folder, so nothing leaves the machine.
"""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers.pipeline import checkout_copy, pipeline_env

pytestmark = pytest.mark.e2e

PARAMS = "config/config.yaml"
# One workload, two modes, and of the optional studies only parity: the round trip is the point.
ONE_WORKLOAD = {
    "workloads": ["mlp"],
    "modes": {"torch": ["eager"], "tf": ["graph"]},
    "quality_modes": {"torch": ["eager"], "tf": ["graph"]},
    "studies": ["parity"],
}


def dotted(params: dict, prefix: str = "") -> list[str]:
    """{'a': {'b': 1}, 'c': [0]} -> ['a.b=1', 'c=[0]'] (the override syntax of `dvc exp run -S`)."""
    overrides = []
    for key, value in params.items():
        if isinstance(value, dict):
            overrides += dotted(value, f"{prefix}{key}.")
        else:
            overrides.append(f"{prefix}{key}={json.dumps(value)}")
    return overrides


def run(copy: Path, *command: str, timeout: int = 1500) -> subprocess.CompletedProcess:
    env = {**pipeline_env(copy), "DVC_NO_ANALYTICS": "1"}
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done


def dvc(copy: Path, *args: str) -> subprocess.CompletedProcess:
    return run(copy, sys.executable, "-m", "dvc", *args)


def tracked_paths(copy: Path) -> list[Path]:
    """Every path dvc.yaml's stages write (outs, metrics, plots)."""
    stages = yaml.safe_load((copy / "dvc.yaml").read_text())["stages"]
    paths = []
    for stage in stages.values():
        for section in ("outs", "metrics", "plots"):
            for entry in stage.get(section, []):
                paths.append(copy / (next(iter(entry)) if isinstance(entry, dict) else entry))
    return paths


def file_hashes(copy: Path) -> dict[str, str]:
    hashes = {}
    for path in tracked_paths(copy):
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                hashes[str(file.relative_to(copy))] = hashlib.sha256(file.read_bytes()).hexdigest()
    return hashes


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("clone"))
    for command in (
        ["git", "init", "-q"],
        ["git", "config", "user.email", "fwbench-test@localhost"],
        ["git", "config", "user.name", "fwbench test"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "clone"],
    ):
        run(copy, *command)
    config = {
        **yaml.safe_load((copy / PARAMS).read_text()),
        **yaml.safe_load((copy / "config/tiny.yaml").read_text()),
    }
    (copy / PARAMS).write_text(yaml.safe_dump({**config, **ONE_WORKLOAD}))
    # the README's command, with the test's environment as its set-up (-o: taken as made)
    venv = Path(sys.executable).parent.parent
    first = run(copy, "make", "-o", f"{venv}/.fwbench-installed-cpu", "report", f"VENV={venv}")
    return copy, first


def test_make_report_runs_the_study_and_leaves_dvc_up_to_date(clone):
    copy, _ = clone
    summary = (copy / "results/summary.csv").read_text()
    assert "mlp/torch-eager-seed0" in summary and "mlp/tf-graph-seed0" in summary
    assert (copy / "results/report.html").exists() and (copy / "dvc.lock").exists()
    status = dvc(copy, "status")
    assert "Data and pipelines are up to date" in status.stdout, status.stdout


def test_a_second_repro_does_nothing(clone):
    copy, _ = clone
    again = dvc(copy, "repro")
    assert "didn't change, skipping" in again.stdout and "Running stage" not in again.stdout
    status = dvc(copy, "status")
    assert "up to date" in status.stdout
    # and Snakemake, which DVC ran, agrees: `dvc repro` and `snakemake --cores all` are one thing
    dry = run(copy, sys.executable, "-m", "snakemake", "--cores", "all", "--dry-run")
    assert "Nothing to be done" in dry.stdout + dry.stderr


def test_metrics_show_lists_the_headline_figures(clone):
    copy, _ = clone
    shown = dvc(copy, "metrics", "show")
    assert "results/metrics.json" in shown.stdout and "test_accuracy_median" in shown.stdout


def test_push_wipe_pull_restores_identical_files(clone, tmp_path):
    copy, _ = clone
    before = file_hashes(copy)
    assert any(name.startswith("results/runs/") for name in before)
    remote = tmp_path / "remote"
    dvc(copy, "remote", "add", "--local", "scratch", str(remote))
    dvc(copy, "push", "-r", "scratch")
    shutil.rmtree(copy / ".dvc" / "cache")
    for path in tracked_paths(copy):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert file_hashes(copy) == {}
    dvc(copy, "pull", "-r", "scratch")
    assert file_hashes(copy) == before
    assert "up to date" in dvc(copy, "status").stdout


def test_exp_run_applies_a_param_and_runs_only_what_it_changes(clone):
    copy, _ = clone
    dvc(copy, "exp", "run", "-S", f"{PARAMS}:seeds=[0, 1]")
    assert yaml.safe_load((copy / PARAMS).read_text())["seeds"] == [0, 1]
    summary = (copy / "results/summary.csv").read_text()
    assert "mlp/torch-eager-seed1" in summary and "mlp/tf-graph-seed1" in summary
    assert "up to date" in dvc(copy, "status").stdout
