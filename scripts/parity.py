"""Rule parity: is a workload's model in one framework the reference's (PyTorch's)?
-> results/parity/<workload>/<framework>.json."""

import sys

from fwbench import parity
from fwbench.process_exit import exit_without_teardown
from fwbench.results import write_result

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
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
