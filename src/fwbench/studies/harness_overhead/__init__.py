"""The harness-overhead study: the step time fwbench's harness and shared loop measure against a bare
hand-written step of the same model, per framework. run.py (the benchmark process), report.py (its
table)."""
