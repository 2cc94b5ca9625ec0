"""Rule report: render report/index.py to one self-contained HTML file (Quarto, else offline)."""

import os
import sys

from fwbench.reporting.render import render

# Not a with-block: an uncaught traceback must still reach the log.
log = open(snakemake.log[0], "w", buffering=1)
sys.stderr = log
os.dup2(log.fileno(), 2)  # the notebook kernel (a subprocess) writes to fd 2: keep it in the log
renderer = render(
    snakemake.input.source, snakemake.output.html, results_dir=snakemake.params.results_dir, log=log
)
print(f"rendered {snakemake.output.html} with {renderer}", file=log)
