# The debugging study (claim C7): one probe per (workload, framework, mode, fault), each a fresh
# process with a short step budget that injects one fault, for the workloads in config
# `debug_workloads`; then results/debug.csv and the effort index results/debug_index.csv.
# The probes are not timed jobs: time to error is a coarse, seconds-scale figure
# (fwbench.studies.debug.probes; scoring: fwbench.studies.debug.tables).

from fwbench.studies.debug import probes as debug_probes

try:
    DEBUG_RUNS = debug_probes.planned_fault_runs(config, SELECTED)
except ValueError as exc:  # an unknown fault class in debug_faults: one line
    raise WorkflowError(str(exc)) from None
DEBUG_RESULTS = [debug_probes.RESULT_PATTERN.format(**run) for run in DEBUG_RUNS]


rule debug_probe:
    input:
        data=lambda wc: DATA_PATTERN.format(
            dataset=WORKLOADS[wc.workload].dataset(config["scale"])
        ),
        code=lambda wc: [
            str(p.relative_to(workflow.basedir))
            for p in WORKLOADS[wc.workload].files()
        ],
        harness="src/fwbench/frameworks/{framework}/harness.py",
        mutations="src/fwbench/frameworks/{framework}/faults.py",
    output:
        result="results/debug/{workload}/{framework}-{mode}-{fault}.json",
    log:
        "logs/debug/{workload}/{framework}-{mode}-{fault}.log",
    benchmark:
        "results/benchmarks/debug/debug_probe/{workload}/{framework}-{mode}-{fault}.tsv"
    wildcard_constraints:
        fault="[a-z][a-z0-9_]*",
    conda:
        CONDA_ENV
    threads: 1
    params:
        spec=lambda wc: debug_probes.fault_spec(
            WORKLOADS[wc.workload], wc.framework, wc.mode, wc.fault, config
        ),
        timeout_s=config["timeout_s"],
        environment_sha256=ENVIRONMENT_SHA256,
    script:
        "../../scripts/debug.py"


rule aggregate_debug:
    input:
        DEBUG_RESULTS,
    output:
        rows="results/debug.csv",
        index="results/debug_index.csv",
    log:
        "logs/aggregate_debug.log",
    benchmark:
        "results/benchmarks/debug/aggregate_debug.tsv"
    conda:
        CONDA_ENV
    script:
        "../../scripts/debug.py"
