"""Rules debug_probe and aggregate_debug: one probe in a fresh process, or the aggregation."""

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
    spec = {**snakemake.params.spec, "threads": snakemake.threads}
    status = debug_probes.run_probe(spec, snakemake.output.result, log, snakemake.params.timeout_s)
    print(f"{spec['run_id']}: {status}", file=log)
