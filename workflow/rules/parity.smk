# Parity per workload and parity framework: the PyTorch implementation and the Keras one on that
# runtime (TensorFlow, JAX) must be the same model (same parameters, same outputs and gradients from
# the same weights, tracking losses). One process per pair: Keras picks its backend once per
# process. Not timed: one core each, so two run side by side on a 2-core machine; timed jobs take
# every core, so none runs beside one.


rule parity:
    input:
        unpack(train_inputs),
    output:
        result="results/parity/{workload}/{framework}.json",
    log:
        "logs/parity/{workload}/{framework}.log",
    benchmark:
        "results/benchmarks/parity/parity/{workload}/{framework}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    params:
        workload=lambda wildcards: WORKLOADS[wildcards.workload],
        modes=config["modes"],
        scale=config["scale"],
        with_reference_compiled=checks_reference_compiled,
        environment_sha256=ENVIRONMENT_SHA256,
    script:
        "../../scripts/parity.py"


rule aggregate_parity:
    input:
        parity_results,
    output:
        "results/parity.csv",
    log:
        "logs/aggregate_parity.log",
    benchmark:
        "results/benchmarks/parity/aggregate_parity.tsv"
    conda:
        CONDA_ENV
    script:
        "../../scripts/parity.py"
