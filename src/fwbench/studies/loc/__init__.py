"""The lines-of-code study (claims C8, C9; the port adaptations C11 reads): model files, harness
regions, complete programs and customisations counted with radon and Python's tokenizer.
run.py (counting), tables.py (results -> loc.csv), claims.py (C8, C9), report.py (its section)."""
