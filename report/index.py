# %% [markdown]
# ---
# title: "PyTorch vs TensorFlow, measured"
# subtitle: "fwbench: the same models, trained and timed the same way in both frameworks"
# jupyter: python3
# ---

# %%
#| label: setup
import os
from datetime import UTC, datetime

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import Markdown, display

from fwbench import report_tables as rt

RESULTS_DIR = os.environ.get("FWBENCH_RESULTS_DIR", "../results")
RENDERER = os.environ.get("FWBENCH_RENDERER", "unknown renderer")
summary, curves = rt.load(RESULTS_DIR)
ok = rt.ok_runs(summary)
sns.set_theme(style="whitegrid", context="notebook")
pd.set_option("display.max_colwidth", 120)
display(Markdown(
    f"Rendered by **{RENDERER}** on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from "
    f"{len(summary)} runs ({len(ok)} with status ok), results in `{RESULTS_DIR}`."
))

# %% [markdown]
# ## Summary {#sec-summary}
#
# Every run is a fresh process that trains one workload in one framework and execution mode
# with one seed. Both frameworks see the same data in the same order, the same architecture,
# initialisation scheme, optimiser and hyper-parameters, and the same thread count; only the
# training step is timed, after device synchronisation. The machines and software behind the
# numbers are in @sec-provenance.

# %%
#| label: tbl-status
#| tbl-cap: "Runs per variant and status. Runs that did not finish are listed in @sec-failures."
rt.status_counts(summary) if len(summary) else Markdown("No runs in this result set.")

# %% [markdown]
# ## Accuracy {#sec-accuracy}
#
# Final test accuracy after the workload's training recipe, mean and standard deviation over
# seeds, beside the published reference (MNIST-1D: Greydanus, 2020: MLP 68 %, CNN 94 %).
# Short (`tiny`) runs are not expected to reach the reference.

# %%
#| label: tbl-accuracy
#| tbl-cap: "Test accuracy (%) per workload and variant."
rt.accuracy_table(summary)

# %%
#| label: tbl-accuracy-gap
#| tbl-cap: "Mean test accuracy (%) per framework and the absolute gap between them, in points."
rt.framework_accuracy_gap(summary)

# %%
#| label: fig-curves
#| fig-cap: "Test accuracy during training (mean over seeds, band: range)."
if len(curves):
    grid = sns.relplot(data=curves, x="step", y="test_accuracy", hue="variant", col="workload",
                       kind="line", errorbar=("pi", 100), height=3.2, aspect=1.3,
                       facet_kws={"sharey": False})
    grid.set_axis_labels("optimiser step", "test accuracy")
    plt.show()

# %% [markdown]
# ## Speed {#sec-speed}
#
# Steady-state time of one training step (forward, backward, optimiser update) after the
# warm-up steps, which are timed separately. Each point is one run's median step time; the bar
# is the median over runs with its 95 % bootstrap interval. The y axis is logarithmic.

# %%
#| label: fig-speed
#| fig-cap: "Steady-state training step time (ms, log scale) per workload and variant."
if len(ok):
    fig, ax = plt.subplots(figsize=(8, 3.8))
    sns.barplot(data=ok, x="workload", y="step_time_ms_median", hue="variant", estimator="median",
                errorbar=("ci", 95), ax=ax, alpha=0.6)
    sns.stripplot(data=ok, x="workload", y="step_time_ms_median", hue="variant", dodge=True,
                  ax=ax, legend=False, palette="dark:black", size=3)
    ax.set_yscale("log")
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)
    ax.set_ylabel("step time (ms)")
    plt.show()

# %%
#| label: tbl-speed
#| tbl-cap: "Step time (ms), throughput, warm-up and time to the target accuracy."
rt.speed_table(summary)

# %% [markdown]
# ## Memory {#sec-memory}
#
# Peak resident memory of the run's process (the kernel's high-water mark), and its rise above
# the memory measured right after the framework was imported. Device memory is shown only for
# GPU runs; on a CPU it is not applicable and left empty, never zero.

# %%
#| label: fig-memory
#| fig-cap: "Peak host memory (MiB) per workload and variant."
if len(ok):
    fig, ax = plt.subplots(figsize=(8, 3.5))
    sns.barplot(data=ok, x="workload", y="host_peak_rss_mb", hue="variant", estimator="median",
                errorbar=("pi", 100), ax=ax)
    ax.set_ylabel("peak RSS (MiB)")
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)
    plt.show()

# %%
#| label: tbl-memory
#| tbl-cap: "Host and device memory (MiB), medians over runs."
rt.memory_table(summary)

# %% [markdown]
# ## Runs without measurements {#sec-failures}
#
# Runs that failed, ran out of memory or time, diverged, were skipped (framework or device not
# available) or are unsupported are listed here with their error and the fix; none is dropped.

# %%
#| label: tbl-failures
#| tbl-cap: "Runs that did not end with status ok."
failures = rt.status_table(summary)
failures if len(failures) else Markdown("Every run finished with status **ok**.")

# %% [markdown]
# ## Provenance {#sec-provenance}
#
# The distinct machines, software versions, code versions and input data behind the results.
# Each raw result file (`results/runs/<workload>/<framework>-<mode>-seed<seed>.json`) carries
# the full record, including the configuration hash and package versions.

# %%
#| label: tbl-provenance
#| tbl-cap: "Machines, software and data the results come from."
rt.provenance_table(summary) if len(summary) else Markdown("No runs.")
