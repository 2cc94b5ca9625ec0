# The training runs of both studies into one tidy table each, the learning curves and the DVC metrics
# file; the FLOPs of one training step per workload (for MFU), which the tables carry.


rule aggregate:
    input:
        runs=run_results,
        quality=quality_results,
        imported=imported_results,
        flops=flops_results,
        extra=extra_results,
        parity=parity_table,
    output:
        summary="results/summary.csv",
        quality="results/quality.csv",
        curves="results/curves.csv",
        metrics="results/metrics.json",
    log:
        "logs/aggregate.log",
    benchmark:
        "results/benchmarks/aggregate/aggregate.tsv"
    conda:
        CONDA_ENV
    script:
        "../../scripts/aggregate.py"


rule count_flops:
    input:
        unpack(train_inputs),
    output:
        flops="results/flops/{workload}.json",
    log:
        "logs/flops/{workload}.log",
    benchmark:
        "results/benchmarks/aggregate/count_flops/{workload}.tsv"
    conda:
        CONDA_ENV
    params:
        spec=lambda wildcards: run_spec(
            WORKLOADS[wildcards.workload], FLOP_COUNTER, "eager", 0, config
        ),
        environment_sha256=ENVIRONMENT_SHA256,
    script:
        "../../scripts/count_flops.py"
