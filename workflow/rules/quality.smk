# The quality study: the workload's training recipe, one job per (workload, framework, mode, seed)
# of `quality_modes` (the speed study's rule `train`, workflow/rules/speed.smk, with the quality
# study's outputs and spec), and the trivial baselines each workload's target must beat.


use rule train as train_quality with:
    output:
        result="results/quality/{workload}/{framework}-{mode}-seed{seed}.json",
    log:
        "logs/quality/{workload}/{framework}-{mode}-seed{seed}.log",
    benchmark:
        BENCHMARK_PATTERNS["quality"]
    priority: quality_priority
    params:
        spec=quality_spec,
        timeout_s=config["timeout_s"],
        oom_retry_half_batch=config["oom_retry_half_batch"],
        environment_sha256=ENVIRONMENT_SHA256,


# What a model reaches without learning the task, beside each workload's target (the report's
# accuracy section; a target below its baseline would time nothing).
rule baselines:
    input:
        data=lambda wildcards: sorted(
            {DATA_PATTERN.format(dataset=w.dataset(config["scale"])) for w in SELECTED}
        ),
    output:
        table="results/baselines.csv",
    log:
        "logs/baselines.log",
    benchmark:
        "results/benchmarks/quality/baselines.tsv"
    conda:
        CONDA_ENV
    params:
        workloads=SELECTED,
        scale=config["scale"],
    script:
        "../../scripts/baselines.py"
