"""A column of the run tables is named once: in fwbench.core.columns, imported everywhere else.

Every measured column (a constant of fwbench.core.columns) is looked for as a string literal in
the package, the Snakemake scripts and the report; only columns.py may type it. The two columns
that are also a run spec's config keys (batch_size, eval_every) are read from the spec under the
config's spelling, so they are left out; so is a library's own key that happens to share a name.
"""

import io
import tokenize
from pathlib import Path

from fwbench.core import columns

REPO = Path(__file__).resolve().parents[2]
CONFIG_KEYS = {columns.BATCH_SIZE, columns.EVAL_EVERY}
LIBRARY_KEYS = {("src/fwbench/frameworks/tf/harness.py", "device_name")}  # tf get_device_details()
MEASURED = {
    value
    for name, value in vars(columns).items()
    if name.isupper() and isinstance(value, str) and value not in CONFIG_KEYS
}


def sources():
    package = [
        path
        for path in (REPO / "src/fwbench").rglob("*.py")
        if "samples" not in path.parts and path.name != "columns.py"  # samples: self-contained programs
    ]
    return package + sorted((REPO / "scripts").glob("*.py")) + [REPO / "report/index.py"]


def literals(path: Path) -> set[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
    return {
        token.string[1:-1]
        for token in tokens
        if token.type == tokenize.STRING and token.string[:1] in "\"'" and token.string[-1:] in "\"'"
    }


def test_every_measured_column_is_typed_only_in_columns_py():
    assert len(MEASURED) > 20
    typed = {
        (str(path.relative_to(REPO)), literal) for path in sources() for literal in literals(path) & MEASURED
    }
    assert typed - LIBRARY_KEYS == set()
