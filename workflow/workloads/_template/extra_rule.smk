# Template of a researcher's own rule file (docs/extending.md, "Add a rule file"). Copy it to
# workflow/rules/extra_<name>.smk: the Snakefile includes every such file. Its rules write result
# files in the result schema (workflow/schemas/result.schema.json) under results/extra/, and list
# them in EXTRA_RESULTS; aggregation (results/summary.csv) and the report pick them up.
#
# This example trains each selected workload once more in PyTorch eager mode on ONE thread (seed
# 100, a run the main plan does not make), through the same supervised runner as rule train.


EXTRA_RESULTS.extend(
    f"results/extra/single_thread/{workload.name}/torch-eager-seed100.json"
    for workload in SELECTED
)


# The rule reuses rule train (the supervised runner, its resources and settings) and changes only
# what differs: the output, the log, one thread, and the run's spec.
use rule train as single_thread_torch_eager with:
    output:
        result="results/extra/single_thread/{workload}/torch-eager-seed100.json",
    log:
        "logs/extra/single_thread/{workload}.log",
    benchmark:
        "results/benchmarks/extra/single_thread/{workload}.tsv"
    threads: 1
    params:
        spec=lambda wildcards: run_spec(
            WORKLOADS[wildcards.workload], "torch", "eager", 100, config
        ),
