# All run results into one tidy table per training study, the learning curves, and the DVC metrics file.


rule aggregate:
    input:
        runs=run_results,
        quality=quality_results,
        imported=imported_results,
        flops=flops_results,
        extra=extra_results,
        parity=parity_results,
    output:
        summary="results/summary.csv",
        quality="results/quality.csv",
        curves="results/curves.csv",
        metrics="results/metrics.json",
        parity="results/parity.csv",
    log:
        "logs/aggregate.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/aggregate.py"
