"""Report tables and figures for "Lines of code" and "Debugging effort" (issue 5, claims C7-C9).

Reads results/loc.csv (fwbench.loc) and results/debug.csv + results/debug_index.csv
(fwbench.faults); report/index.py only displays what these functions return.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from fwbench.faults import INDEX_WEIGHTS, debug_index
from fwbench.loc import DIFF_METRICS, METRICS
from fwbench.report_tables import FRAMEWORK_NAMES, read_csv_or_none

LOC_HEADLINE = ["sloc", "lloc", "tokens", "cyclomatic_complexity", "halstead_volume"]
COMPONENTS = [f"{key}_effort" for key in INDEX_WEIGHTS]


def load_loc(results_dir) -> pd.DataFrame | None:
    return read_csv_or_none(Path(results_dir) / "loc.csv")


def load_debug(results_dir) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    rows = read_csv_or_none(Path(results_dir) / "debug.csv")
    index = read_csv_or_none(Path(results_dir) / "debug_index.csv")
    for frame in (rows, index):
        if frame is not None and len(frame):
            frame["variant"] = frame["framework"].map(FRAMEWORK_NAMES) + " " + frame["mode"]
    return rows, index


def workload_loc_table(loc: pd.DataFrame) -> pd.DataFrame:
    """Per workload, part and framework: the counts (model = torch_impl.py / tf_impl.py)."""
    table = loc[loc["subject"] == "workload"]
    table = table.pivot_table(
        index=["name", "part"], columns="framework", values=LOC_HEADLINE, aggfunc="first"
    )
    table.columns = [f"{metric}_{framework}" for metric, framework in table.columns]
    return table.reset_index().rename(columns={"name": "workload"})


def samples_loc_table(loc: pd.DataFrame) -> pd.DataFrame:
    """The complete MLP programs: PyTorch loop, Keras fit, Keras custom train_step, by region."""
    table = loc[loc["subject"] == "samples"][["style", "part", *METRICS]]
    return table.reset_index(drop=True)


def customisation_table(loc: pd.DataFrame) -> pd.DataFrame:
    """Diff size of each customisation task against its framework's baseline program."""
    table = loc[loc["subject"] == "customisation"][["name", "framework", "baseline_path", *DIFF_METRICS]]
    return table.rename(columns={"name": "task"}).reset_index(drop=True)


def loc_figure(loc: pd.DataFrame):
    """One panel per metric: model definitions per workload, sample programs, customisation diffs."""
    models = loc[(loc["subject"] == "workload") & (loc["part"] == "model")].assign(unit=lambda d: d["name"])
    samples = loc[(loc["subject"] == "samples") & (loc["part"] == "program")].assign(
        unit=lambda d: "program: " + d["style"]
    )
    long = pd.concat([models, samples]).melt(
        id_vars=["unit", "framework"], value_vars=LOC_HEADLINE, var_name="metric", value_name="value"
    )
    long["framework"] = long["framework"].map(FRAMEWORK_NAMES)
    grid = sns.catplot(
        data=long,
        x="value",
        y="unit",
        hue="framework",
        col="metric",
        kind="bar",
        sharex=False,
        height=3.2,
        aspect=0.8,
        col_wrap=3,
    )
    grid.set_titles("{col_name}")
    return grid


def customisation_figure(loc: pd.DataFrame):
    table = customisation_table(loc).melt(
        id_vars=["task", "framework"], value_vars=["changed_lines", "changed_tokens"], var_name="metric"
    )
    table["framework"] = table["framework"].map(FRAMEWORK_NAMES)
    grid = sns.catplot(
        data=table,
        x="value",
        y="task",
        hue="framework",
        col="metric",
        kind="bar",
        sharex=False,
        height=3,
        aspect=1.2,
    )
    grid.set_titles("{col_name} (added + removed)")
    return grid


def outcome_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Fault x variant: the outcome of each probe (loud step / silent, caught at step / ...)."""

    def cell(r):
        if r["outcome"] == "loud":
            line = (
                "line named"
                if (r["traceback_names_faulty_line"] or r["message_names_faulty_line"])
                else "line not named"
            )
            return f"loud @ step {int(r['error_step'])}: {r['error_type']} ({line})"
        if r["outcome"] == "silent_detected":
            return f"silent, caught @ step {int(r['detected_step'])}"
        return r["outcome"].replace("_", " ")

    faults_only = rows[rows["fault"] != "none"].assign(cell=lambda d: d.apply(cell, axis=1))
    return faults_only.pivot_table(
        index=["workload", "fault"], columns="variant", values="cell", aggfunc="first"
    )


def message_table(rows: pd.DataFrame) -> pd.DataFrame:
    loud = rows[rows["outcome"] == "loud"]
    cols = [
        "workload",
        "fault",
        "variant",
        "error_type",
        "error_step",
        "time_to_error_s",
        "traceback_names_faulty_line",
        "message_names_faulty_line",
        "frames_between",
        "traceback_frames",
        "names_shape",
        "names_dtype",
        "names_device",
        "message_chars",
        "traceback_lines",
    ]
    return loud[cols].round(2).reset_index(drop=True)


def inspect_table(rows: pd.DataFrame) -> pd.DataFrame:
    control = rows[rows["fault"] == "none"]
    return control[["workload", "variant", "inspect_kind", "inspect_print_steps", "steps_run"]].reset_index(
        drop=True
    )


def index_table(rows: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """The effort index (recomputed from the rows, so a reader can pass other weights)."""
    index = debug_index(rows, weights)
    index.insert(3, "variant", index["framework"].map(FRAMEWORK_NAMES) + " " + index["mode"])
    return index.drop(columns=["framework", "mode"])


def index_figure(index: pd.DataFrame):
    """Stacked per-component contributions to the index, per variant."""
    total_w = sum(INDEX_WEIGHTS.values())
    parts = index.set_index(["workload", "variant"])[COMPONENTS].fillna(0)
    for key in INDEX_WEIGHTS:
        parts[f"{key}_effort"] *= 100 * INDEX_WEIGHTS[key] / total_w
    parts.columns = list(INDEX_WEIGHTS)
    ax = parts.plot.barh(stacked=True, figsize=(8, 0.45 * len(parts) + 1.2))
    ax.set_xlabel("debugging-effort index (0 = easiest, 100 = hardest), stacked by component")
    ax.set_ylabel("")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    plt.tight_layout()
    return ax
