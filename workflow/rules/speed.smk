# The speed study: one job per (workload, framework, mode, seed) of `modes`, a fresh, supervised
# process that trains fixed work and writes one result file (workflow/rules/quality.smk reuses the
# rule for the quality study).
# Timed jobs take every core and one unit of the counted `timed_job` resource (limited to 1 in the
# default profile), so no two timed jobs ever share the machine; their priorities put them in the
# interleaved order of fwbench.runs.plan.timed_order.


rule train:
    input:
        unpack(train_inputs),
    output:
        result="results/runs/{workload}/{framework}-{mode}-seed{seed}.json",
    log:
        "logs/train/{workload}/{framework}-{mode}-seed{seed}.log",
    benchmark:
        BENCHMARK_PATTERNS["speed"]
    priority: train_priority
    conda:
        CONDA_ENV
    threads: workflow.cores
    resources:
        timed_job=1,
    params:
        spec=train_spec,
        timeout_s=config["timeout_s"],
        oom_retry_half_batch=config["oom_retry_half_batch"],
        environment_sha256=ENVIRONMENT_SHA256,
    script:
        "../../scripts/train.py"
