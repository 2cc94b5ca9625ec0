# Debugging effort (issue 5, claim C7): one fault-injection probe per (workload, framework, mode,
# fault), each a fresh process with a short step budget, for the workloads in config
# `debug_workloads`; then results/debug.csv and the effort index results/debug_index.csv.
# The probes are not timed jobs: time to error is a coarse, seconds-scale figure (fwbench.faults).

from fwbench import faults as fwfaults

FAULT_RUNS = fwfaults.planned_fault_runs(config, SELECTED)
FAULT_RESULTS = [fwfaults.RESULT_PATTERN.format(**run) for run in FAULT_RUNS]


rule fault_probe:
    input:
        data=lambda wc: DATA_PATTERN.format(
            dataset=WORKLOADS[wc.workload].spec["dataset"]
        ),
        code=lambda wc: [
            str(p.relative_to(workflow.basedir))
            for p in WORKLOADS[wc.workload].files()
        ],
        harness="src/fwbench/harness_{framework}.py",
        mutations="src/fwbench/faults_{framework}.py",
    output:
        result="results/debug/{workload}/{framework}-{mode}-{fault}.json",
    log:
        "logs/debug/{workload}/{framework}-{mode}-{fault}.log",
    wildcard_constraints:
        fault="[a-z][a-z0-9_]*",
    conda:
        "../../environment.yml"
    threads: 1
    params:
        spec=lambda wc: fwfaults.fault_spec(
            WORKLOADS[wc.workload], wc.framework, wc.mode, wc.fault, config
        ),
        timeout_s=config["timeout_s"],
    script:
        "../../scripts/debug.py"


rule aggregate_debug:
    input:
        FAULT_RESULTS,
    output:
        rows="results/debug.csv",
        index="results/debug_index.csv",
    log:
        "logs/aggregate_debug.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/debug.py"
