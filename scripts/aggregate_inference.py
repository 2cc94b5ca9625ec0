"""Rule aggregate_inference: inference results -> results/inference_sweep.csv and inference_exports.csv."""

import sys

from fwbench.studies.inference.tables import aggregate_inference

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
aggregate_inference(
    snakemake.input.results, sweep_csv=snakemake.output.sweep, exports_csv=snakemake.output.exports
)
