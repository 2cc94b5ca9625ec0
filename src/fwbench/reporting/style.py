"""How the report shows its tables and figures: one look for every section.

Place in the pipeline: report/index.py passes every table through `table` (pandas' Styler): no
index column, headers in words with their units (`header`: `step_time_ms_median` -> "Step time
median (ms)"), numbers to three significant digits (`number`: five runs a side resolve a few per
cent at best, so a fourth digit would be noise), verdicts and readings coloured the same way in
every table and in the ledger (VERDICT_COLOURS), and long per-run tables folded into a block the
reader opens. `CSS` keeps every table and figure within the page (a wide table scrolls inside its
own box) and paragraphs and tables on one left margin; `use_svg_figures` makes figures SVG with
real text, so axis labels are text a reader (and the browser test) can find.
"""

import html
import math
import numbers

import pandas as pd

from fwbench.core.columns import MFU, SLOC
from fwbench.studies.loc.columns import LLOC
from fwbench.studies.verdict import INCONCLUSIVE, NOT_TESTABLE, REFUTED, SUPPORTED

VERDICT_COLOURS = {
    SUPPORTED: "#1b7837",
    REFUTED: "#b2182b",
    INCONCLUSIVE: "#8c6d1f",
    NOT_TESTABLE: "#5a5a5a",
}
# The same colours for the readings that feed a verdict (equivalence tests, parity, intervals)
READING_COLOURS = {
    "equivalent": VERDICT_COLOURS[SUPPORTED],
    "passed": VERDICT_COLOURS[SUPPORTED],
    "clearly outside": VERDICT_COLOURS[REFUTED],
    "different": VERDICT_COLOURS[REFUTED],
    "failed": VERDICT_COLOURS[REFUTED],
    "undecided": VERDICT_COLOURS[INCONCLUSIVE],
    "invalid": VERDICT_COLOURS[INCONCLUSIVE],
    **VERDICT_COLOURS,
}
UNITS = {  # a column name's last word -> its unit
    "ms": "ms",
    "s": "s",
    "mb": "MiB",
    "pct": "%",
    "pts": "points",
    "j": "J",
    "tflops": "TFLOP/s",
    "x": "×",
}
WORDS = {  # words written as a reader knows them
    "rss": "RSS",
    "iqr": "IQR",
    MFU: "MFU",
    "gpu": "GPU",
    "cpu": "CPU",
    "ci": "CI",
    "xla": "XLA",
    "tf": "TF",
    "jax": "JAX",
    "loc": "LOC",
    SLOC: "SLOC",
    LLOC: "LLOC",
    "onnx": "ONNX",
    "nvml": "NVML",
    "sha256": "SHA-256",
}
STATISTICS = ("median", "mean", "max", "min", "sd", "p50", "p95", "p99", "low", "high", "total")
SIGNIFICANT_DIGITS = 3
COLLAPSE_ROWS = 12  # a table longer than this is folded (its first line says how many rows)

CSS = """
.jp-RenderedHTMLCommon table, .cell-output-display table {
  display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin-left: 0;
  font-size: 0.85em; font-variant-numeric: tabular-nums;
}
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { white-space: normal; max-width: 24em; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { text-align: left; vertical-align: top; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon { max-width: 100%; overflow-x: auto; }
.jp-OutputArea-output img, .jp-OutputArea-output svg, .cell-output-display svg, .cell-output-display img {
  max-width: 100%; height: auto;
}
.jp-RenderedHTMLCommon { padding-left: 0; padding-right: 0; }
.jp-InputPrompt, .jp-OutputPrompt { display: none; }  /* one left margin for text, tables, figures */
.jp-OutputArea-child, .jp-Cell { max-width: 100%; }
details.fwbench-long > summary { cursor: pointer; color: #555; margin: 0.3em 0; }
"""


def header(name) -> str:
    """A column name in words, with its unit: `host_peak_rss_mb` -> "Host peak RSS (MiB)";
    names that are already words (with a space, or capitalised) are kept."""
    if not isinstance(name, str):
        return " ".join(str(part) for part in name if str(part)) if isinstance(name, tuple) else str(name)
    if " " in name or not name or name[0].isupper():
        return name
    words = name.split("_")
    if "per" in words[1:-1]:  # a rate: throughput_samples_per_s, gpu_energy_j_per_sample
        k = words.index("per", 1)
        left, right = words[k - 1], words[k + 1]
        if left in UNITS or right in UNITS:
            text = " ".join(WORDS.get(word, word) for word in words[: k - 1] + words[k + 2 :])
            return f"{text[0].upper() + text[1:]} ({UNITS.get(left, left)}/{UNITS.get(right, right)})"
    # the unit is the last word, or comes before the statistic: step_time_ms_median, latency_ms_p50
    tail = len(words) - 1
    while tail > 0 and words[tail] in STATISTICS:
        tail -= 1
    unit = UNITS.get(words[tail]) if tail > 0 else None
    if unit:
        words = words[:tail] + words[tail + 1 :]
    text = " ".join(WORDS.get(word, word) for word in words)
    text = text[0].upper() + text[1:]
    return f"{text} ({unit})" if unit else text


def number(value) -> str:
    """A cell as text: integers whole (with thousands separators), other numbers to
    SIGNIFICANT_DIGITS significant digits without scientific notation where it reads better,
    missing values as an empty cell (never 0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{value:,}"
    if isinstance(value, numbers.Real):
        if value == 0 or not math.isfinite(value):
            return f"{value:g}"
        magnitude = math.floor(math.log10(abs(value)))
        if magnitude >= 6 or magnitude < -3:
            return f"{value:.{SIGNIFICANT_DIGITS - 1}e}"
        decimals = max(SIGNIFICANT_DIGITS - 1 - magnitude, 0)
        return f"{value:,.{decimals}f}"
    return str(value)


def _colour(value) -> str:
    colour = READING_COLOURS.get(value) if isinstance(value, str) else None
    return f"color: {colour}; font-weight: bold" if colour else ""


def table(frame: pd.DataFrame):
    """The report's table: pandas' Styler over `frame` with no index column (a meaningful index
    becomes columns), headers in words with units, numbers rounded, verdicts coloured; a table of
    more than COLLAPSE_ROWS rows is folded (HTML with a <details> block)."""
    frame = frame.copy()
    if not isinstance(frame.index, pd.RangeIndex) or any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [header(column) for column in frame.columns]
    labels = [header(column) for column in frame.columns]
    if len(set(labels)) < len(labels):  # two names that read the same: keep the raw names
        labels = [str(column) for column in frame.columns]
    styler = (
        frame.style.hide(axis="index")
        .format(number)
        .relabel_index(labels, axis="columns")
        .map(_colour)
        .set_table_attributes('class="dataframe fwbench-table"')
    )
    if len(frame) <= COLLAPSE_ROWS:
        return styler
    from IPython.display import HTML

    summary = f"{len(frame)} rows: open to show the whole table"
    return HTML(
        f'<details class="fwbench-long"><summary>{html.escape(summary)}</summary>{styler.to_html()}</details>'
    )


def use_svg_figures() -> None:
    """Figures as SVG with text kept as text (not paths): axis labels stay readable and searchable."""
    import matplotlib.pyplot as plt
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg")
    plt.rcParams["svg.fonttype"] = "none"
