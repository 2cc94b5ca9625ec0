"""The quality study (the accuracy headline; beyond the article B2-accuracy): each workload's training
recipe with test-set evaluations, in each framework's reference modes (the runs of fwbench.runs).
tables.py (accuracy, time to accuracy, baselines), claims.py (B2-accuracy), report.py (its figures)."""
