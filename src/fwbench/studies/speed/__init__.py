"""The speed study (claims C1, C2, C4, C5, C6, C12, C13; beyond the article B1 and B2 speed and
memory): fixed work in every mode, timed step by step in fresh, interleaved processes (the runs of
fwbench.runs). tables.py (its derived tables), claims.py (its claims), report.py (its figures)."""
