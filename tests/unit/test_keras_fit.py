"""Keras `fit` as a measured TF mode: Keras's own loop on fwbench's batches, timed per step by a
callback, with jit_compile and steps_per_execution set explicitly and recorded."""

import pytest

from fwbench.frameworks import runs_own_loop
from fwbench.runs.training import train
from fwbench.runs.workloads import discover, load_impl

SIZE = {"total_steps": 12, "batch_size": 50, "eval_every": 6, "warmup_steps": 2, "max_timed_steps": 10}


def quality_run(harness, mode: str, data: dict) -> dict:
    workload = discover()["mlp"]
    impl = load_impl(workload.impl_path("tf"), f"fwbench_test_fit_{mode}")
    model = harness.build_model(impl, workload.spec.get("model_args", {}))
    size = {**SIZE, "target_accuracy": 0.99}
    return train(
        harness,
        model,
        data,
        size=size,
        optimizer=workload.spec["optimizer"],
        mode=mode,
        seed=0,
        study="quality",
    )


def test_fit_trains_the_same_batches_to_the_same_model_as_the_tf_function_loop(harnesses, dataset_arrays):
    data = dataset_arrays("mnist1d")
    graph, fit = (quality_run(harnesses["tf"], mode, data) for mode in ("graph", "fit"))
    # the same data order, model, loss and Adam: the same evaluations, up to float reassociation
    for a, b in zip(graph["curve"], fit["curve"], strict=True):
        assert a["step"] == b["step"] and a["test_accuracy"] == pytest.approx(b["test_accuracy"], abs=0.02)
        assert a["test_loss"] == pytest.approx(b["test_loss"], rel=1e-3)
    metrics = fit["metrics"]
    assert metrics["step_time_ms"]["n"] == 10 and metrics["step_time_ms"]["median"] > 0
    assert metrics["compile"]["jit_compile"] is False and metrics["compile"]["steps_per_execution"] == 1


def test_fit_is_a_training_only_mode_of_tf():
    assert runs_own_loop("tf", "fit") and runs_own_loop("tf", "fit_bf16")
    assert not runs_own_loop("tf", "graph") and not runs_own_loop("torch", "eager")


def test_fit_has_no_inference_sweep_and_no_fault_probes():
    from fwbench.runs.plan import inference_runs, planned_runs
    from fwbench.studies.debug.probes import planned_fault_runs

    config = {
        "modes": {"torch": ["eager"], "tf": ["graph", "fit"]},
        "quality_modes": {},
        "seeds": [0],
        "debug_workloads": ["mlp"],
        "inference": {"runs": 2},
    }
    runs = planned_runs(config, [discover()["mlp"]])
    assert {r["mode"] for r in runs} == {"eager", "graph", "fit"}
    assert {r["mode"] for r in inference_runs(config, [discover()["mlp"]])} == {"eager", "graph"}
    config["inference_modes"] = {"tf": ["fit", "xla"]}  # named for the sweep: still no fit
    assert {r["mode"] for r in inference_runs(config, [discover()["mlp"]])} == {"xla"}
    assert {r["mode"] for r in planned_fault_runs(config, [discover()["mlp"]])} == {"eager", "graph"}
