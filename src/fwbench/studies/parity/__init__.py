"""The parity study (claim C11, and every comparison's precondition): each workload's PyTorch model and
its Keras model on each runtime checked to be the same model. run.py (one pair), tables.py (results ->
parity.csv), claims.py (C11), report.py (its section)."""
