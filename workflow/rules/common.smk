# Helpers shared by every .smk file (validation, workload discovery, the run plan, input functions).

import os
import sys
from pathlib import Path

# The workflow runs its own code: fwbench from this checkout's src/, here and in every job (scripts,
# shell commands, cluster jobs inherit PYTHONPATH), whatever fwbench the environment has installed.
OWN_SRC = str(Path(workflow.basedir) / "src")
sys.path.insert(0, OWN_SRC)
os.environ.update(
    PYTHONPATH=os.pathsep.join(filter(None, [OWN_SRC, os.environ.get("PYTHONPATH")]))
)

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import min_version, validate

from fwbench.runs.plan import (
    coerce_command_line_types,
    DATA_PATTERN,
    environment_variant,
    inference_runs,
    parity_frameworks,
    planned_runs,
    RESULT_PATTERNS,
    resolve_scale,
    result_path,
    run_spec,
    selected_workloads,
    timed_key,
    timed_order,
)
from fwbench.core import progress, scheduler_patch
from fwbench.core.provenance import environment as installed_environment
from fwbench.core.devices import check_requested_device
from fwbench.runs.flops import FLOPS_PATTERN
from fwbench.frameworks import FLOP_COUNTER, FRAMEWORKS
from fwbench.frameworks import source as framework_source
from fwbench.studies.inference.run import INFERENCE_PATTERN, infer_spec
from fwbench.runs.workloads import (
    WorkloadError,
    data_sources,
    discover,
    schema_error_line,
)
from fwbench.studies import REGISTRY as STUDY_REGISTRY
from fwbench.studies import active as active_studies
from fwbench.studies import check_names as check_study_names

min_version("9.0")
# One pending scheduler wake-up instead of one timer chain per finished job (fwbench.core.scheduler_patch:
# the chains took 60 % of a core from the timed runs by the end of a default run).
scheduler_patch.apply()


coerce_command_line_types(config)
try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as exc:
    raise WorkflowError(
        f"invalid config (config/config.yaml with any --config/--configfile overrides): {schema_error_line(exc)}"
    ) from None

STUDY_PROBLEM = check_study_names(config["studies"])
if STUDY_PROBLEM:
    raise WorkflowError(STUDY_PROBLEM)
DEVICE_PROBLEM = check_requested_device(config)
if DEVICE_PROBLEM:
    raise WorkflowError(DEVICE_PROBLEM)
# `scale: auto` becomes the size the runs use (gpu on a GPU, else default); every rule reads the
# resolved config["scale"], and each run records config["scale_requested"] beside it.
config.update(resolve_scale(config))
# The rules' conda environment for `--use-conda` (workflow/envs/<variant>.yaml, made from the lock).
CONDA_ENV = f"../envs/{environment_variant(config)}.yaml"
# The installed environment (the hash of every distribution's name==version, as each run records it):
# a param of every rule whose result it can change, so an upgrade re-runs them (Snakemake's params
# trigger); with --use-conda, Snakemake tracks the environment file itself.
ENVIRONMENT_SHA256 = installed_environment()["sha256"]

try:
    WORKLOADS = discover(Path(workflow.basedir) / "workflow" / "workloads")
    SELECTED = selected_workloads(config, WORKLOADS)
except (WorkloadError, ValueError) as exc:
    raise WorkflowError(str(exc)) from None

RUNS = planned_runs(config, SELECTED)
STUDIES = set(config["studies"])
# Every study's rule file (workflow/rules/<study>.smk, fwbench.studies.REGISTRY), included by the
# Snakefile; a study's rules run only when something asks for their outputs.
STUDY_RULE_FILES = [study.rule_file for study in STUDY_REGISTRY.values()]
INFER_RUNS = inference_runs(config, SELECTED) if "inference" in STUDIES else []
# The order the timed jobs (both training studies and the inference sweeps) run in
# (fwbench.runs.plan.timed_order: interleaved rounds, seeded), given to Snakemake as each job's
# priority: with one timed job at a time (the counted timed_job resource), the scheduler always
# starts the highest-priority ready job, so this is the order.
TIMED = timed_order(RUNS + INFER_RUNS)
TIMED_PRIORITY = {
    timed_key(run): len(TIMED) - position for position, run in enumerate(TIMED)
}
# Snakemake's benchmark file of every timed job (its wall time and memory), by study. Every rule
# has one, under results/benchmarks/, then the name of its rule file, then its own name (and its
# wildcards): the report's cost table (fwbench.reporting.costs) reads the study and the rule there.
BENCHMARK_PATTERNS = {
    "speed": "results/benchmarks/speed/train/{workload}/{framework}-{mode}-seed{seed}.tsv",
    "quality": "results/benchmarks/quality/train_quality/{workload}/{framework}-{mode}-seed{seed}.tsv",
    "inference": "results/benchmarks/inference/infer/{workload}/{framework}-{mode}-run{run}.tsv",
}
# Every timed job's result and benchmark file, for what the run says at its start and end
# (fwbench.core.progress; the Snakefile's onstart/onsuccess/onerror).
TIMED_JOBS = [
    {
        **run,
        "result": (
            INFERENCE_PATTERN
            if run["study"] == "inference"
            else RESULT_PATTERNS[run["study"]]
        ).format(**run),
        "benchmark": BENCHMARK_PATTERNS[run["study"]].format(**run),
    }
    for run in TIMED
]
# Every data set a workload uses -> its generator: the workload folder's own data.py, or None for
# a built-in generator (fwbench.runs.datasets.GENERATORS).
DATA_SOURCES = data_sources(WORKLOADS.values())


def run_results(wildcards=None, study="speed"):
    """Every result file of `study` the config asks for."""
    return [result_path(run) for run in RUNS if run["study"] == study]


def quality_results(wildcards=None):
    return run_results(wildcards, "quality")


def imported_results(wildcards=None):
    """Result files from other machines: results/imported/<machine>/{runs,quality}/<workload>/*.json
    (docs/machines.md, "Several machines, one report"), merged with this machine's runs.
    """
    imported = [*Path("results/imported").glob("*/runs/*/*.json")]
    imported += Path("results/imported").glob("*/quality/*/*.json")
    return sorted(str(path) for path in imported)


PARITY_PATTERN = "results/parity/{workload}/{framework}.json"
# The parity frameworks the config runs, each checked against the reference (PyTorch); the first
# one's check also runs the reference's compiled modes against its eager mode.
PARITY_FRAMEWORKS_RUN = parity_frameworks(config)


def parity_table(wildcards=None):
    """The parity study's table, where the config runs it (the runs' parity_passed flag reads it)."""
    return ["results/parity.csv"] if "parity" in STUDIES else []


def checks_reference_compiled(wildcards):
    """Whether this pair's parity check also runs the reference's compiled modes (one per workload)."""
    return wildcards.framework == PARITY_FRAMEWORKS_RUN[0]


def parity_results(wildcards=None):
    """One parity result per selected workload and parity framework (workflow/rules/parity.smk)."""
    if "parity" not in STUDIES:
        return []
    return [
        PARITY_PATTERN.format(workload=w.name, framework=fw)
        for w in SELECTED
        for fw in PARITY_FRAMEWORKS_RUN
    ]


# Extension point (docs/extending.md, "Add a rule file"). The Snakefile includes every
# workflow/rules/extra_*.smk, next to the other rule files so that relative paths resolve alike.
# Their rules write result files in the result schema under results/extra/ and append the paths
# to EXTRA_RESULTS; aggregation and the report then pick them up with no other edit.
EXTRA_RULE_FILES = sorted(
    Path(workflow.basedir, "workflow", "rules").glob("extra_*.smk")
)
EXTRA_RESULTS = []


def extra_results(wildcards=None):
    return sorted(EXTRA_RESULTS)


def data_source(wildcards):
    """The data set's generator file, when a workload folder brings its own (data.py)."""
    source = DATA_SOURCES.get(wildcards.dataset)
    return [str(source.relative_to(workflow.basedir))] if source else []


def train_inputs(wildcards):
    workload = WORKLOADS[wildcards.workload]
    return {
        "data": DATA_PATTERN.format(dataset=workload.dataset(config["scale"])),
        "code": [str(path.relative_to(workflow.basedir)) for path in workload.files()],
    }


def train_priority(wildcards, study="speed", index="seed"):
    """Snakemake priority of a timed job: its place in the interleaved timed order (0 for the
    runs of researchers' own rules, `use rule train as ...`, whose outputs may name fewer
    wildcards and which come after the planned runs)."""
    names = ("workload", "framework", "mode", index)
    if not all(name in wildcards.keys() for name in names):
        return 0
    run = {name: wildcards[name] for name in names}
    return TIMED_PRIORITY.get(timed_key({**run, "study": study}), 0)


def quality_priority(wildcards):
    return train_priority(wildcards, "quality")


def infer_priority(wildcards):
    return train_priority(wildcards, "inference", index="run")


def train_spec(wildcards, study="speed"):
    workload = WORKLOADS[wildcards.workload]
    return run_spec(
        workload,
        wildcards.framework,
        wildcards.mode,
        int(wildcards.seed),
        config,
        study,
    )


def quality_spec(wildcards):
    return train_spec(wildcards, "quality")


# Inference sweep, FLOP counts and the harness-overhead benchmark (workflow/rules/inference.smk).


def infer_results(wildcards=None):
    """One inference result per (workload, framework, mode, run) the config asks for."""
    return sorted(INFERENCE_PATTERN.format(**run) for run in INFER_RUNS)


def flops_results(wildcards=None):
    return [FLOPS_PATTERN.format(workload=w.name) for w in SELECTED]


def infer_spec_of(wildcards):
    workload = WORKLOADS[wildcards.workload]
    return infer_spec(
        workload, wildcards.framework, wildcards.mode, int(wildcards.run), config
    )


def bare_loops(wildcards=None):
    """The bare loops the harness-overhead benchmark measures against (frameworks/<name>/bare_loop.py)."""
    return [
        str(path.relative_to(workflow.basedir))
        for framework in FRAMEWORKS
        if (path := framework_source(framework, "bare_loop")).is_file()
    ]


def overhead_workload():
    """The harness-overhead benchmark's workload (checked by selected_workloads above)."""
    return WORKLOADS[config["harness_overhead"]["workload"]]


# The ledger's and the report's inputs: the tables of every study the config runs (the registry's
# `tables`), the ledger, and the report's own sources.
def study_tables(wildcards=None):
    return {
        name: f"results/{filename}"
        for study in active_studies(STUDIES)
        for name, filename in study.tables.items()
    }


def report_inputs(wildcards=None):
    return {
        "source": "report/index.py",
        "project": "report/_quarto.yml",
        "metrics": "results/metrics.json",
        "ledger": "results/ledger.json",
        **study_tables(),
    }


# What the run says at its start and end (the Snakefile's handlers; fwbench.core.progress).


def say_plan():
    for line in progress.plan_lines(TIMED_JOBS, Path.cwd()):
        logger.info(line)


def say_tally():
    report_html = rules.report.output.html
    for line in progress.tally_lines(TIMED_JOBS, Path.cwd(), report_html):
        logger.info(line)
