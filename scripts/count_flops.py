"""Rule count_flops: FLOPs of one training step of a workload (PyTorch's FLOP counter) -> JSON."""

import sys

from fwbench.flops import write_flops

with open(snakemake.log[0], "w") as log:
    sys.stderr = log
    write_flops(snakemake.params.spec, snakemake.input.data, snakemake.output.flops)
