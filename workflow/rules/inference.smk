# The inference study: a sweep and the exports per (workload, framework, mode, run: a fresh process
# each, interleaved with the training runs), then its two tables. Timed jobs take every core and the
# counted `timed_job` resource, like the train rule.


rule infer:
    input:
        unpack(train_inputs),
    output:
        result="results/inference/{workload}/{framework}-{mode}-run{run}.json",
    log:
        "logs/infer/{workload}/{framework}-{mode}-run{run}.log",
    benchmark:
        BENCHMARK_PATTERNS["inference"]
    priority: infer_priority
    conda:
        CONDA_ENV
    threads: workflow.cores
    resources:
        timed_job=1,
    params:
        spec=infer_spec_of,
        environment_sha256=ENVIRONMENT_SHA256,
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
    benchmark:
        "results/benchmarks/inference/aggregate_inference.tsv"
    conda:
        CONDA_ENV
    script:
        "../../scripts/aggregate_inference.py"
