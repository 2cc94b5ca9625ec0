"""Runs: what one training run is and how it goes from a config to a row of a table. The plan (which
runs a config asks for, and their interleaved order), workloads and their data, the supervised run
process and the shared training loop of the speed and quality studies, FLOP counts, and the
aggregation of run results into results/summary.csv, quality.csv and curves.csv."""
