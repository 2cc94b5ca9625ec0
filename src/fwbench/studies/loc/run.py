"""Lines of code and complexity (issue 5, claims C8 and C9): what each framework's code costs.

Measures, for each counted unit of code: radon's raw counts (SLOC, logical lines, comment lines),
cyclomatic complexity (radon's total over the unit), Halstead volume (radon), and tokens (Python's
tokenize, without comments, newlines and indentation tokens, so long lines are not rewarded).
Docstrings are blanked before counting: they document, they are not code a user has to write.

A unit is a whole file or a marked region of one: the lines between `# region: NAME` and
`# endregion` (a region may occur several times in a file; its segments are counted together).
Three subjects are counted, each into its own result file (kind "loc"):
- workload: per framework, the model definition (its impl file: torch_impl.py, keras_impl.py), the
  harness's training step and evaluation (regions `train_step`, `evaluate` of
  frameworks/<name>/harness.py) and the framework's whole harness module;
- samples: the complete programs of frameworks/<name>/samples/ (PyTorch loop, Keras fit, Keras
  custom train_step), by region. One workload (the MNIST-1D MLP) written the idiomatic way on
  each side, so that what is counted is code that works (tests/studies/loc/test_loc.py runs each for a couple
  of steps); every program marks its parts `# region: model|train|evaluate` and exposes
  run(data, epochs, batch_size) -> {"history": ..., "test_accuracy": float};
- customisation: each task of workflow/customisations/, the variant's diff against its
  framework's baseline sample (the registry's loc_baseline: torch_loop, keras_fit; lines and
  tokens added and removed, via difflib) beside the variant's own counts.
A model definition also gets its port adaptations (claim C11): the lines marked `# port: KIND`,
where KIND is one of PORT_KINDS, the lines a model file needs only because the other framework's
conventions differ (weight-layout groups, padding or permute fixes, convention constants such as
epsilons and momenta, initialisation set to the other framework's default). One kind in a file is
one adaptation; its marked lines and their code tokens are its size, and they are parity's code,
not the model's: the model's own tokens leave them out (claim C9).
The rules in workflow/rules/loc.smk call this through scripts/loc.py; aggregate_loc() writes loc.csv.
"""

import ast
import difflib
import io
import re
import textwrap
import tokenize
from pathlib import Path

import radon
from radon.complexity import ComplexityVisitor
from radon.metrics import h_visit
from radon.raw import analyze

from fwbench import REPO_ROOT, frameworks
from fwbench.core.columns import PART, SLOC
from fwbench.core.results import schema_version
from fwbench.studies.loc.columns import (
    BASELINE_PATH,
    CHANGED_LINES,
    CHANGED_TOKENS,
    CYCLOMATIC_COMPLEXITY,
    HALSTEAD_VOLUME,
    LLOC,
    REGION,
    STYLE,
    TOKENS,
)


def _repo_relative(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


HARNESS_FILES = {fw: _repo_relative(frameworks.source(fw, "harness")) for fw in frameworks.FRAMEWORKS}
HARNESS_REGIONS = ("train_step", "evaluate")
SAMPLES = {  # style -> (framework, file)
    style: (fw, _repo_relative(path))
    for fw in frameworks.FRAMEWORKS
    for style, path in frameworks.samples(fw).items()
}
SAMPLE_REGIONS = ("model", "train", "evaluate")
CUSTOMISATION_DIR = "workflow/customisations"
CUSTOMISATION_FILES = {
    fw: row.customisation_file for fw, row in frameworks.REGISTRY.items() if row.customisation_file
}
CUSTOMISATION_BASELINES = {fw: SAMPLES[frameworks.REGISTRY[fw].loc_baseline][1] for fw in CUSTOMISATION_FILES}
PORT_KINDS = ("layout", "padding", "permute", "constant", "init")
PORT_MARK = re.compile(r"#\s*port:\s*(\S+)")
METRICS = (SLOC, LLOC, "comment_lines", CYCLOMATIC_COMPLEXITY, HALSTEAD_VOLUME, TOKENS)
DIFF_METRICS = (
    "added_lines",
    "removed_lines",
    CHANGED_LINES,
    "added_tokens",
    "removed_tokens",
    CHANGED_TOKENS,
)
_REGION_START = re.compile(r"^\s*# region: (\w+)\s*$")
_REGION_END = re.compile(r"^\s*# endregion\s*$")
_LAYOUT_TOKENS = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def region_text(text: str, name: str) -> str:
    """The segments of region `name`, each dedented, joined; ValueError if the file has none."""
    segments, current = [], None
    for line in text.splitlines():
        start = _REGION_START.match(line)
        if start and current is None and start.group(1) == name:
            current = []
        elif _REGION_END.match(line) and current is not None:
            segments.append(textwrap.dedent("\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
    if current is not None:
        raise ValueError(f"region {name!r} is not closed by '# endregion'")
    if not segments:
        raise ValueError(f"no region {name!r} (mark it with '# region: {name}' ... '# endregion')")
    return "\n\n".join(segments) + "\n"


def strip_docstrings(text: str) -> str:
    """`text` with the lines of module, class and function docstrings blanked (a body that was only
    a docstring becomes `pass`)."""
    lines = text.splitlines()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    for i in range(body[0].lineno - 1, body[0].end_lineno):
                        lines[i] = ""
                    if len(body) == 1 and not isinstance(node, ast.Module):  # a body that was only a
                        # docstring: what its author writes without one
                        lines[body[0].lineno - 1] = " " * body[0].col_offset + "pass"
    return "\n".join(lines) + "\n"


def code_tokens(text: str) -> list[str]:
    """The code tokens of `text`: no comments, newlines, indentation or end markers."""
    return [
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type not in _LAYOUT_TOKENS
    ]


def measure(text: str) -> dict:
    """Size and complexity of one unit of Python source (docstrings blanked first)."""
    code = strip_docstrings(text)
    raw = analyze(code)
    return {
        SLOC: raw.sloc,
        LLOC: raw.lloc,
        "comment_lines": raw.comments,
        CYCLOMATIC_COMPLEXITY: ComplexityVisitor.from_code(code).total_complexity,
        HALSTEAD_VOLUME: round(float(h_visit(code).total.volume), 3),
        TOKENS: len(code_tokens(code)),
    }


def diff_size(baseline: str, variant: str) -> dict:
    """Lines and tokens added and removed from `baseline` to `variant` (difflib; blank lines and
    docstrings ignored); changed_* is added + removed."""
    old_lines = [line.rstrip() for line in strip_docstrings(baseline).splitlines() if line.strip()]
    new_lines = [line.rstrip() for line in strip_docstrings(variant).splitlines() if line.strip()]
    lines = list(difflib.ndiff(old_lines, new_lines))
    added_lines = sum(line.startswith("+ ") for line in lines)
    removed_lines = sum(line.startswith("- ") for line in lines)
    old_tokens, new_tokens = code_tokens(strip_docstrings(baseline)), code_tokens(strip_docstrings(variant))
    added_tokens = removed_tokens = 0
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            removed_tokens += i2 - i1
            added_tokens += j2 - j1
    return {
        "added_lines": added_lines,
        "removed_lines": removed_lines,
        CHANGED_LINES: added_lines + removed_lines,
        "added_tokens": added_tokens,
        "removed_tokens": removed_tokens,
        CHANGED_TOKENS: added_tokens + removed_tokens,
    }


def port_adaptations(text: str, where: str = "") -> dict:
    """The `# port: KIND` lines of a model file: how many kinds (adaptations), and their lines and
    code tokens, per kind."""
    lines, marked_rows = {}, set()
    for row, line in enumerate(text.splitlines(), start=1):
        if match := PORT_MARK.search(line):
            kind = match.group(1)
            if kind not in PORT_KINDS:
                raise ValueError(f"{where}: '# port: {kind}': unknown kind; one of {', '.join(PORT_KINDS)}")
            lines[kind] = lines.get(kind, 0) + 1
            marked_rows.add(row)
    tokens = sum(
        1
        for tok in tokenize.generate_tokens(io.StringIO(strip_docstrings(text)).readline)
        if tok.type not in _LAYOUT_TOKENS and tok.start[0] in marked_rows
    )
    return {
        "adaptations": len(lines),
        "lines": sum(lines.values()),
        TOKENS: tokens,
        "by_kind": dict(sorted(lines.items())),
    }


def unit_row(
    path, *, framework: str, style: str, part: str, region: str | None = None, root=REPO_ROOT
) -> dict:
    """One measured unit: a whole file (region None) or one region of it."""
    text = (Path(root) / path).read_text()
    return {
        "framework": framework,
        STYLE: style,
        PART: part,
        "path": str(path),
        REGION: region,
        **measure(region_text(text, region) if region else text),
        "diff": None,
        "port": port_adaptations(text, str(path)) if part == "model" else None,
    }


def new_record(subject: str, name: str, rows: list[dict]) -> dict:
    return {
        "schema_version": schema_version("loc"),
        "subject": subject,
        "name": name,
        "tool_versions": {"radon": radon.__version__},
        "rows": rows,
    }


def workload_record(workload, root=REPO_ROOT) -> dict:
    """Model definition, training step, evaluation and harness module of every framework (the
    model only where the workload is implemented in it)."""
    style = {fw: row.harness_style for fw, row in frameworks.REGISTRY.items()}
    rows = []
    for framework, harness in HARNESS_FILES.items():
        if workload.implements(framework):
            impl = Path(workload.impl_path(framework)).resolve().relative_to(Path(root).resolve())
            rows.append(unit_row(impl, framework=framework, style=style[framework], part="model", root=root))
        for region in HARNESS_REGIONS:
            rows.append(
                unit_row(
                    harness,
                    framework=framework,
                    style=style[framework],
                    part=region,
                    region=region,
                    root=root,
                )
            )
        rows.append(unit_row(harness, framework=framework, style=style[framework], part="harness", root=root))
    return new_record("workload", workload.name, rows)


def samples_record(root=REPO_ROOT) -> dict:
    """Every region and the whole file of each complete sample program."""
    rows = []
    for style, (framework, path) in SAMPLES.items():
        for region in SAMPLE_REGIONS:
            rows.append(
                unit_row(path, framework=framework, style=style, part=region, region=region, root=root)
            )
        rows.append(unit_row(path, framework=framework, style=style, part="program", root=root))
    return new_record("samples", "mlp", rows)


def customisation_tasks(root=REPO_ROOT) -> list[str]:
    """Task folders under workflow/customisations/ (a folder starting with '_' is skipped)."""
    folder = Path(root) / CUSTOMISATION_DIR
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(("_", ".")) and any(p.glob("*_impl.py"))
    )


def customisation_record(task: str, root=REPO_ROOT) -> dict:
    """Each framework's variant of `task`: its diff against the baseline, and its own counts."""
    rows = []
    for framework, filename in CUSTOMISATION_FILES.items():
        path = f"{CUSTOMISATION_DIR}/{task}/{filename}"
        if not (Path(root) / path).is_file():
            continue
        baseline = CUSTOMISATION_BASELINES[framework]
        row = unit_row(path, framework=framework, style=Path(baseline).stem, part="variant", root=root)
        row["diff"] = {
            BASELINE_PATH: baseline,
            **diff_size((Path(root) / baseline).read_text(), (Path(root) / path).read_text()),
        }
        rows.append(row)
    return new_record("customisation", task, rows)
