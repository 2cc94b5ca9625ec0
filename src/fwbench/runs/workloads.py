"""Workload discovery: every folder under workflow/workloads/ with a workload.yaml is a workload.

A workload folder holds workload.yaml (validated against workflow/schemas/workload.schema.yaml)
and one impl file per framework (the registry's impl_file: torch_impl.py, keras_impl.py, ...), each
defining build_model(**model_args). The parity pair's files (PyTorch and Keras) are required; a
framework added later may leave some workloads without its file, and their runs are then recorded
as unsupported. A folder may also carry its own data set: data.py with generate() -> dict of
arrays (fwbench.runs.datasets), named by workload.yaml's `dataset`. Folders whose names start with "_"
(such as _template) are skipped, so a template can live beside the real workloads.
"""

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from fwbench import SCHEMA_DIR, WORKLOAD_DIR
from fwbench.frameworks import FRAMEWORKS, PARITY_FRAMEWORKS, PARITY_REFERENCE, REGISTRY, UnsupportedMode
from fwbench.runs import datasets

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DATA_FILE = "data.py"  # a workload's own data generator (optional)
SIZE_OVERRIDES = ("model_args", "dataset")  # keys of a size that override the workload's own


class WorkloadError(ValueError):
    """A workload folder that cannot be used; the message names the file and what to fix."""


@dataclass(frozen=True)
class Workload:
    name: str
    folder: Path
    spec: dict

    def size(self, scale: str) -> dict:
        """The step budget of a size (its model_args and dataset overrides: model_args(), dataset())."""
        return {k: v for k, v in self.spec["sizes"][scale].items() if k not in SIZE_OVERRIDES}

    def model_args(self, scale: str) -> dict:
        """build_model() arguments at a size: the top-level model_args, with the size's over them."""
        return {**self.spec.get("model_args", {}), **self.spec["sizes"][scale].get("model_args", {})}

    def dataset(self, scale: str) -> str:
        """The data set a size trains on: the size's own, else the top-level one."""
        return self.spec["sizes"][scale].get("dataset", self.spec["dataset"])

    def datasets(self) -> list[str]:
        """Every data set any size of this workload uses (the top-level one first)."""
        return list(dict.fromkeys([self.spec["dataset"], *(self.dataset(s) for s in self.spec["sizes"])]))

    def impl_path(self, framework: str) -> Path:
        return self.folder / REGISTRY[framework].impl_file

    def implements(self, framework: str) -> bool:
        return self.impl_path(framework).is_file()

    def data_source(self) -> Path | None:
        """The folder's own data generator (data.py), or None for a built-in data set."""
        path = self.folder / DATA_FILE
        return path if path.is_file() else None

    def files(self) -> list[Path]:
        """The files whose change must re-run this workload's jobs (its data.py re-runs them
        through the data set it generates)."""
        impls = dict.fromkeys(self.impl_path(f) for f in FRAMEWORKS if self.implements(f))
        return [self.folder / "workload.yaml", *impls]


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
    for framework in (PARITY_REFERENCE, *PARITY_FRAMEWORKS):
        filename = REGISTRY[framework].impl_file
        if not (folder / filename).is_file():
            raise WorkloadError(f"{folder}: missing {filename} (the {framework} implementation)")
    workload = Workload(name=name, folder=folder, spec=spec)
    check_dataset(workload, spec_path)
    return workload


def check_dataset(workload: Workload, spec_path: Path) -> None:
    """A built-in data set by name, or the folder's own (data.py) under a name of its own; a size's
    own data set is a built-in one."""
    dataset = workload.spec["dataset"]
    built_in = ", ".join(sorted(datasets.GENERATORS))
    for scale in workload.spec["sizes"]:
        own = workload.dataset(scale)
        if own != dataset and own not in datasets.GENERATORS:
            raise WorkloadError(
                f"{spec_path}: sizes.{scale}.dataset: {own!r} is not one of the built-in data sets "
                f"({built_in}); a size may name a built-in data set, or leave the workload's own"
            )
    if workload.data_source() is None and dataset not in datasets.GENERATORS:
        raise WorkloadError(
            f"{spec_path}: dataset: {dataset!r} is not one of the built-in data sets ({built_in}); "
            f"for data of its own, add {DATA_FILE} with generate() -> dict of arrays to the folder"
        )
    if workload.data_source() is not None and dataset in datasets.GENERATORS:
        raise WorkloadError(
            f"{spec_path}: dataset: {dataset!r} is a built-in data set, but the folder has its own "
            f"{DATA_FILE}; give that data set a name of its own (not one of {built_in})"
        )


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
    found, own_data = {}, {}
    for spec_path in sorted(Path(root).glob("*/workload.yaml")):
        if spec_path.parent.name.startswith("_"):
            continue
        workload = load_workload(spec_path.parent)
        found[workload.name] = workload
        if workload.data_source() is not None:
            dataset = workload.spec["dataset"]
            if dataset in own_data:
                raise WorkloadError(
                    f"{spec_path}: dataset: {dataset!r} is already generated by "
                    f"{own_data[dataset]}; give this workload's data set another name"
                )
            own_data[dataset] = workload.data_source()
    return found


def data_sources(workloads) -> dict[str, Path | None]:
    """Every data set the workloads use, at any size -> its generator file (a workload's data.py),
    or None for a built-in generator of fwbench.runs.datasets."""
    return {
        name: w.data_source() if name == w.spec["dataset"] else None
        for w in workloads
        for name in w.datasets()
    }


def load_impl(path: Path, module_name: str):
    """Import a workload's impl file (torch_impl.py, keras_impl.py, ...) from its path, registered in
    sys.modules under `module_name` (torch.compile looks a traced function's module up there); a
    missing file is UnsupportedMode (the run is recorded as unsupported)."""
    if not Path(path).is_file():
        raise UnsupportedMode(f"{path}: no such file; this workload is not implemented in that framework yet")
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "build_model", None)):
        raise WorkloadError(f"{path}: defines no build_model(**model_args) function")
    return module
