"""Rule baselines: each workload's trivial baselines (majority class; bigram for next-token data)
beside its target at the run's scale -> results/baselines.csv (fwbench.runs.baselines)."""

import sys

from fwbench.core.atomic import write_csv_atomic
from fwbench.runs import baselines
from fwbench.runs.plan import DATA_PATTERN

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
frame = baselines.table(snakemake.params.workloads, DATA_PATTERN, scale=snakemake.params.scale)
write_csv_atomic(frame, snakemake.output.table)
print(frame.to_string(index=False), file=log)
