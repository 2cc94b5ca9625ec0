"""fwbench: a reproducible PyTorch-vs-TensorFlow study driven by Snakemake.

The package holds the pipeline's logic; Snakemake rules call thin entry points in scripts/.
Framework-specific code lives only in modules named for their framework (harness_torch.py,
harness_tf.py) and in each workload's torch_impl.py / tf_impl.py.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "workflow" / "schemas"
WORKLOAD_DIR = REPO_ROOT / "workflow" / "workloads"
FRAMEWORKS = ("torch", "tf")
