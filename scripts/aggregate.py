"""Rule aggregate: every run result -> results/summary.csv, results/curves.csv, results/metrics.json."""

import sys

from fwbench.aggregate import aggregate

with open(snakemake.log[0], "w") as log:
    sys.stderr = log
    aggregate(
        snakemake.input.runs,
        summary_csv=snakemake.output.summary,
        curves_csv=snakemake.output.curves,
        metrics_json=snakemake.output.metrics,
    )
