"""Rules parity and aggregate_parity: is a workload's model in one framework the reference's
(PyTorch's)? -> results/parity/<workload>/<framework>.json; then every pair -> results/parity.csv."""

import sys

from fwbench.core.process_exit import exit_without_teardown
from fwbench.core.results import write_result
from fwbench.studies.parity import run as parity
from fwbench.studies.parity.tables import aggregate_parity

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
if snakemake.rule == "aggregate_parity":
    aggregate_parity(snakemake.input, snakemake.output[0])
    sys.exit(0)
record = parity.record(
    snakemake.params.workload,
    snakemake.input.data,
    framework=snakemake.wildcards.framework,
    with_reference_compiled=snakemake.params.with_reference_compiled,
    threads=snakemake.threads,
    modes=snakemake.params.modes,
    scale=snakemake.params.scale,
)
write_result(snakemake.output.result, record, kind="parity")
pair = f"{snakemake.wildcards.workload}/{snakemake.wildcards.framework}"
print(f"{pair}: parity passed={record['passed']} ({record['status']})", file=log)
exit_without_teardown()
