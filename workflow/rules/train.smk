# One job per (study, workload, framework, mode, seed): a fresh, supervised process writing one
# result file. Rule train is the speed study (fixed work, every mode of `modes`), rule
# train_quality the quality study (the training recipe, the modes of `quality_modes`).
# Timed jobs take every core and one unit of the counted `timed_job` resource (limited to 1 in the
# default profile), so no two timed jobs ever share the machine; their priorities put them in the
# interleaved order of fwbench.plan.timed_order.


rule train:
    input:
        unpack(train_inputs),
    output:
        result="results/runs/{workload}/{framework}-{mode}-seed{seed}.json",
    log:
        "logs/train/{workload}/{framework}-{mode}-seed{seed}.log",
    benchmark:
        "results/benchmarks/train/{workload}/{framework}-{mode}-seed{seed}.tsv"
    priority: train_priority
    conda:
        "../../environment.yml"
    threads: workflow.cores
    resources:
        timed_job=1,
    params:
        spec=train_spec,
        timeout_s=config["timeout_s"],
        oom_retry_half_batch=config["oom_retry_half_batch"],
    script:
        "../../scripts/train.py"


use rule train as train_quality with:
    output:
        result="results/quality/{workload}/{framework}-{mode}-seed{seed}.json",
    log:
        "logs/quality/{workload}/{framework}-{mode}-seed{seed}.log",
    benchmark:
        "results/benchmarks/quality/{workload}/{framework}-{mode}-seed{seed}.tsv"
    priority: quality_priority
    params:
        spec=quality_spec,
        timeout_s=config["timeout_s"],
        oom_retry_half_batch=config["oom_retry_half_batch"],
