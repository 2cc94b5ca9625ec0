# Helpers shared by every .smk file (validation, workload discovery, the run plan, input functions).

import os
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

from fwbench.plan import (
    DATA_PATTERN,
    RESULT_PATTERN,
    planned_runs,
    run_spec,
    selected_workloads,
)
from fwbench.workloads import WorkloadError, discover

min_version("9.0")


validate(config, schema="../schemas/config.schema.yaml")

try:
    WORKLOADS = discover(Path(workflow.basedir) / "workflow" / "workloads")
    SELECTED = selected_workloads(config, WORKLOADS)
except (WorkloadError, ValueError) as exc:
    raise WorkflowError(str(exc)) from None

RUNS = planned_runs(config, SELECTED)
DATASETS = sorted({w.spec["dataset"] for w in SELECTED})


def run_results(wildcards=None):
    """Every result file the config asks for."""
    return [RESULT_PATTERN.format(**run) for run in RUNS]


def train_inputs(wildcards):
    workload = WORKLOADS[wildcards.workload]
    return {
        "data": DATA_PATTERN.format(dataset=workload.spec["dataset"]),
        "code": [str(path.relative_to(workflow.basedir)) for path in workload.files()],
    }


def train_spec(wildcards):
    workload = WORKLOADS[wildcards.workload]
    return run_spec(
        workload, wildcards.framework, wildcards.mode, int(wildcards.seed), config
    )
