"""The JAX runtime (frameworks/jax/): the workloads' Keras models on Keras's JAX backend.

Keras picks its backend once per process and this session's Keras runs on TensorFlow, so each
check runs in a fresh process (tests/helpers/jax_checks.py), as every pipeline run does: parity against
PyTorch for every workload (float64, weights copied, outputs, gradients, steps; jit against
eager), the harness's settings (threads, device, no TensorFlow loaded), the three training modes
on the same batches, and the inference modes and exports.
"""

import json
import os
import subprocess
import sys

import pytest

from fwbench import REPO_ROOT
from fwbench.runs.workloads import discover
from fwbench.studies.parity import run as parity

WORKLOADS = discover()


def fresh_process(check: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{REPO_ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.pop("KERAS_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.jax_checks", check, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_the_keras_model_on_jax_is_the_pytorch_model(name):
    record = fresh_process("parity", name)
    assert record["status"] == "ok", record["error"]
    checks = record["checks"]
    assert checks["param_count_torch"] == checks["param_count_other"] and checks["shapes_match"]
    assert checks["outputs_match"] and checks["train_outputs_match"], checks["max_abs_output_diff"]
    assert checks["gradients_match"], checks["max_rel_gradient_gap"]
    assert checks["losses_track"] and checks["outputs_after_steps_match"]
    assert record["passed"] is True
    [jit] = record["compiled_modes"]  # fit runs Keras's own loop: not a compiled mode of the shared step
    assert jit["mode"] == "jit" and jit["matches"], jit
    assert jit["rtol"] == parity.COMPILED_RTOL or record["tolerance_reason"]


def test_threads_device_and_no_tensorflow_in_a_jax_process():
    found = fresh_process("settings")
    assert found["threads"]["intra_op"] == 1 == found["affinity"]  # XLA's pool: the CPUs allowed
    assert found["device"]["kind"] == "cpu" and found["device"]["name"] == "cpu"
    assert found["tensorflow_loaded"] is False  # as on a JAX-only install
    assert "jax has no mode 'graph'" in found["unknown_mode"]
    assert found["preallocate"] == "false"
    assert found["threads"]["denormals_flushed"] in (True, False)


def test_cuda_without_a_gpu_is_device_unavailable():
    from fwbench.core.devices import nvidia_gpu_count

    if nvidia_gpu_count():
        pytest.skip("this machine has a GPU")
    assert "JAX sees no GPU" in fresh_process("cuda")["raised"]


def test_every_jax_mode_trains_the_same_batches_to_the_same_model():
    found = fresh_process("train")
    runs = found["runs"]
    jit = runs["jit"]
    for mode in ("eager", "fit"):  # the same data order, model, loss and Adam: the same evaluations
        for a, b in zip(jit["curve"], runs[mode]["curve"], strict=True):
            assert a["step"] == b["step"] and a["test_accuracy"] == pytest.approx(
                b["test_accuracy"], abs=0.02
            )
            assert a["test_loss"] == pytest.approx(b["test_loss"], rel=1e-3), mode
    assert runs["eager"]["metrics"]["compile"] is None
    compiled = jit["metrics"]["compile"]
    assert compiled["graphs"] == 1 and compiled["graph_breaks"] == 0
    # XLA's own count of the step against the shared (PyTorch) count of the same model
    assert compiled["xla_flops_per_step"] == pytest.approx(found["counted_flops"], rel=0.5)
    fit = runs["fit"]["metrics"]["compile"]
    assert fit["jit_compile"] is True and fit["steps_per_execution"] == 1


def test_inference_modes_and_exports():
    found = fresh_process("inference")
    assert max(found["modes"].values()) < 1e-5
    exports = {e["format"]: e for e in found["exports"]}
    assert exports["jax_export"]["status"] == "ok" and exports["jax_export"]["file_size_bytes"] > 0
    for name in ("saved_model", "onnx"):  # Keras's exporters on JAX need TensorFlow
        assert exports[name]["status"] == "unsupported" and "TensorFlow" in exports[name]["error"]["message"]


@pytest.mark.parametrize("fault", ["none", "shape_mismatch", "missing_optimizer_step"])
def test_a_real_jax_probe_runs_the_mutated_step(fault, tmp_path, dataset_arrays):
    """The debugging study's probe on JAX (a fresh process, mlp under jax.jit, 6 steps): the clean
    step prints its probe only while jax.jit traces it; a wrong shape is loud while tracing."""
    from fwbench.core.results import read_result
    from fwbench.runs import datasets
    from fwbench.studies.debug import probes as debug_probes

    data = tmp_path / "mnist1d.npz"
    datasets.write_npz_deterministic(data, dataset_arrays("mnist1d"))
    workload = WORKLOADS["mlp"]
    spec = debug_probes.fault_spec(
        workload, "jax", "jit", fault, {"scale": "tiny", "device": "cpu", "debug_steps": 6}
    )
    spec.update(impl_path=str(workload.impl_path("jax")), data_path=str(data))
    with open(tmp_path / "probe.log", "w") as log:
        status = debug_probes.run_probe(spec, tmp_path / "probe.json", log, timeout_s=300)
    record = read_result(tmp_path / "probe.json", kind="debug")
    assert status == "ok" and (record["error"] or {}).get("type") != "ProcessCrash", (
        tmp_path / "probe.log"
    ).read_text()[-3000:]
    if fault == "none":
        assert not record["loud"] and record["inspect"]["kind"] == "trace_time_only"
    if fault == "shape_mismatch":
        assert record["loud"] and record["error"]["step"] == 1
    if fault == "missing_optimizer_step":
        assert not record["loud"] and record["mutation"]["lines"]
