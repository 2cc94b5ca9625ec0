"""The framework axis: one folder per framework, one registry, and the boundary between them.

Static checks of the sources (which modules may import a framework, the framework folders' own
imports, an import graph without loops), the parts every registered folder must have, and, end to
end, a toy third framework (NumPy softmax regression) that a temporary checkout adds with a folder,
a registry row and the config schema's mode list alone, and that the tiny DAG then trains.
"""

import ast
import graphlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from fwbench import REPO_ROOT, frameworks
from fwbench.studies.debug.faults import FAULT_IDS
from fwbench.studies.loc.run import HARNESS_REGIONS, region_text

FRAMEWORK_PACKAGES = {"torch", "tensorflow", "keras", "jax", "jaxlib", "tf2onnx", "onnx"}
SOURCE_FOLDERS = ("src", "scripts", "benchmarks", "report", "tests")
# Framework code allowed outside src/fwbench/frameworks/<name>/: each workload's and customisation's
# impl files, and the tests (which exercise the frameworks directly).
IMPL_FOLDERS = ("workflow/workloads", "workflow/customisations")


def python_files(*folders):
    for folder in folders:
        yield from sorted((REPO_ROOT / folder).rglob("*.py"))


def imported_modules(path: Path, *, with_names: bool = True) -> set[str]:
    """Every module an `import` or `from ... import` in the file names (at any depth); with
    `with_names`, also `module.name` for each name a `from` import takes (it may be a submodule)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            if with_names:
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def framework_folder(path: Path) -> str | None:
    relative = path.relative_to(frameworks.FOLDER) if path.is_relative_to(frameworks.FOLDER) else None
    return relative.parts[0] if relative is not None and len(relative.parts) > 1 else None


def test_no_module_outside_the_framework_folders_imports_a_framework():
    offenders = []
    for path in python_files("src", "scripts", "benchmarks", "report"):
        if framework_folder(path) is not None:
            continue
        found = {name.split(".")[0] for name in imported_modules(path)} & FRAMEWORK_PACKAGES
        if found:
            offenders.append(f"{path.relative_to(REPO_ROOT)}: {', '.join(sorted(found))}")
    assert not offenders, "framework imports outside src/fwbench/frameworks/<name>/:\n" + "\n".join(offenders)


def test_impl_files_are_the_only_framework_code_in_workflow():
    for path in python_files("workflow"):
        found = {name.split(".")[0] for name in imported_modules(path)} & FRAMEWORK_PACKAGES
        if found:
            assert path.name.endswith("_impl.py") and str(path.parent).startswith(
                tuple(str(REPO_ROOT / f) for f in IMPL_FOLDERS)
            ), path


def test_framework_folders_import_only_the_registry_the_common_floor_and_themselves():
    """Nothing in a framework folder reaches up into the studies (fwbench.studies.inference.run, training,
    ...): the folders sit beneath them, on the registry and frameworks.common alone, plus the
    API folder their registry row names (the Keras runtimes' frameworks/keras/), which itself
    imports no framework folder."""
    api_folders = {row.api_folder for row in frameworks.REGISTRY.values() if row.api_folder}
    for path in python_files("src/fwbench/frameworks"):
        name = framework_folder(path)
        if name is None:
            continue
        row = frameworks.REGISTRY.get(name)
        assert row is not None or name in api_folders, f"{name}/ is neither a registry row nor an api_folder"
        folders = {name} | ({row.api_folder} if row is not None and row.api_folder else set())
        for module in imported_modules(path, with_names=False):
            if module.startswith("fwbench") and module not in (
                "fwbench.frameworks",
                "fwbench.frameworks.common",
            ):
                assert any(
                    module == f"fwbench.frameworks.{f}" or module.startswith(f"fwbench.frameworks.{f}.")
                    for f in folders
                ), (path, module)


def test_the_registry_and_the_folders_packages_import_no_framework():
    """The registry is imported at Snakefile parse time and by every run process before anyone
    knows whether a framework is installed; the folders' __init__.py files stay empty."""
    for path in (frameworks.FOLDER / "__init__.py", frameworks.FOLDER / "common.py"):
        fwbench_imports = {m for m in imported_modules(path) if m.startswith("fwbench")}
        assert not ({m.split(".")[0] for m in imported_modules(path)} & FRAMEWORK_PACKAGES), path
        assert not fwbench_imports, (path, fwbench_imports)
    for name in frameworks.FRAMEWORKS:
        assert (frameworks.FOLDER / name / "__init__.py").read_text() == "", name


# The package's layers, bottom up (the package docstring names them), as module-name prefixes; a
# module imports only from its own layer or one beneath it. The framework folders sit on the registry
# and common (and the API folder their row names) alone; a study's folder imports no other study's.
LAYERS = (
    ("fwbench", "core", "frameworks", "frameworks.common"),
    ("frameworks.<folder>", "runs"),
    ("studies",),
    ("ledger",),
    ("reporting",),
)


def package_graph() -> dict[str, set[str]]:
    """fwbench module -> the fwbench modules it imports (static imports, at any depth)."""
    modules = {}
    for path in python_files("src/fwbench"):
        relative = path.relative_to(REPO_ROOT / "src").with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        modules[".".join(parts)] = path
    return {
        name: {m for m in imported_modules(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def layer_of(module: str) -> int:
    short = module.removeprefix("fwbench.") if module != "fwbench" else "fwbench"
    if short.startswith("frameworks.") and short != "frameworks.common":
        short = "frameworks.<folder>"
    for index, prefixes in enumerate(LAYERS):
        if any(short == prefix or short.startswith(prefix + ".") for prefix in prefixes):
            return index
    raise AssertionError(f"{module} is in no layer of tests/unit/test_frameworks.py LAYERS: place it")


def study_of(module: str) -> str | None:
    """The study folder a module belongs to (fwbench.studies.<name>.*), or None."""
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "studies" else None


def test_the_package_import_graph_has_no_loop_and_no_import_upwards():
    graph = package_graph()
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the loop
    upwards = [f"{a} -> {b}" for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a)]
    assert not upwards, "imports from a lower layer to a higher one:\n" + "\n".join(sorted(upwards))
    across = [
        f"{a} -> {b}"
        for a, targets in graph.items()
        for b in targets
        if study_of(a) and study_of(b) and study_of(a) != study_of(b)
    ]
    assert not across, "a study's folder imports another study's:\n" + "\n".join(sorted(across))


@pytest.mark.parametrize("framework", frameworks.FRAMEWORKS)
def test_every_registered_framework_has_its_folder_and_parts(framework):
    row = frameworks.row(framework)
    assert row.execution_modes[0] == "eager"
    harness_text = frameworks.source(framework, "harness").read_text()
    for region in HARNESS_REGIONS:  # the lines-of-code and debugging studies read these
        assert region_text(harness_text, region).strip(), (framework, region)
    for part in ("inference", "faults"):
        assert frameworks.source(framework, part).is_file(), (framework, part)
    assert set(frameworks.load(framework, "faults").MUTATIONS) == set(FAULT_IDS)
    # in a fresh process, as runs do: Keras takes its backend from the first Keras runtime imported
    code = (
        "from fwbench.frameworks import load_harness; "
        f"print(load_harness({framework!r}, threads=2, device='cpu', seed=0).framework)"
    )
    built = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert built.stdout.strip().splitlines()[-1:] == [framework], built.stderr[-2000:]
    if row.loc_baseline:
        assert row.loc_baseline in frameworks.samples(framework)


def test_an_unknown_framework_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown framework 'mxnet'; known: torch, tf, jax"):
        frameworks.load("mxnet", "harness")


def test_a_missing_impl_file_makes_the_run_unsupported(tmp_path):
    from fwbench.core.results import classify
    from fwbench.runs.workloads import load_impl

    try:
        load_impl(tmp_path / "numpy_impl.py", "fwbench_missing_impl")
    except frameworks.UnsupportedMode as exc:
        status, error = classify(exc, "torch")
    assert status == "unsupported" and "numpy_impl.py" in error["message"]


# --- a toy third framework, end to end -------------------------------------------------------------

TOY_HARNESS = '''"""Toy framework (tests only): NumPy softmax regression, hand-written gradient, Adam."""

import numpy as np

from fwbench.frameworks import DeviceUnavailable, check_mode


class Harness:
    framework = "numpy"

    def __init__(self, *, threads, device, seed, deterministic=True, precision="fp32"):
        if device == "cuda":
            raise DeviceUnavailable("numpy runs on the CPU only")
        self.threads, self.requested_device, self.seed = threads, device, seed

    def device_info(self):
        return {"requested": self.requested_device, "kind": "cpu", "name": "cpu"}

    def thread_info(self):
        return {"intra_op": self.threads, "inter_op": self.threads}

    def build_model(self, impl, model_args):
        return impl.build_model(np.random.default_rng(self.seed), **model_args)

    @staticmethod
    def param_count(model):
        return int(sum(p.size for p in model.values()))

    # region: train_step
    def make_train_step(self, model, optimizer_cfg, mode):
        check_mode(self.framework, mode)
        lr, eps, (beta1, beta2) = optimizer_cfg["lr"], optimizer_cfg["eps"], (0.9, 0.999)
        moments = {k: [np.zeros_like(v), np.zeros_like(v)] for k, v in model.items()}
        steps = [0]

        def train_step(x, y):
            logits = x @ model["w"] + model["b"]
            shifted = logits - logits.max(axis=1, keepdims=True)
            probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
            loss = -np.log(probs[np.arange(len(y)), y]).mean()
            probs[np.arange(len(y)), y] -= 1
            grads = {"w": x.T @ probs / len(y), "b": probs.mean(axis=0)}
            steps[0] += 1
            for key, grad in grads.items():
                m, v = moments[key]
                m[:] = beta1 * m + (1 - beta1) * grad
                v[:] = beta2 * v + (1 - beta2) * grad**2
                m_hat, v_hat = m / (1 - beta1 ** steps[0]), v / (1 - beta2 ** steps[0])
                model[key] -= lr * m_hat / (np.sqrt(v_hat) + eps)
            return float(loss)

        return train_step

    # endregion

    @staticmethod
    def to_tensors(x, y):
        return x, y

    @staticmethod
    def synchronize():
        pass

    # region: evaluate
    @staticmethod
    def predict(model, x):
        return (x @ model["w"] + model["b"]).astype(np.float32)

    # endregion

    @staticmethod
    def export_weights(model):
        return [model["w"].T.copy(), model["b"].copy()]

    @staticmethod
    def import_weights(model, arrays):
        model["w"], model["b"] = np.asarray(arrays[0]).T.copy(), np.asarray(arrays[1]).copy()

    def compile_info(self):
        return None  # nothing is compiled

    def reset_peak_device_memory(self):
        pass

    def peak_device_memory_mb(self):
        return None

    def peak_device_reserved_mb(self):
        return None
'''

TOY_IMPL = '''"""mlp in the toy NumPy framework: a softmax regression (tests only)."""

import numpy as np


def build_model(rng, input_size=40, hidden_size=100, num_classes=10):
    limit = np.sqrt(6 / (input_size + num_classes))
    return {
        "w": rng.uniform(-limit, limit, (input_size, num_classes)).astype(np.float32),
        "b": np.zeros(num_classes, np.float32),
    }
'''

TOY_ROW = """        Framework(
            name="numpy",
            display_name="NumPy (toy)",
            import_names=("numpy",),
            install_hint="pip install numpy",
            execution_modes=("eager",),
            impl_file="numpy_impl.py",
            harness_style="dict of arrays + hand-written gradient",
        ),
"""


@pytest.mark.e2e
def test_a_toy_third_framework_is_a_folder_and_a_registry_row(tmp_path):
    """docs/extending.md "Add a framework", followed in a temporary checkout: the folder, its registry row,
    the config schema's mode list and the workload's impl file; no other edit. The tiny DAG then
    trains it beside the others and aggregates it; its lines of code are counted too."""
    from tests.helpers.pipeline import checkout_copy, snakemake

    copy = checkout_copy(tmp_path)
    folder = copy / "src/fwbench/frameworks/numpy"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "harness.py").write_text(TOY_HARNESS)
    registry = copy / "src/fwbench/frameworks/__init__.py"
    text = registry.read_text()
    anchor = "    )\n}\nFRAMEWORKS = tuple(REGISTRY)"
    assert anchor in text
    registry.write_text(text.replace(anchor, TOY_ROW + anchor))
    schema_path = copy / "workflow/schemas/config.schema.yaml"
    schema = yaml.safe_load(schema_path.read_text())
    schema["$defs"]["modes"]["properties"]["numpy"] = {
        "type": "array",
        "uniqueItems": True,
        "items": {"enum": ["eager", "eager_bf16"]},
    }
    schema_path.write_text(yaml.safe_dump(schema, sort_keys=False))
    (copy / "workflow/workloads/mlp/numpy_impl.py").write_text(TOY_IMPL)

    run = snakemake(
        copy,
        "--config",
        "workloads=[mlp, cnn1d]",
        "modes={torch: [eager], tf: [graph], numpy: [eager]}",
        "quality_modes={torch: [eager], tf: [graph], numpy: [eager]}",
        "studies=[loc]",
        "--",
        "results/summary.csv",
        "results/loc.csv",
    )
    assert run.returncode == 0, run.stderr[-5000:]
    summary = pd.read_csv(copy / "results/summary.csv").set_index("run_id")
    toy = summary.loc["mlp/numpy-eager-seed0"]
    assert toy["status"] == "ok" and toy["step_time_ms_median"] > 0  # the speed study timed it
    assert toy["param_count"] == 40 * 10 + 10
    quality = pd.read_csv(copy / "results/quality.csv").set_index("run_id")
    assert quality.loc["quality/mlp/numpy-eager-seed0", "test_accuracy"] > 0.2  # chance is 0.1
    # cnn1d has no numpy_impl.py: recorded as unsupported, naming the file, never dropped
    assert summary.loc["cnn1d/numpy-eager-seed0", "status"] == "unsupported"
    assert "numpy_impl.py" in summary.loc["cnn1d/numpy-eager-seed0", "error_message"]
    assert (summary.drop(index="cnn1d/numpy-eager-seed0")["status"] == "ok").all()
    loc = pd.read_csv(copy / "results/loc.csv")
    toy_rows = loc[(loc["framework"] == "numpy") & (loc["subject"] == "workload")]
    assert set(toy_rows[toy_rows["name"] == "mlp"]["part"]) == {"model", "train_step", "evaluate", "harness"}
    assert "model" not in set(toy_rows[toy_rows["name"] == "cnn1d"]["part"])

    shutil.rmtree(folder)  # ... and removed again: the checkout is as before, bar the row
    registry.write_text(text)
    assert snakemake(copy, "-n", "--config", "workloads=[mlp]").returncode == 0
