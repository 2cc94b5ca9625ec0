"""Rule ledger: every registered study's claims judged from the tables -> results/ledger.json and
results/ledger.csv (fwbench.ledger)."""

import sys

from fwbench import ledger

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
record = ledger.write(snakemake.params.results_dir, snakemake.output.json, snakemake.output.csv)
for claim_id, entry in record["claims"].items():
    print(f"{claim_id}: {entry['verdict']}", file=log)
