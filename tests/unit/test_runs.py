"""One run end to end through the supervisor, and every way a run can end, recorded as a result."""

import os
import subprocess
import sys
import time

import pytest

from fwbench.core.columns import BUILD_TIME, FIRST_STEP, IMPORT_TIME, TIME_TO_FIRST_STEP
from fwbench.core.results import read_result
from fwbench.runs import datasets
from fwbench.runs.plan import run_spec
from fwbench.runs.supervise import supervise
from fwbench.runs.workloads import discover

CONFIG = {"workloads": "all", "scale": "tiny", "modes": {}, "seeds": [0], "device": "cpu", "timeout_s": 60}


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "mnist1d.npz"
    datasets.generate("mnist1d", path)
    return path


def spec_for(data_file, workload="mlp", framework="torch", mode="eager", study="quality", **size):
    spec = run_spec(discover()[workload], framework, mode, 0, CONFIG, study)
    spec["config"]["size"].update(size)
    return {**spec, "data_path": str(data_file), "threads": 1}


def test_only_the_quality_study_forces_deterministic_kernels():
    """Timed runs use each framework's default kernels (determinism costs each framework
    differently); the quality study's accuracies must repeat exactly, so it sets determinism."""
    mlp = discover()["mlp"]
    assert run_spec(mlp, "torch", "eager", 0, CONFIG, "quality")["config"]["deterministic"] is True
    assert run_spec(mlp, "torch", "eager", 0, CONFIG, "speed")["config"]["deterministic"] is False


def run_supervised(tmp_path, spec, timeout_s=120):
    out = tmp_path / "result.json"
    log = open(tmp_path / "run.log", "w")
    status = supervise(spec, out, log, timeout_s)
    log.close()
    return status, read_result(out)


@pytest.mark.parametrize("framework,mode", [("torch", "eager"), ("tf", "graph")])
def test_a_tiny_run_records_metrics_and_provenance(tmp_path, data_file, framework, mode):
    status, result = run_supervised(
        tmp_path,
        spec_for(data_file, framework=framework, mode=mode, total_steps=20, eval_every=10, warmup_steps=2),
    )
    assert status == "ok" and result["status"] == "ok"
    metrics = result["metrics"]
    assert 0 <= metrics["test_accuracy"] <= 1 and metrics["step_time_ms"]["n"] == 18
    assert (
        metrics["first_step_time_ms"] > 0
        and metrics["host_peak_rss_mb"] > metrics["host_rss_baseline_mb"] > 0
    )
    assert metrics["device_peak_memory_mb"] is None  # CPU: not applicable
    # what the model and its training add is measured from the import and the data on, alike: the
    # high-water mark reset there (Linux), the batches the loop held taken out
    assert metrics["host_peak_reset"] is True and metrics["prebuilt_batches_mb"] > 0
    assert metrics["host_rss_rise_mb"] < metrics["host_peak_rss_mb"] - metrics["host_rss_baseline_mb"] + 1e-9
    # start-up: each part positive, and the whole covers the import, the build and the first step
    startup = [metrics[key] for key in (IMPORT_TIME, BUILD_TIME, TIME_TO_FIRST_STEP)]
    assert all(seconds > 0 for seconds in startup)
    parts_s = metrics[IMPORT_TIME] + metrics[BUILD_TIME] + metrics[FIRST_STEP] / 1e3
    assert metrics[TIME_TO_FIRST_STEP] > parts_s
    assert [p["step"] for p in result["curve"]] == [10, 20]
    prov = result["provenance"]
    assert {k: prov["threads"][k] for k in ("intra_op", "inter_op")} == {"intra_op": 1, "inter_op": 1}
    assert prov["threads"]["denormals_flushed"] is (framework == "tf")  # each framework's default, measured
    assert prov["device"]["kind"] == "cpu" and "runtime_env" in prov
    assert prov["data_sha256"] and prov["packages"]["numpy"]


def test_an_unknown_mode_is_recorded_as_unsupported(tmp_path, data_file):
    status, result = run_supervised(tmp_path, spec_for(data_file, mode="graph"))
    assert status == "unsupported" and "modes are eager, compile" in result["error"]["message"]


def test_a_raising_model_is_recorded_as_failed_with_its_traceback(tmp_path, data_file):
    impl = tmp_path / "broken_impl.py"
    impl.write_text("def build_model(**kwargs):\n    raise RuntimeError('shape mismatch in layer 2')\n")
    spec = {**spec_for(data_file), "impl_path": str(impl)}
    status, result = run_supervised(tmp_path, spec)
    assert status == "failed"
    assert result["error"]["message"] == "shape mismatch in layer 2"
    assert "broken_impl.py" in result["error"]["traceback_tail"]


def test_a_nan_loss_is_recorded_as_diverged_with_its_step(tmp_path, data_file):
    spec = spec_for(data_file, total_steps=50, eval_every=50)
    spec["config"]["optimizer"] = {**spec["config"]["optimizer"], "lr": 1e12}
    status, result = run_supervised(tmp_path, spec)
    assert status == "diverged"
    assert 1 <= result["metrics"]["diverged_at_step"] <= 50


def test_a_run_past_its_budget_is_killed_and_recorded_as_timeout(tmp_path, data_file):
    spec = spec_for(data_file, total_steps=10**7, eval_every=10**7)
    started = time.monotonic()
    status, result = run_supervised(tmp_path, spec, timeout_s=8)
    assert status == "timeout" and time.monotonic() - started < 60
    assert "budget of 8 s" in result["error"]["message"] and result["metrics"] is None


def test_a_run_process_killed_by_sigkill_is_recorded_as_failed(tmp_path, data_file):
    """The run process dies without a word (as under the OOM killer): the supervisor says so."""
    impl = tmp_path / "suicide_impl.py"
    impl.write_text(
        "import os, signal\n\ndef build_model(**kwargs):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    status, result = run_supervised(tmp_path, {**spec_for(data_file), "impl_path": str(impl)})
    assert status == "failed" and "SIGKILL" in result["error"]["message"]


def test_a_process_ended_without_teardown_keeps_its_exit_code_output_and_exit_functions(tmp_path):
    log, cache = tmp_path / "job.log", tmp_path / "private-cache"
    cache.mkdir()
    code = f"""
import atexit, shutil, sys
from fwbench.core.process_exit import exit_without_teardown
atexit.register(shutil.rmtree, {str(cache)!r})  # as the PyTorch harness does with its Inductor cache
print("to stdout", end="")
sys.stderr = open({str(log)!r}, "w")  # as the rule scripts do with their log
print("to the log", end="", file=sys.stderr)
exit_without_teardown(3)
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # keep the buffers
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout, log.read_text()) == (3, "to stdout", "to the log")
    assert not cache.exists()
