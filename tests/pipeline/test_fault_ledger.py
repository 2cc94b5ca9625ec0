"""The fault ledger (issue 8): every way a run or the pipeline can fail, injected and checked.

Each test injects one fault into a fresh copy of the checkout (or one supervised run) and checks
that the outcome is recorded as documented in the README's "When something fails"; nothing
already measured is lost and the other jobs go on.
"""

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
import yaml

from fwbench import frameworks
from fwbench.core.results import read_result
from tests.helpers.pipeline import checkout_copy, pipeline_env, snakemake

pytestmark = pytest.mark.e2e

# Training only (no optional studies), one mode per framework: the faults are in the runs.
# PyTorch and TF only (JAX's modes set empty over config/config.yaml's), one mode each
ONE_MODE_EACH = [
    "--config",
    "modes={torch: [eager], tf: [graph], jax: []}",
    "quality_modes={torch: [eager], tf: [graph], jax: []}",
    "studies=[]",
]


def add_workload(copy, name, *, torch_body=None, tf_body=None, **yaml_changes):
    """A copy of the mlp workload named `name`, with optional replacement build_model bodies."""
    source, folder = copy / "workflow/workloads/mlp", copy / f"workflow/workloads/{name}"
    folder.mkdir()
    spec = yaml.safe_load((source / "workload.yaml").read_text())
    for key, value in yaml_changes.items():
        spec[key] = {**spec[key], **value} if isinstance(value, dict) else value
    (folder / "workload.yaml").write_text(yaml.safe_dump(spec))
    for framework, body in (("torch", torch_body), ("tf", tf_body)):
        impl_file = frameworks.REGISTRY[framework].impl_file
        text = (source / impl_file).read_text()
        if body:
            text += "\n\n" + textwrap.dedent(body)  # a later build_model replaces the original
        (folder / impl_file).write_text(text)


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    """mlp plus three faulty workloads, run through the real pipeline with OOM retry on."""
    copy = checkout_copy(tmp_path_factory.mktemp("faulty"))
    add_workload(
        copy,
        "raises",
        torch_body="""
        def build_model(**kwargs):
            raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (100x40 and 41x100)")
    """,
    )
    add_workload(copy, "explodes", optimizer={"lr": 1.0e12})
    add_workload(
        copy,
        "hungry",
        torch_body="""
        import torch as _torch

        _build = build_model

        def build_model(**kwargs):
            model = _build(**kwargs)

            def refuse_big_batches(module, args):
                if module.training and args[0].shape[0] > 60:
                    raise _torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

            model.register_forward_pre_hook(refuse_big_batches)
            return model
    """,
    )
    config = ["workloads=[mlp, raises, explodes, hungry]", "oom_retry_half_batch=True"]
    run = snakemake(copy, *ONE_MODE_EACH, *config)
    assert run.returncode == 0, run.stderr[-4000:]
    return copy, pd.read_csv(copy / "results/summary.csv").set_index("run_id")


def test_a_raising_run_is_failed_with_its_error_and_the_others_go_on(faulty_run):
    copy, summary = faulty_run
    row = summary.loc["raises/torch-eager-seed0"]
    assert row["status"] == "failed" and "shapes cannot be multiplied" in row["error_message"]
    assert summary.loc["raises/tf-graph-seed0", "status"] == "ok"
    assert (summary.loc[["mlp/torch-eager-seed0", "mlp/tf-graph-seed0"], "status"] == "ok").all()
    tail = read_result(copy / "results/runs/raises/torch-eager-seed0.json")["error"]["traceback_tail"]
    assert "torch_impl.py" in tail


def test_nan_loss_is_diverged_with_the_step_in_both_frameworks(faulty_run):
    _, summary = faulty_run
    for run_id in ("explodes/torch-eager-seed0", "explodes/tf-graph-seed0"):
        assert summary.loc[run_id, "status"] == "diverged", summary.loc[run_id, "error_message"]
        assert summary.loc[run_id, "diverged_at_step"] >= 1


def test_out_of_memory_is_retried_once_at_half_the_batch_and_recorded(faulty_run):
    copy, summary = faulty_run
    row = summary.loc["hungry/torch-eager-seed0"]
    assert row["status"] == "ok" and row["batch_size"] == 50 and row["oom_retry_from_batch_size"] == 100
    retry = read_result(copy / "results/runs/hungry/torch-eager-seed0.json")["retry"]
    assert retry["first_error"]["type"] == "OutOfMemoryError"


def test_the_report_shows_the_failed_cells(faulty_run):
    copy, _ = faulty_run
    html = (copy / "results/report.html").read_text()
    assert "raises/torch-eager-seed0" in html and "diverged" in html


def test_a_missing_framework_skips_its_runs_and_the_other_goes_on(tmp_path):
    copy = checkout_copy(tmp_path / "checkout")
    stub = tmp_path / "no_tensorflow" / "tensorflow"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'tensorflow'\", name='tensorflow')\n"
    )
    env = pipeline_env(copy, extra_pythonpath=str(stub.parent))
    run = snakemake(copy, *ONE_MODE_EACH, "workloads=[mlp]", env=env)
    assert run.returncode == 0, run.stderr[-4000:]
    summary = pd.read_csv(copy / "results/summary.csv").set_index("run_id")
    skipped = summary.loc["mlp/tf-graph-seed0"]
    assert skipped["status"] == "skipped" and "pip install tensorflow" in skipped["error_hint"]
    assert summary.loc["mlp/torch-eager-seed0", "status"] == "ok"


def test_cuda_without_a_gpu_stops_before_any_job_with_one_line(tmp_path):
    copy = checkout_copy(tmp_path / "checkout")
    run = snakemake(copy, "--config", "device=cuda")
    if "NVIDIA GPU is visible" not in run.stderr and run.returncode == 0:
        pytest.skip("this machine has a GPU")
    assert run.returncode != 0 and not (copy / "results").exists()
    lines = [line for line in run.stderr.splitlines() if "no NVIDIA GPU is visible" in line]
    assert len(lines) == 1 and "device: auto" in lines[0]


def test_cuda_without_a_gpu_can_be_recorded_as_skipped_instead(tmp_path):
    copy = checkout_copy(tmp_path / "checkout")
    run = snakemake(copy, *ONE_MODE_EACH, "workloads=[mlp]", "device=cuda", "missing_device=skip")
    assert run.returncode == 0, run.stderr[-4000:]
    summary = pd.read_csv(copy / "results/summary.csv")
    if (summary["device_kind"] == "cuda").any():
        pytest.skip("this machine has a GPU")
    assert (summary["status"] == "skipped").all() and summary["error_hint"].str.contains("device: auto").all()


def train_jobs_snakemake_finished(log):
    """{output: jobid} of the train jobs that Snakemake's log records as finished.

    Only these are complete in Snakemake's eyes: a job killed after writing its result but before
    Snakemake recorded it (process teardown, benchmark file) is incomplete and rightly redone.
    """
    outputs = dict(
        re.findall(r"rule train:\n(?:    .*\n)*?    output: (\S+)\n(?:    .*\n)*?    jobid: (\d+)", log)
    )
    done = set(re.findall(r"Finished jobid: (\d+) \(Rule: train\)", log))
    return {output: jobid for output, jobid in outputs.items() if jobid in done}


def test_a_job_killed_mid_run_leaves_no_partial_result_and_only_it_is_redone(tmp_path):
    copy = checkout_copy(tmp_path / "checkout")
    args = [*ONE_MODE_EACH, "workloads=[mlp]", "seeds=[0, 1]"]
    command = [sys.executable, "-m", "snakemake", "--cores", "all", "--configfile", "config/tiny.yaml", *args]
    log_path = tmp_path / "snakemake.log"
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            command,
            cwd=copy,
            env=pipeline_env(copy),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
        deadline = time.monotonic() + 300
        # Kill while the next training job runs, once Snakemake has recorded one as finished.
        while time.monotonic() < deadline:
            log = log_path.read_text()
            finished_so_far = train_jobs_snakemake_finished(log)
            if finished_so_far and log.count("rule train:") > len(finished_so_far):
                break
            assert proc.poll() is None, "snakemake ended before the kill:\n" + log[-4000:]
            time.sleep(0.2)
        time.sleep(1.0)  # the next job is now running
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    recorded = train_jobs_snakemake_finished(log_path.read_text())
    runs = copy / "results/runs/mlp"
    assert 1 <= len(recorded) < 4, recorded
    for path in runs.iterdir():  # nothing half-written: every file there is a complete, valid result
        read_result(path)
    finished = {name: (copy / name).stat().st_mtime_ns for name in recorded}
    assert (
        subprocess.run(
            [sys.executable, "-m", "snakemake", "--unlock", *command[3:]],
            cwd=copy,
            env=pipeline_env(copy),
            capture_output=True,
        ).returncode
        == 0
    )
    rerun = snakemake(copy, *args)
    assert rerun.returncode == 0, rerun.stderr[-4000:]
    assert {p.name for p in runs.glob("*.json")} == {
        f"{fw}-seed{s}.json" for fw in ("torch-eager", "tf-graph") for s in (0, 1)
    }
    for name, mtime in finished.items():  # what Snakemake recorded as done before the kill is kept
        assert (copy / name).stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    "args,message",
    [
        (["scale=huge"], "scale: 'huge' is not one of ['auto', 'tiny', 'default', 'gpu']"),
        (["seeds=[-1]"], "seeds.0: -1 is less than the minimum of 0"),
        (["colour=red"], "Additional properties are not allowed ('colour' was unexpected)"),
        (["workloads=[nope]"], "workloads: unknown nope; available:"),
    ],
)
def test_bad_config_on_the_command_line_gets_one_line(tmp_path, args, message):
    copy = checkout_copy(tmp_path / "checkout")
    run = snakemake(copy, "--dry-run", "--config", *args)
    assert run.returncode != 0
    output = run.stdout + run.stderr  # Snakemake prints a dry run's errors on stdout
    assert sum(message in line for line in output.splitlines()) == 1, output[-2000:]


def test_a_bad_workload_yaml_is_named_with_its_key(tmp_path):
    copy = checkout_copy(tmp_path / "checkout")
    path = copy / "workflow/workloads/mlp/workload.yaml"
    spec = yaml.safe_load(path.read_text())
    spec["sizes"]["tiny"]["batch_size"] = -5
    path.write_text(yaml.safe_dump(spec))
    run = snakemake(copy, "--dry-run")
    assert run.returncode != 0
    assert any(
        "workflow/workloads/mlp/workload.yaml: sizes.tiny.batch_size: -5 is less than" in line
        for line in (run.stdout + run.stderr).splitlines()
    ), (run.stdout + run.stderr)[-2000:]


def test_result_of_an_old_schema_version_stops_aggregation_naming_the_file(tmp_path):
    copy = checkout_copy(tmp_path / "checkout")
    args = [*ONE_MODE_EACH, "workloads=[mlp]"]
    assert snakemake(copy, *args).returncode == 0
    path = copy / "results/runs/mlp/torch-eager-seed0.json"
    old = json.loads(path.read_text())
    old["schema_version"] = 0
    path.write_text(json.dumps(old))
    run = snakemake(copy, *args)
    log = (copy / "logs/aggregate.log").read_text()
    assert run.returncode != 0 and "torch-eager-seed0.json: schema_version 0, expected 5" in log
