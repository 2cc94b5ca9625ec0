"""The speed study's start-up table and the decision guide's time to a first step, on a made-up summary."""

import pandas as pd
import pytest

from fwbench.core.columns import BUILD_TIME, FIRST_STEP, IMPORT_TIME, TIME_TO_FIRST_STEP
from fwbench.studies.speed import report, tables


def run(framework, mode, seed, time_to_first_step_s, status="ok", workload="mlp"):
    return {
        "run_id": f"{workload}/{framework}-{mode}-seed{seed}",
        "workload": workload,
        "framework": framework,
        "mode": mode,
        "status": status,
        IMPORT_TIME: 2.0,
        BUILD_TIME: 0.1,
        FIRST_STEP: 500.0,
        TIME_TO_FIRST_STEP: time_to_first_step_s,
    }


SUMMARY = pd.DataFrame(
    [run("torch", "eager", seed, 3.0 + seed) for seed in range(3)]
    + [run("torch", "compile", seed, 30.0) for seed in range(3)]
    + [run("tf", "graph", seed, 8.0) for seed in range(3)]
    + [run("tf", "eager", 0, 1.0, status="failed")]  # a failed run times nothing
)


def test_the_startup_table_gives_medians_per_workload_framework_and_mode():
    table = tables.startup_table(SUMMARY)
    torch_eager = table[(table["framework"] == "PyTorch") & (table["mode"] == "eager")].iloc[0]
    assert torch_eager[TIME_TO_FIRST_STEP] == 4.0 and torch_eager["first_step_s"] == 0.5
    assert torch_eager[IMPORT_TIME] == 2.0 and torch_eager["n"] == 3
    assert len(table) == 3  # the failed TF eager run makes no row


def test_each_frameworks_quickest_mode_to_a_first_step_and_the_guide_line():
    quickest = tables.quickest_first_step(SUMMARY)
    assert quickest == {"torch": ("eager", 4.0), "tf": ("graph", 8.0)}
    note = report.quickest_first_step_note(quickest)
    assert note.endswith(": PyTorch (eager) 4.0 s, TensorFlow/Keras (graph) 8.0 s")


@pytest.mark.parametrize("summary", [pd.DataFrame(), SUMMARY.drop(columns=[TIME_TO_FIRST_STEP])])
def test_results_without_start_up_times_give_an_empty_table_and_no_guide_line(summary):
    assert not len(tables.startup_table(summary)) and tables.quickest_first_step(summary) == {}
    assert report.quickest_first_step_note({}) is None
