# All run results into one tidy table, the learning curves, and the DVC metrics file.


rule aggregate:
    input:
        runs=run_results,
    output:
        summary="results/summary.csv",
        curves="results/curves.csv",
        metrics="results/metrics.json",
    log:
        "logs/aggregate.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/aggregate.py"
