# Parity per workload: the PyTorch and Keras implementations must be the same model (same
# parameters, same outputs from the same weights, tracking losses). Not timed: one core each, so
# two run side by side on a 2-core machine; timed jobs take every core, so none runs beside one.


rule parity:
    input:
        unpack(train_inputs),
    output:
        result="results/parity/{workload}.json",
    log:
        "logs/parity/{workload}.log",
    conda:
        "../../environment.yml"
    threads: 1
    params:
        workload=lambda wildcards: WORKLOADS[wildcards.workload],
        modes=config["modes"],
        scale=config["scale"],
    script:
        "../../scripts/parity.py"
