"""Rule count_flops: FLOPs of one training step of a workload (PyTorch's FLOP counter) -> JSON."""

import sys

from fwbench.core.process_exit import exit_without_teardown
from fwbench.runs.flops import write_flops

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
write_flops(snakemake.params.spec, snakemake.input.data, snakemake.output.flops)
exit_without_teardown()
