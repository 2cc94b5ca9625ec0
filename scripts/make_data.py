"""Rule make_dataset: generate data/generated/<dataset>.npz locally (no network) and its sha256 file,
with a built-in generator or the workload folder's own data.py (params.source)."""

import sys

from fwbench.core.provenance import sha256_file
from fwbench.runs import datasets

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
datasets.generate(snakemake.wildcards.dataset, snakemake.output.data, source=snakemake.params.source)
digest = sha256_file(snakemake.output.data)
with open(snakemake.output.sha256, "w") as fh:
    fh.write(f"{digest}  {snakemake.output.data}\n")
print(f"{snakemake.output.data}: sha256 {digest}", file=log)
