# Parity per workload: the PyTorch and Keras implementations must be the same model (same
# parameters, same outputs from the same weights, tracking losses). Takes every core and the
# counted `timed_job` resource, so it never runs beside a timed training job.


rule parity:
    input:
        unpack(train_inputs),
    output:
        result="results/parity/{workload}.json",
    log:
        "logs/parity/{workload}.log",
    conda:
        "../../environment.yml"
    threads: workflow.cores
    resources:
        timed_job=1,
    params:
        workload=lambda wildcards: WORKLOADS[wildcards.workload],
    script:
        "../../scripts/parity.py"
