"""Report tables and figures for "Lines of code" (claims C8, C9).

Reads results/loc.csv (fwbench.studies.loc.run); report/index.py only displays what these functions return.
"""

from pathlib import Path

import pandas as pd
import seaborn as sns

from fwbench.core.columns import PART, SLOC
from fwbench.core.tables import read_csv_or_none
from fwbench.frameworks import DISPLAY_NAMES
from fwbench.studies.loc.columns import (
    BASELINE_PATH,
    CHANGED_LINES,
    CHANGED_TOKENS,
    CYCLOMATIC_COMPLEXITY,
    HALSTEAD_VOLUME,
    LLOC,
    STYLE,
    TOKENS,
)
from fwbench.studies.loc.run import DIFF_METRICS, METRICS

LOC_HEADLINE = [SLOC, LLOC, TOKENS, CYCLOMATIC_COMPLEXITY, HALSTEAD_VOLUME]


def load_loc(results_dir) -> pd.DataFrame | None:
    return read_csv_or_none(Path(results_dir) / "loc.csv")


def workload_loc_table(loc: pd.DataFrame) -> pd.DataFrame:
    """Per workload, part and framework: the counts (model = torch_impl.py / keras_impl.py)."""
    table = loc[loc["subject"] == "workload"]
    table = table.pivot_table(index=["name", PART], columns="framework", values=LOC_HEADLINE, aggfunc="first")
    table.columns = [f"{metric}_{framework}" for metric, framework in table.columns]
    return table.reset_index().rename(columns={"name": "workload"})


def samples_loc_table(loc: pd.DataFrame) -> pd.DataFrame:
    """The complete MLP programs: PyTorch loop, Keras fit, Keras custom train_step, by region."""
    table = loc[loc["subject"] == "samples"][[STYLE, PART, *METRICS]]
    return table.reset_index(drop=True)


def customisation_table(loc: pd.DataFrame) -> pd.DataFrame:
    """Diff size of each customisation task against its framework's baseline program."""
    table = loc[loc["subject"] == "customisation"][["name", "framework", BASELINE_PATH, *DIFF_METRICS]]
    return table.rename(columns={"name": "task"}).reset_index(drop=True)


def loc_figure(loc: pd.DataFrame):
    """One panel per metric: model definitions per workload, sample programs, customisation diffs."""
    models = loc[(loc["subject"] == "workload") & (loc[PART] == "model")].assign(unit=lambda d: d["name"])
    samples = loc[(loc["subject"] == "samples") & (loc[PART] == "program")].assign(
        unit=lambda d: "program: " + d[STYLE]
    )
    long = pd.concat([models, samples]).melt(
        id_vars=["unit", "framework"], value_vars=LOC_HEADLINE, var_name="metric", value_name="value"
    )
    long["framework"] = long["framework"].map(DISPLAY_NAMES)
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
    for ax in grid.axes.flat:  # each panel its own scale, so each its own x label
        ax.set_xlabel("value of the panel's metric")
    grid.set_ylabels("unit")
    return grid


def customisation_figure(loc: pd.DataFrame):
    table = customisation_table(loc).melt(
        id_vars=["task", "framework"], value_vars=[CHANGED_LINES, CHANGED_TOKENS], var_name="metric"
    )
    table["framework"] = table["framework"].map(DISPLAY_NAMES)
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
    grid.set_axis_labels("changed lines or tokens", "task")
    return grid


def method() -> str:
    """The counting in words; the customisation tasks are the folders the study found."""
    from fwbench.studies.loc.run import CUSTOMISATION_DIR, customisation_tasks

    tasks = customisation_tasks()
    return (
        'Claims C8 ("custom models need fewer tweaks in PyTorch") and C9 ("Keras makes standard models '
        'fast and clean"). `fwbench.studies.loc.run` counts each unit of code with radon (SLOC, logical '
        "lines, comment lines, total cyclomatic complexity, Halstead volume) and with Python's tokenizer "
        "(code tokens without comments, newlines and indentation, so long lines are not rewarded); "
        "docstrings are blanked first. A unit is a whole file or a region a reader can check, marked "
        "`# region: NAME` ... `# endregion`: the model definition of every workload (`torch_impl.py`, "
        "`keras_impl.py`, shared by the two Keras runtimes), the training step and evaluation of each "
        "harness (regions `train_step` and `evaluate` of `frameworks/<name>/harness.py`) and the whole "
        "harness module. Complete programs for the MLP are counted in three idiomatic styles "
        "(`src/fwbench/frameworks/<name>/samples/`): PyTorch `nn.Module` + explicit loop, Keras "
        "functional model + `compile`/`fit`, and a Keras `Model` with a custom `train_step`; a test runs "
        f"each for a few steps. {len(tasks)} customisation tasks (`{CUSTOMISATION_DIR}/`: "
        f"{', '.join(f'`{task}`' for task in tasks)}) are made in both frameworks over the PyTorch-loop "
        "and Keras-fit baselines, each the way its framework's own guide does it; their size is the "
        "difflib diff against the baseline, in lines and tokens added plus removed."
    )
