"""Rule aggregate: every run result -> results/summary.csv (speed study), results/quality.csv
(quality study), results/curves.csv, results/metrics.json."""

import sys

from fwbench.core.results import ResultFileError
from fwbench.runs.aggregate import aggregate

# Open for the whole job (not in a with-block), so that an uncaught traceback still lands in the log.
sys.stderr = open(snakemake.log[0], "w", buffering=1)
try:
    aggregate(
        [*snakemake.input.runs, *snakemake.input.quality, *snakemake.input.imported, *snakemake.input.extra],
        summary_csv=snakemake.output.summary,
        quality_csv=snakemake.output.quality,
        curves_csv=snakemake.output.curves,
        metrics_json=snakemake.output.metrics,
        flops_paths=snakemake.input.flops,
        parity_csv=snakemake.input.parity[0] if snakemake.input.parity else None,
    )
except ResultFileError as exc:  # corrupt or old result file: one line naming it, then stop
    sys.exit(f"aggregate: {exc}")
