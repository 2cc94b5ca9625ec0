"""The inference study (claims C3, C10): a batch-size sweep of every inference mode and every export,
each in fresh processes. run.py (one job), tables.py (results -> inference_sweep.csv and
inference_exports.csv), claims.py (C3, C10), report.py (its section)."""
