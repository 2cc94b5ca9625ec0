# Inference sweep and exports per (workload, framework, mode, run: a fresh process each, interleaved
# with the training runs); FLOPs of one training step per workload (for MFU); the harness-overhead
# benchmark. All timed jobs take every core and the counted `timed_job` resource, like the train rule.


rule infer:
    input:
        unpack(train_inputs),
    output:
        result="results/inference/{workload}/{framework}-{mode}-run{run}.json",
    log:
        "logs/infer/{workload}/{framework}-{mode}-run{run}.log",
    benchmark:
        "results/benchmarks/infer/{workload}/{framework}-{mode}-run{run}.tsv"
    priority: infer_priority
    conda:
        "../../environment.yml"
    threads: workflow.cores
    resources:
        timed_job=1,
    params:
        spec=infer_spec_of,
    script:
        "../../scripts/infer.py"


rule aggregate_inference:
    input:
        results=infer_results,
    output:
        sweep="results/inference_sweep.csv",
        exports="results/inference_exports.csv",
    log:
        "logs/aggregate_inference.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/aggregate_inference.py"


rule count_flops:
    input:
        unpack(train_inputs),
    output:
        flops="results/flops/{workload}.json",
    log:
        "logs/flops/{workload}.log",
    conda:
        "../../environment.yml"
    params:
        spec=lambda wildcards: run_spec(
            WORKLOADS[wildcards.workload], FLOP_COUNTER, "eager", 0, config
        ),
    script:
        "../../scripts/count_flops.py"


rule harness_overhead:
    input:
        script="benchmarks/harness_overhead.py",
        bare_loops=bare_loops,
        data=lambda wildcards: DATA_PATTERN.format(
            dataset=overhead_workload().dataset("default")
        ),
    output:
        result="results/harness_overhead.json",
    log:
        "logs/harness_overhead.log",
    conda:
        "../../environment.yml"
    threads: workflow.cores
    resources:
        timed_job=1,
    params:
        workload=lambda wildcards: overhead_workload().name,
        blocks=config["harness_overhead"]["blocks"],
        block_steps=config["harness_overhead"]["block_steps"],
    shell:
        "python {input.script} {output.result} --workload {params.workload} "
        "--blocks {params.blocks} --block-steps {params.block_steps} --threads {threads} "
        "--data {input.data} 2> {log}"
