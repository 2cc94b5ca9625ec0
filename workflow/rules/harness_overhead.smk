# The harness-overhead study: fwbench's harness and shared loop against a bare hand-written step of the
# same model, per framework with a bare loop (frameworks/<name>/bare_loop.py), in one timed job
# (fwbench.studies.harness_overhead.run).


rule harness_overhead:
    input:
        code="src/fwbench/studies/harness_overhead/run.py",
        bare_loops=bare_loops,
        data=lambda wildcards: DATA_PATTERN.format(
            dataset=overhead_workload().dataset("default")
        ),
    output:
        result="results/harness_overhead.json",
    log:
        "logs/harness_overhead.log",
    benchmark:
        "results/benchmarks/harness_overhead/harness_overhead.tsv"
    conda:
        CONDA_ENV
    threads: workflow.cores
    resources:
        timed_job=1,
    params:
        workload=lambda wildcards: overhead_workload().name,
        blocks=config["harness_overhead"]["blocks"],
        block_steps=config["harness_overhead"]["block_steps"],
        environment_sha256=ENVIRONMENT_SHA256,
    shell:
        "python -m fwbench.studies.harness_overhead.run {output.result} --workload {params.workload} "
        "--blocks {params.blocks} --block-steps {params.block_steps} --threads {threads} "
        "--data {input.data} 2> {log}"
