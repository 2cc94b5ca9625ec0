"""Render the report source (report/index.py, a Jupyter percent script) to one self-contained HTML.

Quarto renders it where Quarto is installed (`quarto render`, embed-resources from
report/_quarto.yml). Otherwise the same file is rendered offline with real libraries: jupytext
reads it, nbconvert executes it and writes HTML with a template that loads nothing from a CDN.
The renderer's name reaches the report through FWBENCH_RENDERER, and the report prints it.
"""

import html
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import yaml

from fwbench.core.atomic import atomic_output

TEMPLATE_DIR = Path(__file__).parent / "templates"
EXECUTE_TIMEOUT_S = 900


@contextmanager
def _environment(**values):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def quarto_version(quarto: str) -> str:
    return subprocess.run([quarto, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def render_with_quarto(quarto: str, source: Path, output: Path, log) -> None:
    subprocess.run(
        [quarto, "render", source.name, "--to", "html", "--output", output.name],
        cwd=source.parent,
        stdout=log,
        stderr=log,
        check=True,
    )
    shutil.move(source.parent / output.name, output)


HEADING_ANCHOR = re.compile(r"^(#+) (.*?) \{#([\w-]+)\}\s*$", re.MULTILINE)
CROSS_REF = re.compile(r"@((?:sec|fig|tbl)-[\w-]+)")
CELL_OPTION = re.compile(r"^#\| (label|fig-cap|tbl-cap): (.*)$", re.MULTILINE)


def quarto_markup_to_html(notebook) -> None:
    """Give the offline render what Quarto would: a title from the YAML front matter, anchored
    headings, numbered figure and table captions with anchors, and working @sec/@fig/@tbl links."""
    from nbformat.v4 import new_markdown_cell

    first = notebook.cells[0]
    if first.cell_type == "markdown" and first.source.startswith("---"):
        front = yaml.safe_load(first.source.split("---")[1])
        notebook.metadata["title"] = front.get("title", "")
        first.source = f"# {front.get('title', '')}\n\n*{front.get('subtitle', '')}*"
    names, counters, cells = {}, {"fig": 0, "tbl": 0}, []
    for cell in notebook.cells:
        cells.append(cell)
        options = dict(CELL_OPTION.findall(cell.source)) if cell.cell_type == "code" else {}
        kind = options.get("label", "").split("-")[0]
        if kind in counters and f"{kind}-cap" in options:
            counters[kind] += 1
            label = options["label"]
            names[label] = f"{'Figure' if kind == 'fig' else 'Table'} {counters[kind]}"
            caption = html.escape(options[f"{kind}-cap"].strip().strip('"'))
            cells.append(new_markdown_cell(f'<a id="{label}"></a>*{names[label]}: {caption}*'))
    for cell in cells:
        if cell.cell_type == "markdown":
            for _level, title, anchor in HEADING_ANCHOR.findall(cell.source):
                names[anchor] = title
            cell.source = HEADING_ANCHOR.sub(r'\1 <a id="\3"></a>\2', cell.source)
    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = CROSS_REF.sub(lambda m: f"[{names.get(m[1], m[1])}](#{m[1]})", cell.source)
    notebook.cells = cells


def drop_stderr(notebook) -> None:
    """Quarto's `warning: false`: warnings and other stderr output stay out of the report."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]


def render_offline(source: Path, output: Path) -> None:
    import jupytext
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor

    notebook = jupytext.read(source)
    quarto_markup_to_html(notebook)
    ExecutePreprocessor(timeout=EXECUTE_TIMEOUT_S, kernel_name="python3").preprocess(
        notebook, {"metadata": {"path": str(source.parent)}}
    )
    drop_stderr(notebook)
    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_output_prompt=True,
    )
    html, _ = exporter.from_notebook_node(notebook)
    with atomic_output(output) as tmp:
        tmp.write_text(html)


def render(source, output, *, results_dir, log) -> str:
    """Render `source` to `output`; return a description of the renderer used."""
    source, output = Path(source).resolve(), Path(output).resolve()
    quarto = shutil.which("quarto")
    if quarto:
        renderer = f"Quarto {quarto_version(quarto)}"
    else:
        renderer = "offline fallback: jupytext + nbconvert (Quarto is not installed here)"
        print(
            "notice: quarto not found on PATH; rendering the report offline with jupytext + nbconvert",
            file=log,
        )
    env = {"FWBENCH_RESULTS_DIR": str(Path(results_dir).resolve()), "FWBENCH_RENDERER": renderer}
    with _environment(**env):
        if quarto:
            render_with_quarto(quarto, source, output, log)
        else:
            render_offline(source, output)
    return renderer
