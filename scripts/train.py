"""Rules train and train_quality: one (study, workload, framework, mode, seed) run in a fresh,
supervised process."""

import sys

from fwbench.runs.supervise import supervise

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
spec = {**snakemake.params.spec, "threads": snakemake.threads}
status = supervise(
    spec,
    snakemake.output.result,
    log,
    snakemake.params.timeout_s,
    oom_retry_half_batch=snakemake.params.oom_retry_half_batch,
)
print(f"{spec['run_id']}: {status}", file=log)
