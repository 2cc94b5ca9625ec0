"""The speed study's report section: its method in words (computed from the constants that define it),
its figures (step time, one-time cost, step-time ratios, memory); report/index.py displays them beside
the tables of fwbench.studies.speed.tables.
"""

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from fwbench.core.columns import ONE_TIME_COST, PEAK_RSS, STEP_TIME
from fwbench.frameworks import DISPLAY_NAMES
from fwbench.runs.training import STEADY_DRIFT_LIMIT

METHOD = (
    "Steady-state time of one training step (forward, backward, optimiser update) in the speed study: "
    "the timed steps after the warm-up steps, which are timed separately. Each point is one run's "
    "median step time; the bar is the median over runs with its 95 % bootstrap interval (@fig-speed). "
    "The y axis is logarithmic. The table's steady-state check compares the median of the second half "
    "of each run's timed steps with the first half's (drift ratio; a run is steady within "
    f"{STEADY_DRIFT_LIMIT:.0%})."
)
ONE_TIME_COST_METHOD = (
    "The one-time cost of a mode (tracing, `torch.compile`, XLA, and first use) is not in the steady "
    "state. Each run measures its own: the time of its warm-up steps above its own steady-state median "
    "step time (each step's excess at least 0), so it is never negative and never taken from another "
    "mode; the table gives its mean over runs with a 95 % t-interval. PyTorch's compiled modes compile "
    "the whole training step (forward, loss, backward, optimiser update), as `tf.function` and "
    "`jax.jit` do; **graphs** and **graph breaks** are what each compiler made of it (Dynamo's "
    "counters; `tf.function` traces once and has no breaks), so the table shows where a compiler "
    "covered less of the step than the others. Eager modes are listed as the yardstick of first use. "
    "One cost is left out on one side: the build of Inductor's CPU-feature probes (about 7 s, once per "
    "machine) is shared between runs, while loading them stays in every run's first step."
)
STARTUP_METHOD = (
    "What a user waits for before the first training step: each run records, in its own fresh "
    "process, the time from the process's start to the framework imported and set up (the "
    "interpreter, fwbench and the framework's import, threads, device and seeds), the time to build "
    "the model, and the time from the process's start to the first step finished (the loop's start "
    "plus the first step's own time, tracing and compiling included). Medians over runs; part of it "
    "is fixed per process, so it weighs most in short runs, the prototyping case."
)


def quickest_first_step_note(quickest: dict[str, tuple[str, float]]) -> str | None:
    """The decision guide's prototyping figure: each framework's quickest mode to a first finished
    training step (fwbench.studies.speed.tables.quickest_first_step), fastest first."""
    if not quickest:
        return None
    ordered = sorted(quickest.items(), key=lambda item: item[1][1])
    parts = [f"{DISPLAY_NAMES.get(fw, fw)} ({mode}) {seconds:.1f} s" for fw, (mode, seconds) in ordered]
    return (
        "time from a fresh process to its first finished training step, each framework's quickest mode "
        f"(median over runs and workloads; [start-up table](#sec-speed)): {', '.join(parts)}"
    )


RATIOS_METHOD = (
    "Every ratio below is a ratio of geometric means over runs (one value per run, a fresh process: "
    "its median step time), per device and workload, with a 95 % Welch t-interval on the log scale "
    "(`fwbench.core.stats.ratio_interval`; timing noise is multiplicative, and a simulation test checks "
    "that these intervals cover the true ratio at least 93 % of the time and call a difference where "
    "there is none at most 5 % of the time at the numbers of runs used). A ratio below 1 means the "
    "first variant is faster; **inside_noise** marks intervals that contain 1, where the runs cannot "
    "tell the two apart. With few runs per variant the intervals are wide: read n beside them."
)
MEMORY_METHOD = (
    "Two readings, measured alike in every framework. What importing the framework costs: the "
    "resident memory with the framework imported and the data loaded (the same arrays in every "
    "framework). What the model and its training add: the peak resident memory from there on (the "
    "kernel's high-water mark, reset at that point on Linux, so the import's own transient peak is "
    "not counted) above it, less the batches the loop built ahead of their steps (the harness's data, "
    "the same bytes in every framework). The lifetime peak is shown beside them. A run that ran out "
    "of memory is an outcome of the comparison (C4), not a missing row. Device memory is shown only for GPU "
    "runs; on a CPU it is not applicable and left empty, never zero: each framework's own peak "
    '(PyTorch `max_memory_allocated`, TensorFlow `get_memory_info(...)["peak"]` with memory growth '
    "on, JAX's `memory_stats`), PyTorch's caching-allocator peak (`max_memory_reserved`), and NVML's "
    "per-process memory, the yardstick common to all. @fig-memory shows the median and range over runs."
)


def _legend_outside(ax) -> None:
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)


def step_time_figure(ok: pd.DataFrame):
    """Each run's median step time (points) and the median over runs with its 95 % bootstrap
    interval (bars), per workload and variant, log scale; None without runs."""
    if not len(ok):
        return None
    fig, ax = plt.subplots(figsize=(8, 3.8))
    sns.barplot(
        data=ok,
        x="workload",
        y=STEP_TIME,
        hue="variant",
        estimator="median",
        errorbar=("ci", 95),
        ax=ax,
        alpha=0.6,
    )
    sns.stripplot(
        data=ok,
        x="workload",
        y=STEP_TIME,
        hue="variant",
        dodge=True,
        ax=ax,
        legend=False,
        palette="dark:black",
        size=3,
    )
    ax.set_yscale("log")
    _legend_outside(ax)
    ax.set_ylabel("step time (ms)")
    return fig


def one_time_cost_figure(ok: pd.DataFrame):
    """The one-time cost of each run above its steady state (median over runs), log scale; None
    when no run measured one."""
    costs = ok.dropna(subset=[ONE_TIME_COST]) if len(ok) and ONE_TIME_COST in ok else ok.iloc[0:0]
    positive = costs[costs[ONE_TIME_COST] > 0] if len(costs) else costs
    if not len(positive):
        return None
    fig, ax = plt.subplots(figsize=(8, 3.6))
    sns.barplot(
        data=positive, x="workload", y=ONE_TIME_COST, hue="variant", estimator="median", ax=ax, alpha=0.6
    )
    ax.set_yscale("log")
    _legend_outside(ax)
    ax.set_ylabel("one-time cost (s)")
    return fig


def memory_figure(ok: pd.DataFrame):
    """Peak host memory per workload and variant (median and range over runs); None without runs."""
    if not len(ok):
        return None
    fig, ax = plt.subplots(figsize=(8, 3.5))
    sns.barplot(
        data=ok, x="workload", y=PEAK_RSS, hue="variant", estimator="median", errorbar=("pi", 100), ax=ax
    )
    ax.set_ylabel("peak RSS (MiB)")
    _legend_outside(ax)
    return fig


def ratio_figure(ratios: pd.DataFrame):
    """The step-time ratios of step_time_ratios as a forest plot, one panel per workload and device
    (the device in the title where there are several; log scale, 95 % intervals; black: beyond
    noise, grey: the interval contains 1); None if none."""
    rows = ratios.dropna(subset=["value"])
    if rows.empty:
        return None
    labels = list(dict.fromkeys(rows["ratio"]))
    panels = list(dict.fromkeys(zip(rows["device"], rows["workload"], strict=True)))
    several_devices = rows["device"].nunique() > 1
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(min(3 + 1.8 * len(panels), 11), 1.0 + 0.3 * len(labels)),
        sharey=True,
        squeeze=False,
    )
    for ax, (device, workload) in zip(axes[0], panels, strict=True):
        for row in rows[(rows["device"] == device) & (rows["workload"] == workload)].itertuples():
            colour = "grey" if row.inside_noise else "black"
            error = [[row.value - row.ci_low], [row.ci_high - row.value]]
            ax.errorbar(row.value, labels.index(row.ratio), xerr=error, fmt="o", color=colour, capsize=3)
        ax.axvline(1, color="grey", linewidth=1, linestyle=":")
        ax.set_xscale("log")
        ax.set_title(f"{workload}\n{device}" if several_devices else workload)
        ax.set_xlabel("ratio (log)")
    axes[0][0].set_yticks(range(len(labels)), labels)
    axes[0][0].invert_yaxis()
    axes[0][0].set_ylabel("step time ratio")
    fig.tight_layout()
    return fig
