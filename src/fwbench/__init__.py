"""fwbench: a reproducible PyTorch-vs-TensorFlow study (and JAX beside them) driven by Snakemake.

The package holds the pipeline's logic; Snakemake rules call thin entry points in scripts/.
Framework-specific code lives only in src/fwbench/frameworks/<name>/ (one folder per framework,
the same file names in each; fwbench.frameworks is the registry) and in each workload's and
customisation's impl files. Everything else here is framework-neutral, in layers that import only
downwards (tests/test_frameworks.py checks the graph has no loop):

- foundations: atomic (atomic writes), provenance, stats, memory, nvml_sampler, process_exit,
  labels, devices, debug_faults (the debugging study's catalogue), scheduler_patch (Snakemake's
  scheduler wake-ups coalesced), and the framework registry `frameworks` (its folders import only
  the registry, frameworks.common and the API folder their row names: frameworks/keras/);
- records and definitions: results (schemas, statuses), datasets, workloads, plan, supervise;
- studies: training + run_one (a run), parity, inference, flops, loc, debug_probes + debug_run,
  and their aggregation: aggregate, inference_tables, debug_scoring;
- the report: report_tables, report_speed, report_loc, report_debug, verdicts, report_style,
  report_claims, report_render.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "workflow" / "schemas"
WORKLOAD_DIR = REPO_ROOT / "workflow" / "workloads"
