"""The lines-of-code study's column names (results/loc.csv and the loc result files), defined once: its
run writes them, its tables, claims and report read them.
"""

BASELINE_PATH = "baseline_path"
CHANGED_LINES = "changed_lines"
CHANGED_TOKENS = "changed_tokens"
CYCLOMATIC_COMPLEXITY = "cyclomatic_complexity"
HALSTEAD_VOLUME = "halstead_volume"
LLOC = "lloc"
REGION = "region"
STYLE = "style"
TOKENS = "tokens"
