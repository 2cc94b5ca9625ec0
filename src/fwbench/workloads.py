"""Workload discovery: every folder under workflow/workloads/ with a workload.yaml is a workload.

A workload folder holds workload.yaml (validated against workflow/schemas/workload.schema.yaml),
torch_impl.py and tf_impl.py, each defining build_model(**model_args). Folders whose names start
with "_" (such as _template) are skipped, so a template can live beside the real workloads.
"""

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from fwbench import SCHEMA_DIR, WORKLOAD_DIR

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
IMPL_FILES = {"torch": "torch_impl.py", "tf": "tf_impl.py"}


class WorkloadError(ValueError):
    """A workload folder that cannot be used; the message names the file and what to fix."""


@dataclass(frozen=True)
class Workload:
    name: str
    folder: Path
    spec: dict

    def size(self, scale: str) -> dict:
        return self.spec["sizes"][scale]

    def impl_path(self, framework: str) -> Path:
        return self.folder / IMPL_FILES[framework]

    def files(self) -> list[Path]:
        """The files whose change must re-run this workload's jobs."""
        return [self.folder / "workload.yaml", *(self.impl_path(f) for f in IMPL_FILES)]


def load_workload(folder: Path) -> Workload:
    from snakemake.utils import validate  # the same validator (with defaults) the Snakefile uses

    folder = Path(folder)
    name = folder.name
    if not NAME_PATTERN.match(name):
        raise WorkloadError(
            f"{folder}: workload folder names must match {NAME_PATTERN.pattern} "
            "(lower case, digits, underscores); rename the folder"
        )
    spec_path = folder / "workload.yaml"
    try:
        spec = yaml.safe_load(spec_path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise WorkloadError(f"{spec_path}: cannot read YAML ({exc})") from exc
    if not isinstance(spec, dict):
        raise WorkloadError(f"{spec_path}: expected a mapping of keys, got {type(spec).__name__}")
    try:
        validate(spec, str(SCHEMA_DIR / "workload.schema.yaml"))
    except Exception as exc:  # snakemake raises WorkflowError wrapping the jsonschema error
        raise WorkloadError(f"{spec_path}: {schema_error_line(exc)}") from exc
    optimizer = spec["optimizer"]
    if optimizer["name"] == "adam" and optimizer["weight_decay"] > 0:
        raise WorkloadError(
            f"{spec_path}: optimizer.weight_decay with adam means L2 in PyTorch but decoupled decay "
            "in Keras; use name: adamw, which decouples it in both"
        )
    for framework, filename in IMPL_FILES.items():
        if not (folder / filename).is_file():
            raise WorkloadError(f"{folder}: missing {filename} (the {framework} implementation)")
    return Workload(name=name, folder=folder, spec=spec)


def schema_error_line(exc: Exception) -> str:
    """The one useful line of a (possibly wrapped) jsonschema error: where, and what is wrong."""
    import jsonschema

    inner = exc
    while inner is not None and not isinstance(inner, jsonschema.ValidationError):
        inner = inner.__cause__ or inner.__context__
    if inner is None:
        return str(exc).strip().splitlines()[0]
    where = ".".join(str(p) for p in inner.absolute_path) or "(top level)"
    return f"{where}: {inner.message}"


def discover(root: Path = WORKLOAD_DIR) -> dict[str, Workload]:
    """All workloads under `root`, by name, skipping folders that start with '_'."""
    found = {}
    for spec_path in sorted(Path(root).glob("*/workload.yaml")):
        if spec_path.parent.name.startswith("_"):
            continue
        workload = load_workload(spec_path.parent)
        found[workload.name] = workload
    return found


def load_impl(path: Path, module_name: str):
    """Import a workload's torch_impl.py / tf_impl.py from its path, registered in sys.modules
    under `module_name` (torch.compile looks a traced function's module up there)."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "build_model", None)):
        raise WorkloadError(f"{path}: defines no build_model(**model_args) function")
    return module
