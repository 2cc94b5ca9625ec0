# The debugging study (claim C7): every fault class of `debug_faults` on every (workload, framework,
# mode) of the workloads in config `debug_workloads`, each probe with a short step budget that
# injects one fault; one job (and one process: the probes are not timed, and a test checks their
# records equal a fresh process's each) per (workload, framework, mode), one result per fault; then
# results/debug.csv and the effort index results/debug_index.csv. Time to error is a coarse,
# seconds-scale figure (fwbench.studies.debug.probes; scoring: fwbench.studies.debug.tables).

from fwbench.studies.debug import probes as debug_probes

try:
    DEBUG_RUNS = debug_probes.planned_fault_runs(config, SELECTED)
    DEBUG_FAULTS = debug_probes.selected_faults(config)
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
        results=expand(
            "results/debug/{{workload}}/{{framework}}-{{mode}}-{fault}.json",
            fault=DEBUG_FAULTS,
        ),
    log:
        "logs/debug/{workload}/{framework}-{mode}.log",
    benchmark:
        "results/benchmarks/debug/debug_probe/{workload}/{framework}-{mode}.tsv"
    wildcard_constraints:
        framework="[a-z]+",
        mode="[a-z0-9_]+",
    conda:
        CONDA_ENV
    threads: 1
    params:
        specs=lambda wc: [
            debug_probes.fault_spec(
                WORKLOADS[wc.workload], wc.framework, wc.mode, fault, config
            )
            for fault in DEBUG_FAULTS
        ],
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
