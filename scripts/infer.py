"""Rule infer: inference sweep (and exports) of one (workload, framework, mode) -> one result file."""

import sys

from fwbench.core.process_exit import exit_without_teardown
from fwbench.studies.inference.run import run

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
spec = {**snakemake.params.spec, "threads": snakemake.threads}
status = run(spec, snakemake.output.result)
print(f"{spec['run_id']}: {status}", file=log)
exit_without_teardown()
