"""fwbench: a reproducible PyTorch-vs-TensorFlow study (and JAX beside them) driven by Snakemake.

The package holds the pipeline's logic; Snakemake rules call thin entry points in scripts/. Its
folders are layers that import only downwards (tests/unit/test_frameworks.py checks the graph):

- core/: neutral foundations (atomic writes, provenance, result schemas, statistics, memory,
  devices, labels, the run tables' column names, the NVML sampler, the scheduler patch);
- frameworks/: the framework registry and one folder per framework, the only place (with each
  workload's and customisation's impl files) where framework-specific code lives;
- runs/: one training run from plan to result file, and the run tables (aggregate);
- studies/: the study registry, verdict.py (what every claim's rule shares) and one folder per
  study with the same file names in each (run, tables, claims, report); no study imports another;
- ledger.py: every registered study's claims judged from a results folder (results/ledger.json);
- reporting/: what the report's sections share (style, rendering, the ledger's view, headlines).
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "workflow" / "schemas"
WORKLOAD_DIR = REPO_ROOT / "workflow" / "workloads"
