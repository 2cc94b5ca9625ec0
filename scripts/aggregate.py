"""Rule aggregate: every run result -> results/summary.csv, results/curves.csv, results/metrics.json."""

import sys

from fwbench.aggregate import aggregate

with open(snakemake.log[0], "w") as log:
    sys.stderr = log
    aggregate(
        [*snakemake.input.runs, *snakemake.input.imported, *snakemake.input.extra],
        summary_csv=snakemake.output.summary,
        curves_csv=snakemake.output.curves,
        metrics_json=snakemake.output.metrics,
        flops_paths=snakemake.input.flops,
        parity_paths=snakemake.input.parity,
        parity_csv=snakemake.output.parity,
    )
