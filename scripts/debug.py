"""Rules debug_probe and aggregate_debug: the probes of one workload, framework and mode in one process, or
the aggregation."""

import sys

from fwbench.studies.debug import probes as debug_probes
from fwbench.studies.debug import tables as debug_tables

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
if snakemake.rule == "aggregate_debug":
    debug_tables.aggregate_debug(
        snakemake.input, rows_csv=snakemake.output.rows, index_csv=snakemake.output.index
    )
else:
    specs = [{**spec, "threads": snakemake.threads} for spec in snakemake.params.specs]
    statuses = debug_probes.run_probes(specs, snakemake.output.results, log, snakemake.params.timeout_s)
    for spec, status in zip(specs, statuses, strict=True):
        print(f"{spec['run_id']}: {status}", file=log)
