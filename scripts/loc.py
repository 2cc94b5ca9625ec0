"""Rules loc_* and aggregate_loc: count one subject into a result file, or aggregate into loc.csv."""

import sys
from pathlib import Path

from fwbench.core.results import write_result
from fwbench.runs.workloads import load_workload
from fwbench.studies.loc import run as loc
from fwbench.studies.loc.tables import aggregate_loc

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
if snakemake.rule == "aggregate_loc":
    aggregate_loc(snakemake.input, snakemake.output[0])
else:
    subject = snakemake.params.subject
    if subject == "workload":
        record = loc.workload_record(load_workload(Path("workflow/workloads") / snakemake.wildcards.workload))
    elif subject == "samples":
        record = loc.samples_record()
    else:
        record = loc.customisation_record(snakemake.wildcards.task)
    write_result(snakemake.output[0], record, kind="loc")
