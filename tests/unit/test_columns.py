"""A column of the result tables is named once: the run tables' in fwbench.core.columns, each
study's own tables' in fwbench.studies.<study>.columns, imported everywhere else.

Every measured column (a constant of those modules) is looked for as a string literal in the
package, the Snakemake scripts and the report; only the module that defines it may type it. The two columns
that are also a run spec's config keys (batch_size, eval_every) are read from the spec under the
config's spelling, so they are left out; so is a library's own key that happens to share a name.
"""

import importlib
import io
import tokenize
from pathlib import Path

import pytest

from fwbench.core import columns
from fwbench.studies import REGISTRY

REPO = Path(__file__).resolve().parents[2]
CONFIG_KEYS = {columns.BATCH_SIZE, columns.EVAL_EVERY}
LIBRARY_KEYS = {("src/fwbench/frameworks/tf/harness.py", "device_name")}  # tf get_device_details()
DEFINERS = ["fwbench.core.columns"] + [
    f"fwbench.studies.{name}.columns"
    for name in REGISTRY
    if (REPO / "src/fwbench/studies" / name / "columns.py").is_file()
]


def names_of(module_name: str) -> set[str]:
    module = importlib.import_module(module_name)
    return {
        value
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value not in CONFIG_KEYS
    }


def sources():
    package = [
        path
        for path in (REPO / "src/fwbench").rglob("*.py")
        if "samples" not in path.parts  # samples: self-contained programs
    ]
    return package + sorted((REPO / "scripts").glob("*.py")) + [REPO / "report/index.py"]


def literals(path: Path) -> set[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
    return {
        token.string[1:-1]
        for token in tokens
        if token.type == tokenize.STRING and token.string[:1] in "\"'" and token.string[-1:] in "\"'"
    }


@pytest.mark.parametrize("definer", DEFINERS)
def test_every_column_is_typed_only_in_the_module_that_defines_it(definer):
    defined = names_of(definer)
    assert len(defined) >= 8
    home = "src/" + definer.replace(".", "/") + ".py"
    typed = {
        (str(path.relative_to(REPO)), literal)
        for path in sources()
        if str(path.relative_to(REPO)) != home
        for literal in literals(path) & defined
    }
    assert typed - LIBRARY_KEYS == set()


def test_no_two_modules_define_the_same_column():
    seen = {}
    for definer in DEFINERS:
        for value in names_of(definer):
            assert value not in seen, f"{value}: {seen[value]} and {definer}"
            seen[value] = definer
