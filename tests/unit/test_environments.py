"""The installable environments agree with each other: pyproject.toml declares what the code imports,
each lock holds its variant (runtime apart from dev tools), and the rules' conda environment files
are exactly the locks' pins with no relative path (Snakemake builds them from its own copy).
Conda's channels are out of reach from the reference machine, so `--use-conda` is checked here
statically, never run."""

import ast
import re
import sys
import tomllib

import pytest
import yaml

from fwbench.core import environments
from tests.helpers.pipeline import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
DEV_TOOLS = {"pytest", "ruff", "selenium", "snakefmt", "uv"}


def name_of(requirement: str) -> str:
    """The normalised distribution name of a requirement line or an import name."""
    return re.split(r"[=<>\[;@ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def lock_names(variant: str) -> dict[str, str]:
    pins = environments.pins(environments.lock_path(variant).read_text())
    return {name_of(pin): pin.split("==", 1)[1] for pin in pins}


@pytest.mark.parametrize("variant", environments.RUNTIME_VARIANTS)
def test_each_conda_env_is_its_lock_with_no_relative_path(variant):
    written = environments.env_path(variant).read_text()
    assert written == environments.conda_env(variant, environments.lock_path(variant).read_text())
    pip_lines = yaml.safe_load(written)["dependencies"][-1]["pip"]
    assert not [line for line in pip_lines if line.startswith(("-r", "-e", "-c", ".", "/"))]


@pytest.mark.parametrize("variant", environments.RUNTIME_VARIANTS)
def test_each_runtime_lock_holds_every_dependency_and_no_dev_tool(variant):
    names = lock_names(variant)
    extras = PROJECT["optional-dependencies"]
    wanted = PROJECT["dependencies"] + [
        requirement for extra in ("torch", "onnx") for requirement in extras[extra]
    ]
    assert {name_of(requirement) for requirement in wanted} <= set(names)
    assert not DEV_TOOLS & set(names)


def test_the_variants_differ_where_they_should():
    cpu, gpu = lock_names("cpu"), lock_names("gpu")
    assert cpu["torch"].endswith("+cpu") and "+" not in gpu["torch"]
    assert "tensorflow-cpu" in cpu and "tensorflow" in gpu and "tensorflow-cpu" not in gpu
    assert not any(name.startswith("nvidia-cu") for name in cpu)
    assert any(name.startswith("jax-cuda12") for name in gpu)
    shared = set(cpu) & set(gpu) - {"torch"}
    assert all(cpu[name] == gpu[name] for name in shared)  # one version of every shared package


def test_the_dev_lock_holds_the_dev_tools_at_the_runtime_locks_versions():
    dev = lock_names("dev")
    assert {name_of(tool) for tool in PROJECT["optional-dependencies"]["dev"]} <= set(dev)
    cpu = lock_names("cpu")
    assert all(dev[name] == cpu[name] for name in set(dev) & set(cpu))


def test_what_the_code_imports_is_declared():
    """Every third-party package imported by src/, scripts/ or report/ comes from a declared
    requirement (scipy was imported and undeclared once; pygount declared and never imported)."""
    declared = {name_of(requirement) for requirement in PROJECT["dependencies"]}
    declared |= {
        name_of(r)
        for extra in ("torch", "tf", "jax", "onnx")
        for r in PROJECT["optional-dependencies"][extra]
    }
    imported_as = {  # import name -> the declared distribution that brings it
        "sklearn": "scikit-learn", "yaml": "pyyaml", "pynvml": "nvidia-ml-py", "tensorflow": "tensorflow-cpu",
        "IPython": "ipykernel", "matplotlib_inline": "ipykernel", "nbformat": "nbconvert",
    }  # fmt: skip
    standard = set(sys.stdlib_module_names) | {"fwbench"}
    sources = [*(REPO / "src").rglob("*.py"), *(REPO / "scripts").glob("*.py"), REPO / "report" / "index.py"]
    imported = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = imported - standard
    undeclared = {name for name in third_party if name_of(imported_as.get(name, name)) not in declared}
    assert not undeclared


def test_the_kubernetes_image_is_built_by_a_file_in_the_repository():
    """The Kubernetes profile's image comes from the Dockerfile (not built here: no registry)."""
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "Dockerfile" in (REPO / "profiles" / "kubernetes" / "config.yaml").read_text()
    copied = re.findall(r"^COPY (\S+) ", dockerfile, re.M)
    assert copied and all((REPO / source).exists() for source in copied)
    default_variant = re.search(r"^ARG VARIANT=(\w+)", dockerfile, re.M).group(1)
    assert default_variant in environments.RUNTIME_VARIANTS
    assert "requirements/$VARIANT.lock.txt" in dockerfile and "PYTHONPATH=/fwbench/src" in dockerfile
