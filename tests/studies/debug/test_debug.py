"""The debugging study (fwbench.studies.debug: faults, probes, run, tables): mutations,
classification on made-up tracebacks, the index; one real probe per class."""

import re

import numpy as np
import pandas as pd
import pytest

from fwbench import frameworks
from fwbench.core.results import read_result
from fwbench.runs import datasets
from fwbench.runs.workloads import discover
from fwbench.studies.debug import faults as debug_faults
from fwbench.studies.debug import probes as debug_probes
from fwbench.studies.debug import tables as debug_scoring


@pytest.mark.parametrize("framework", ["torch", "tf", "jax"])
def test_every_fault_mutates_the_clean_harness(framework):
    mutations = frameworks.load(framework, "faults").MUTATIONS
    assert set(mutations) == set(debug_faults.FAULT_IDS)
    clean = frameworks.source(framework, "harness").read_text()
    for fault, replacements in mutations.items():
        text, lines = debug_probes.apply_mutation(clean, replacements)
        compile(text, "mutant.py", "exec")  # still valid Python
        assert (text == clean) == (fault == "none")
        for _old, new in replacements:
            assert new.splitlines()[0].strip() in text.splitlines()[lines[0] - 1], fault


def test_apply_mutation_indents_inserted_lines_and_refuses_a_missing_anchor():
    text = "x = 0\n# region: train_step\n    return loss\n# endregion\n"
    mutated, lines = debug_probes.apply_mutation(text, [("return loss\n", "print(1)\nreturn loss\n")])
    assert mutated.splitlines()[2:4] == ["    print(1)", "    return loss"] and lines == [3, 4]
    with pytest.raises(ValueError, match="not found"):
        debug_probes.apply_mutation(text, [("x = 0", "x = 1")])  # outside the region


def test_locality_and_message_quality_on_made_up_tracebacks():
    frames = [("/tmp/a/training.py", 10), ("/tmp/m/harness_torch.py", 88), ("/lib/torch/nn/linear.py", 5)]
    where = debug_probes.locality(frames, "RuntimeError: boom", "/tmp/m/harness_torch.py", [88])
    assert where == {
        "traceback_names_faulty_line": True,
        "message_names_faulty_line": False,
        "frames_between": 1,
        "traceback_frames": 3,
    }
    graph_message = 'ValueError: in user code:\n  File "/tmp/x/harness_tf.py", line 114, in step *'
    where = debug_probes.locality([("/lib/tf/x.py", 1)], graph_message, "/tmp/x/harness_tf.py", [114])
    assert where["message_names_faulty_line"] and not where["traceback_names_faulty_line"]
    assert where["frames_between"] is None
    # every framework's harness is a harness.py: a frame of another one is not the faulty file
    other = debug_probes.locality(
        [("/src/fwbench/frameworks/tf/harness.py", 88)], "", "/tmp/m/harness.py", [88]
    )
    assert not other["traceback_names_faulty_line"]
    quality = debug_probes.message_quality(
        "mat1 and mat2 shapes cannot be multiplied (100x39 and 40x100)", "a\nb\n"
    )
    assert quality["names_shape"] and not quality["names_dtype"] and quality["traceback_lines"] == 2
    assert debug_probes.message_quality("expected Double but got Float", "")["names_dtype"]


def test_inspect_outcome_tells_eager_from_trace_time():
    assert (
        debug_probes.inspect_outcome(5, 5, ["fwbench-probe: tensor([0.1, 0.2])"] * 5)["kind"] == "every_step"
    )
    traced = debug_probes.inspect_outcome(
        1, 5, ['fwbench-probe: Tensor("strided_slice:0", shape=(3,), dtype=float32)']
    )
    assert traced["kind"] == "trace_time_only" and traced["values_concrete"] is False
    assert debug_probes.inspect_outcome(0, 5, [])["kind"] == "never"


def _row(fault, **kw):
    base = {
        "workload": "w",
        "framework": "torch",
        "mode": "eager",
        "fault": fault,
        "status": "ok",
        "loud": False,
        "error_step": None,
        "time_to_error_s": None,
        "traceback_names_faulty_line": None,
        "message_names_faulty_line": None,
        "names_shape": None,
        "names_dtype": None,
        "names_device": None,
        "message_chars": None,
        "final_test_accuracy": 0.5,
        "inspect_kind": None,
        **{f"{c}_step": None for c in debug_faults.SANITY_CHECKS},
    }
    return {**base, **kw}


def test_outcomes_and_index_follow_the_documented_formula():
    table = pd.DataFrame(
        [
            _row("none", inspect_kind="every_step"),
            _row(
                "shape_mismatch",
                loud=True,
                error_step=1,
                time_to_error_s=0.1,
                traceback_names_faulty_line=True,
                message_names_faulty_line=False,
                names_shape=True,
                names_dtype=False,
                names_device=False,
                message_chars=50,
            ),
            _row("wrong_loss_input", loss_not_decreasing_step=30, final_test_accuracy=0.2),
            _row("missing_optimizer_step", final_test_accuracy=0.2),
            _row("dtype_mismatch", final_test_accuracy=0.49),
            _row("device_placement", status="not_applicable"),
        ]
    )
    table = debug_scoring.classify_outcomes(table)
    assert list(table["outcome"]) == [
        "control",
        "loud",
        "silent_detected",
        "silent_undetected",
        "absorbed",
        "not_applicable",
    ]
    index = debug_scoring.debug_index(table).iloc[0]
    # detection (0 + .5 + 1 + 0)/4, locality (0 + 1 + 1 + 0)/4, message the same, inspectability 0
    assert index["detection_effort"] == 0.375 and index["locality_effort"] == 0.5
    assert index["effort_index"] == pytest.approx(100 * (0.375 + 0.5 + 0.5 + 0) / 4, abs=0.05)
    reweighted = debug_scoring.debug_index(
        table, {"detection": 1, "locality": 0, "message": 0, "inspectability": 0}
    )
    assert reweighted.iloc[0]["effort_index"] == pytest.approx(37.5, abs=0.05)


@pytest.fixture(scope="module")
def probe_data(tmp_path_factory, dataset_arrays):
    path = tmp_path_factory.mktemp("data") / "mnist1d.npz"
    datasets.write_npz_deterministic(path, dataset_arrays("mnist1d"))
    return path


@pytest.mark.parametrize("fault", debug_faults.FAULT_IDS)
def test_one_real_probe_per_fault_class(fault, probe_data, tmp_path):
    """The tiny path: mlp, PyTorch eager (the fastest process), a 6-step budget, a fresh process."""
    workload = discover()["mlp"]
    spec = debug_probes.fault_spec(
        workload, "torch", "eager", fault, {"scale": "tiny", "device": "cpu", "debug_steps": 6}
    )
    spec.update(impl_path=str(workload.impl_path("torch")), data_path=str(probe_data))
    out = tmp_path / "probe.json"
    with open(tmp_path / "probe.log", "w") as log:
        status = debug_probes.run_probe(spec, out, log, timeout_s=300)
    record = read_result(out, kind="debug")
    assert status == record["status"]
    if fault in debug_faults.REQUIRES_GPU:  # device cpu: recorded without starting a framework
        assert status == "not_applicable" and record["reason"] == debug_probes.NO_GPU_REASON
        return
    assert status == "ok", (tmp_path / "probe.log").read_text()[-3000:]
    assert record["mutation"]["lines"] or fault == "none"
    if fault == "none":
        assert not record["loud"] and record["inspect"]["kind"] == "every_step"
    if fault in ("shape_mismatch", "dtype_mismatch", "detached_gradient"):
        assert record["loud"] and record["error"]["step"] == 1  # PyTorch raises these eagerly
    if fault == "nan_bad_op":
        assert record["checks"]["nan_check"] == 1
    assert np.isfinite(record["wall_time_s"])


def test_debug_faults_selects_fault_classes_with_the_control_and_names_an_unknown_one():
    config = {"debug_workloads": ["mlp"], "modes": {"torch": ["eager"], "tf": ["graph"]}}
    everything = debug_probes.planned_fault_runs(config, [discover()["mlp"]])
    assert {run["fault"] for run in everything} == set(debug_faults.FAULT_IDS)  # "all" by default
    picked = debug_probes.planned_fault_runs(
        {**config, "debug_faults": ["shape_mismatch"]}, [discover()["mlp"]]
    )
    assert [run["fault"] for run in picked] == [debug_faults.CONTROL_FAULT, "shape_mismatch"] * 2
    with pytest.raises(ValueError, match="debug_faults: unknown nope; available: none, "):
        debug_probes.selected_faults({"debug_faults": ["nope"]})


VOLATILE = ("wall_time_s", "provenance", "run_id")  # times, and what the process ran on
VOLATILE_ERROR = ("time_to_error_s", "traceback_tail")  # seconds; the mutant's temporary path


def comparable(record: dict) -> dict:
    """A probe's record less its times, its machine and the mutant's temporary folder's name."""
    kept = {key: value for key, value in record.items() if key not in VOLATILE}
    if kept.get("error"):
        kept["error"] = {key: value for key, value in kept["error"].items() if key not in VOLATILE_ERROR}
        kept["error"]["message"] = re.sub(r"fwbench-fault-[a-z0-9_]+", "MUTANT", kept["error"]["message"])
    return kept


@pytest.mark.parametrize("framework,mode", [("torch", "eager"), ("tf", "graph")])
def test_probes_sharing_one_process_record_what_fresh_processes_record(framework, mode, probe_data, tmp_path):
    """The probes of one workload, framework and mode run in one process (the framework's session
    reset between them); each record equals the one a fresh process per probe writes."""
    workload = discover()["mlp"]
    faults = ("none", "shape_mismatch", "nan_bad_op", "wrong_loss_input")
    specs = []
    for fault in faults:
        spec = debug_probes.fault_spec(
            workload, framework, mode, fault, {"scale": "tiny", "device": "cpu", "debug_steps": 6}
        )
        specs.append({**spec, "impl_path": str(workload.impl_path(framework)), "data_path": str(probe_data)})
    shared = [tmp_path / f"shared-{fault}.json" for fault in faults]
    fresh = [tmp_path / f"fresh-{fault}.json" for fault in faults]
    with open(tmp_path / "probe.log", "w") as log:
        assert debug_probes.run_probes(specs, shared, log, timeout_s=300) == ["ok"] * len(faults)
        for spec, out in zip(specs, fresh, strict=True):
            assert debug_probes.run_probe(spec, out, log, timeout_s=300) == "ok"
    for fault, one, alone in zip(faults, shared, fresh, strict=True):
        assert comparable(read_result(one, kind="debug")) == comparable(read_result(alone, kind="debug")), (
            fault
        )


def test_a_probe_that_kills_its_process_is_recorded_and_the_rest_go_on_in_a_fresh_one(tmp_path, monkeypatch):
    """The first probe's process dies (a hard crash): that probe is a loud ProcessCrash, the others
    run in a new process and write their own records."""
    from fwbench.studies.debug import probes

    calls = []

    def child(module, batch, first_out, log, timeout_s, progress=None):
        calls.append([item["spec"]["fault"] for item in batch["probes"]])
        if len(calls) == 1:
            return -9  # killed before writing anything
        for item in batch["probes"]:
            record = probes.new_record(item["spec"], status="ok", loud=False)
            probes.write_result(item["out"], record, kind="debug")
        return 0

    monkeypatch.setattr(probes, "run_child", child)
    workload = discover()["mlp"]
    specs = [
        debug_probes.fault_spec(workload, "torch", "eager", fault, {"scale": "tiny", "device": "cpu"})
        for fault in ("none", "shape_mismatch", "nan_bad_op")
    ]
    outs = [tmp_path / f"{spec['fault']}.json" for spec in specs]
    with open(tmp_path / "probe.log", "w") as log:
        assert probes.run_probes(specs, outs, log, timeout_s=60) == ["ok", "ok", "ok"]
    assert calls == [["none", "shape_mismatch", "nan_bad_op"], ["shape_mismatch", "nan_bad_op"]]
    crashed = read_result(outs[0], kind="debug")
    assert crashed["loud"] and crashed["error"]["type"] == "ProcessCrash" and "SIGKILL" in crashed["reason"]
