# %% [markdown]
# ---
# title: "PyTorch vs TensorFlow, measured"
# subtitle: "fwbench: the same models, trained and timed the same way in every framework (and JAX beside them)"
# jupyter: python3
# ---

# %%
#| label: setup
import os
from datetime import UTC, datetime

import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import HTML, Markdown, display

from fwbench import report_claims as rc
from fwbench import report_debug as rd
from fwbench import report_loc as rl
from fwbench import report_speed as rs
from fwbench import report_style as rstyle
from fwbench import report_tables as rt
from fwbench import verdicts

RESULTS_DIR = os.environ.get("FWBENCH_RESULTS_DIR", "../results")
RENDERER = os.environ.get("FWBENCH_RENDERER", "unknown renderer")
summary, quality, curves = rt.load(RESULTS_DIR)  # the speed study's runs, the quality study's
runs = rt.all_runs(summary, quality)
ok = rt.ok_runs(summary)
tables = verdicts.load_tables(RESULTS_DIR)
ledger = verdicts.ledger(tables)
anchors = rc.section_anchors("index.py")  # the report's own sections, for the ledger's links
sns.set_theme(style="whitegrid", context="notebook")
rstyle.use_svg_figures()
display(HTML(f"<style>{rstyle.CSS}</style>"))
display(
    Markdown(
        f"Rendered by **{RENDERER}** on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from "
        f"{len(runs)} runs ({len(rt.ok_runs(runs))} with status ok), results in `{RESULTS_DIR}`."
    )
)

# %% [markdown]
# ## Summary {#sec-summary}
#
# Every run is a fresh process that trains one workload in one framework and execution mode
# with one seed, in one of two studies. The **speed study** times fixed work in every mode: a
# warm-up, then at least 200 steady-state steps (at the default and GPU scales) with no evaluation
# among them; every speed figure and speed claim reads it. The **quality study** trains the
# workload's recipe, with test-set evaluations, in each framework's reference modes
# (`quality_modes`); accuracy and time to accuracy read it. Both frameworks see the same data in
# the same order, the same architecture, initialisation scheme, optimiser and hyper-parameters,
# and the same thread count; only the training step is timed, after device synchronisation, with
# Python's garbage collector paused. The machines and software behind the numbers are in
# @sec-provenance.

# %%
#| label: summary-headlines
display(Markdown(rc.environment_markdown(runs)))
headlines = rc.headlines(ledger, summary, quality)
display(Markdown("\n".join(f"{i}. {sentence}" for i, sentence in enumerate(headlines, 1))))

# %%
#| label: tbl-status
#| tbl-cap: "Runs per study, variant and status. Runs that did not finish are listed in @sec-failures."
rstyle.table(rt.status_counts(runs)) if len(runs) else Markdown("No runs in this result set.")

# %% [markdown]
# ## Claims ledger {#sec-ledger}
#
# One row per claim of the comparison article (ids C1-C13 as in the project's CLAIMS.md): the
# verdict, the measured effect with its uncertainty, and the section that holds the evidence.
# The rules below are implemented and unit-tested in `fwbench.verdicts`; this page only shows
# their result. @fig-effects draws every effect that is a ratio with its interval.

# %%
#| label: tbl-ledger
#| tbl-cap: "The article's claims, each with its verdict, the measured effect and the evidence."
display(HTML(rc.ledger_html(ledger, anchors)))

# %%
#| label: fig-effects
#| fig-cap: "Measured effects behind the ledger: ratio and 95 % bootstrap interval (log scale); 1 means no difference."
effects = rc.effects_figure(ledger)
if effects is not None:
    plt.show()
else:
    display(Markdown("No claim has a measured ratio in this result set."))

# %% [markdown]
# ### Verdict rules {#sec-verdict-rules}

# %%
#| label: verdict-rules
display(Markdown(rc.rules_markdown(ledger)))

# %%
#| label: tbl-thresholds
#| tbl-cap: "Every threshold the verdict rules read, with the date and commit that set it."
rstyle.table(rc.thresholds_table())

# %% [markdown]
# ### Not measurable by this study {#sec-unmeasurable}
#
# The article also quotes figures without a source. They are about people and markets, not about
# what the frameworks do on a machine, so no benchmark can check them:

# %%
#| label: unmeasurable
display(
    Markdown("\n".join(f"- {figure}: not measurable by this study" for figure in verdicts.UNSOURCED_FIGURES))
)

# %% [markdown]
# ## Which one should you choose? {#sec-guide}
#
# The article ends with a list of situations and the framework it recommends for each. Here each
# situation is answered by this run's verdicts on the claims behind it, with the article's words
# beside the measurement and a link to the evidence; where no claim behind it could be tested on
# this machine, the line says so and why.

# %%
#| label: decision-guide
display(Markdown(rc.decision_guide(ledger, anchors)))

# %% [markdown]
# ## Beyond the article: JAX {#sec-jax}
#
# The article asks "PyTorch or TensorFlow?", but on Keras code that question mixes two: the model
# API (Keras vs native PyTorch) and the runtime that executes it. Keras 3 runs each workload's one
# model file (`keras_impl.py`) on TensorFlow and on JAX, each with its own training step
# (a `GradientTape` step under `tf.function`/XLA; Keras's stateless step under `jax.jit`) and with
# `model.fit`, and both pass the same parity check against PyTorch (@sec-parity). So the same
# verdict machinery answers the two questions of CLAIMS.md's "Beyond the article": **B1**, how
# much of TensorFlow's speed and memory is the runtime's (the same Keras model on TensorFlow vs
# JAX, the same mode class: the compiled hand-written step, and `fit`); **B2**, native PyTorch vs
# Keras on JAX (speed, memory, accuracy). The rules were written down with the code that runs JAX,
# before any JAX run (`fwbench.verdicts.BEYOND_RULES`), and they never change a C-verdict: the
# article's claims C1-C13 above stay PyTorch vs TensorFlow.

# %%
#| label: tbl-jax
#| tbl-cap: "Beyond the article (B1, B2): the runtime's share and native PyTorch vs Keras on JAX, each with its verdict and the measured effect."
beyond = verdicts.beyond_article(tables)
display(HTML(rc.ledger_html(beyond, anchors, table_id="jax-ledger", text_header="comparison")))
display(Markdown("\n".join(f"- **{row.claim}**: {row.rule}" for row in beyond.itertuples())))

# %%
#| label: fig-jax
#| fig-cap: "Beyond the article: step-time and memory ratios with their 95 % intervals (log scale); above 1, JAX is faster or lighter."
jax_effects = rc.effects_figure(beyond)
if jax_effects is not None:
    plt.show()
else:
    display(Markdown("No JAX comparison has runs on both sides in this result set (config key `modes`)."))

# %%
#| label: tbl-jax-workloads
#| tbl-cap: "Per workload and device: each comparison's ratio (step time or memory), the modes it compared, and its 95 % interval."
jax_strata = verdicts.beyond_article_strata(tables)
rstyle.table(jax_strata) if len(jax_strata) else Markdown("No JAX comparison in this result set.")

# %% [markdown]
# ## Parity: the same model in every framework {#sec-parity}
#
# Before any comparison, each workload's PyTorch implementation and its Keras model, on each Keras
# runtime (TensorFlow, JAX), are checked to be the same model, one pair at a time (rule `parity`,
# `fwbench.parity`), in float64 on both sides, so that the check depends neither
# on fp32 rounding nor on the thread count: equal parameter counts and shapes; the same
# initialisation scheme; the PyTorch weights copied into Keras give the same outputs in inference
# and in training mode and the same loss gradient for every weight (|Δ| ≤ 1e-6 + 1e-6·|y|), and
# survive the trip back; from the same weights and batches, losses track for five optimiser steps
# (relative gap ≤ 1e-3 unless the workload states a looser tolerance and why) and the outputs
# after them agree (≤ 2 % of the largest output). Keras's Adam adds epsilon before bias
# correction, PyTorch after it: the table gives the size of that difference on the first update.
# A pair that fails is marked here and the other framework's runs of that workload carry
# `parity_passed = False` in `results/summary.csv` (PyTorch's runs carry it when any pair failed):
# its timings compare two different models, so they are left out of every comparison. Within each
# framework, every configured compiled mode of the shared loop (`torch.compile` of the whole step,
# `tf.function`, XLA, `jax.jit`) is checked to compute what eager computes: from the same weights and batches, five float64
# steps of plain SGD in eager and in the mode give the same losses and outputs (relative gap
# ≤ 1e-9; SGD because Adam turns rounding-level differences of near-zero gradients into whole
# steps, so two correct implementations drift apart under it); a mode
# that differs is marked "(differs)"; a workload may hold one framework to a looser tolerance only
# with a measured reason (shown in the table: Keras's JAX backend computes attention's softmax in
# float32 at every precision). To keep the check in float64 on JAX, its harness keeps float64 in
# Keras's type promotion, which maps it to float32 on every backend but TensorFlow. Keras `fit` is
# checked against `tf.function` and against `jax.jit` by the tests.

# %%
#| label: tbl-parity
#| tbl-cap: "Parity per workload and framework checked against PyTorch: parameter counts, largest output and loss differences, verdict."
parity_table = rt.parity_table(RESULTS_DIR)
rstyle.table(parity_table) if parity_table is not None else Markdown(
    "The parity study is not in this run (config key `studies`)."
)

# %% [markdown]
# ## Accuracy {#sec-accuracy}
#
# Final test accuracy after the workload's training recipe (the quality study), mean and standard
# deviation over seeds, beside the published reference (MNIST-1D: Greydanus, 2020: MLP 68 %, CNN 94 %).
# Short (`tiny`) runs are not expected to reach the reference.

# %%
#| label: fig-accuracy
#| fig-cap: "Final test accuracy (%) per workload and variant: mean over seeds with a 95 % bootstrap interval."
quality_ok = rt.ok_runs(quality)
if len(quality_ok) and quality_ok["test_accuracy"].notna().any():
    fig, ax = plt.subplots(figsize=(8, 3.6))
    sns.pointplot(
        data=quality_ok.assign(accuracy_pct=100 * quality_ok["test_accuracy"]),
        x="workload",
        y="accuracy_pct",
        hue="variant",
        dodge=0.4 if quality_ok["variant"].nunique() > 1 else False,  # seaborn divides by levels - 1
        linestyle="none",
        errorbar=("ci", 95),
        seed=0,
        ax=ax,
    )
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)
    ax.set_ylabel("test accuracy (%)")
    plt.show()
else:
    display(Markdown("No quality-study run finished, so no accuracy was measured."))

# %%
#| label: fig-curves
#| fig-cap: "Test accuracy during training (mean over seeds, band: range); each workload on its own step axis."
if len(curves):
    grid = sns.relplot(
        data=curves,
        x="step",
        y="test_accuracy",
        hue="variant",
        col="workload",
        col_wrap=3,
        kind="line",
        errorbar=("pi", 100),
        height=3.2,
        aspect=1.3,
        facet_kws={"sharey": False, "sharex": False},  # each workload its own length
    )
    grid.set_axis_labels("optimiser step", "test accuracy")
    plt.show()

# %%
#| label: tbl-accuracy
#| tbl-cap: "Test accuracy (%) per workload and variant."
rstyle.table(rt.accuracy_table(quality))

# %%
#| label: tbl-accuracy-gap
#| tbl-cap: "Mean test accuracy (%) per framework and the absolute gap between them, in points."
rstyle.table(rt.framework_accuracy_gap(quality))

# %% [markdown]
# What a model reaches without learning the task (`fwbench.baselines`): always the training set's
# most frequent label, and, for next-token data, a bigram counter fitted on the training set. A
# workload's target (for time to accuracy) must lie above its baseline, and an accuracy at or
# below it means the recipe learned nothing the counter does not; a test checks the targets of the
# default and GPU scales.

# %%
#| label: tbl-baselines
#| tbl-cap: "Trivial baselines (%) of each workload's test set beside its target at this scale."
baselines = rt.baselines_table(RESULTS_DIR)
rstyle.table(baselines) if baselines is not None else Markdown("No baselines in this result set.")

# %% [markdown]
# ## Speed {#sec-speed}
#
# Steady-state time of one training step (forward, backward, optimiser update) in the speed study:
# the timed steps after the warm-up steps, which are timed separately. Each point is one run's
# median step time; the bar is the median over runs with its 95 % bootstrap interval (@fig-speed).
# The y axis is logarithmic. The table's steady-state check compares the median of the second half
# of each run's timed steps with the first half's (drift ratio; a run is steady within 5 %).

# %%
#| label: fig-speed
#| fig-cap: "Steady-state training step time (ms, log scale) per workload and variant."
if len(ok):
    fig, ax = plt.subplots(figsize=(8, 3.8))
    sns.barplot(
        data=ok,
        x="workload",
        y="step_time_ms_median",
        hue="variant",
        estimator="median",
        errorbar=("ci", 95),
        ax=ax,
        alpha=0.6,
    )
    sns.stripplot(
        data=ok,
        x="workload",
        y="step_time_ms_median",
        hue="variant",
        dodge=True,
        ax=ax,
        legend=False,
        palette="dark:black",
        size=3,
    )
    ax.set_yscale("log")
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)
    ax.set_ylabel("step time (ms)")
    plt.show()

# %%
#| label: tbl-speed
#| tbl-cap: "Step time (ms), throughput, warm-up and the steady-state check (speed study)."
rstyle.table(rt.speed_table(summary))

# %% [markdown]
# The one-time cost of a mode (tracing, `torch.compile`, XLA, and first use) is not in the steady
# state. Each run measures its own: the time of its warm-up steps above its own steady-state median
# step time (each step's excess at least 0), so it is never negative and never taken from another
# mode; the table gives its mean over runs with a 95 % t-interval. The compiled scope is the same
# on both sides: PyTorch's compiled modes compile the whole training step (forward, loss,
# backward, optimiser update), as `tf.function` does; **graphs** and **graph breaks** are what the
# compiler made of it (Dynamo's counters: `zero_grad` and `.backward()` run eagerly between the
# forward and the optimiser graphs, a GRU is not traced at all; `tf.function` traces once and has
# no breaks). Eager modes are listed as the yardstick of first use. One cost is left out on one
# side: the build of Inductor's CPU-feature probes (about 7 s, once per machine) is shared between
# runs, while loading them stays in every run's first step.

# %%
#| label: fig-compile-time
#| fig-cap: "One-time cost (s, log scale) per workload and variant: the warm-up steps above each run's own steady state (median over runs, bar: 95 % bootstrap interval; points: runs)."
costs = ok.dropna(subset=["one_time_cost_s"]) if len(ok) and "one_time_cost_s" in ok else []
if len(costs) and (costs["one_time_cost_s"] > 0).any():
    fig, ax = plt.subplots(figsize=(8, 3.6))
    positive = costs[costs["one_time_cost_s"] > 0]
    sns.barplot(data=positive, x="workload", y="one_time_cost_s", hue="variant", estimator="median", ax=ax, alpha=0.6)
    ax.set_yscale("log")
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)
    ax.set_ylabel("one-time cost (s)")
    plt.show()
else:
    display(Markdown("No run measured a one-time cost above its steady state."))

# %%
#| label: tbl-compile-time
#| tbl-cap: "One-time cost per workload and mode (s): the warm-up steps above the run's own steady state; mean over runs, 95 % t-interval."
compile_times = rs.compile_time_table(summary)
rstyle.table(compile_times) if len(compile_times) else Markdown("No compiled mode in this run.")

# %% [markdown]
# Every ratio below is a ratio of geometric means over runs (one value per run, a fresh process:
# its median step time), with a 95 % Welch t-interval on the log scale (`fwbench.stats.ratio_interval`;
# timing noise is multiplicative, and a simulation test checks that these intervals cover the true
# ratio at least 93 % of the time and call a difference where there is none at most 5 % of the
# time at the numbers of runs used). A ratio below 1 means the first variant is faster;
# **inside_noise** marks intervals that contain 1, where the runs cannot tell the two apart. With
# few runs per variant the intervals are wide: read n beside them.

# %%
#| label: fig-speed-ratios
#| fig-cap: "Step-time ratios with 95 % intervals (log scale), one panel per workload; below 1: the first variant is faster; grey: the interval contains 1."
ratios = rs.step_time_ratios(summary)
if rs.ratio_figure(ratios) is not None:
    plt.show()
else:
    display(Markdown("No pair of variants with runs to compare."))

# %%
#| label: tbl-speed-ratios
#| tbl-cap: "Step-time ratios with 95 % intervals; inside_noise: the interval contains 1."
rstyle.table(ratios) if len(ratios) else Markdown("No pair of variants with runs to compare.")

# %% [markdown]
# Time to the target accuracy (quality study), by MLPerf Training's rule: over the seeds, the
# fastest and the slowest run are dropped and the rest averaged; one run that never reached the
# target (or diverged) counts as the slowest and is dropped, and more than one makes the result
# invalid (shown as such, no time). With fewer than five runs nothing is dropped, so any miss
# makes it invalid. The time is the sum of the training steps up to the first evaluation at or
# above the target: compile time included (it is part of getting there), evaluations excluded.
# A run is seen at the target only at an evaluation, every `eval_every` steps (the same steps in
# both frameworks), so the time has that quantum: differences smaller than one evaluation
# interval are not resolved.

# %%
#| label: tbl-time-to-accuracy
#| tbl-cap: "Time to the target accuracy (s), MLPerf style."
rstyle.table(rs.time_to_accuracy_table(quality)) if len(rt.ok_runs(quality)) else Markdown("No runs.")

# %% [markdown]
# ## Memory {#sec-memory}
#
# Peak resident memory of the run's process (the kernel's high-water mark), and its rise above
# the memory measured right after the framework was imported. Device memory is shown only for
# GPU runs; on a CPU it is not applicable and left empty, never zero: each framework's own peak
# (PyTorch `max_memory_allocated`, TensorFlow `get_memory_info(...)["peak"]` with memory growth
# on), PyTorch's caching-allocator peak (`max_memory_reserved`; TensorFlow has no such split),
# and NVML's per-process memory, the yardstick common to both. @fig-memory shows the median and
# range over runs.

# %%
#| label: fig-memory
#| fig-cap: "Peak host memory (MiB) per workload and variant."
if len(ok):
    fig, ax = plt.subplots(figsize=(8, 3.5))
    sns.barplot(
        data=ok,
        x="workload",
        y="host_peak_rss_mb",
        hue="variant",
        estimator="median",
        errorbar=("pi", 100),
        ax=ax,
    )
    ax.set_ylabel("peak RSS (MiB)")
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)
    plt.show()

# %%
#| label: tbl-memory
#| tbl-cap: "Host and device memory (MiB), medians over runs."
rstyle.table(rt.memory_table(summary))

# %% [markdown]
# ## Results by device {#sec-devices}
#
# Results from several machines (see the README, "Several machines, one report") are grouped by
# the device they ran on; the same workload and variant on two devices sit side by side.

# %%
#| label: tbl-devices
#| tbl-cap: "Median steady-state step time (ms) per workload and variant, one column per device (n: runs)."
rstyle.table(rc.device_comparison(summary))

# %% [markdown]
# ## GPU utilisation {#sec-gpu}
#
# On GPU runs a background NVML sampler (`fwbench.nvml_sampler`) polls utilisation, memory and
# the energy counter during the steady-state training steps (paused during evaluations). Model
# FLOPs per step come from PyTorch's FLOP counter, counted once per workload and used for both
# frameworks (the models are the same); achieved TFLOP/s is that over the median step time, and
# MFU is achieved over the device's datasheet peak (`fwbench.flops.PEAK_TFLOPS`; fp32 non-tensor
# rate). On a CPU these figures are not applicable and left empty.

# %%
#| label: tbl-gpu
#| tbl-cap: "GPU utilisation (%), energy per training sample (J), achieved TFLOP/s and MFU (medians over runs)."
no_gpu = "**No GPU in this run**: GPU utilisation, energy and MFU are not applicable."
rstyle.table(rs.gpu_table(summary)) if rs.has_gpu_runs(summary) else Markdown(no_gpu)

# %% [markdown]
# The FLOP count MFU divides by is cross-checked against XLA's own count of the same step: every
# JAX `jit` run records the cost analysis of its lowered training step. The shared count covers
# matrix products and convolutions only (2 FLOPs per multiply-add); XLA's also counts element-wise
# work and the optimiser update, so its figure is expected somewhat above, never far below.

# %%
#| label: tbl-flops
#| tbl-cap: "FLOPs of one training step: the shared count (PyTorch's counter) and XLA's own count of the JAX step, per workload and batch size."
flops_check = rt.flops_cross_check(summary)
rstyle.table(flops_check) if flops_check is not None else Markdown(
    "No JAX `jit` run recorded XLA's FLOP count in this result set."
)

# %% [markdown]
# ## Inference and export {#sec-inference}
#
# A sweep of batch sizes (1, 4, 16, ... up to the largest; config `inference.batch_size_factor`)
# per workload, framework and mode, in several fresh processes each (config `inference.runs`,
# interleaved with every other timed job: processes are the unit of replication), and, at batch 1
# and the largest batch, for every exported model (PyTorch: ONNX via `torch.onnx` in ONNX
# Runtime, `torch.export`; TensorFlow: SavedModel, ONNX via `tf2onnx` in ONNX Runtime). The models
# are **untrained** (built with seed 0): speed does not depend on the weights' values. Each call
# is timed after its device has finished (input already on the device); p50/p95 over at least 20
# timed calls after the warm-up calls. Compiled modes compile one static-shape function per batch
# size during its warm-up calls, in every framework (`torch.compile(dynamic=False)`; `tf.function`
# traces, and XLA and `jax.jit` compile, per shape). JAX exports with `jax.export` (StableHLO, a
# symbolic batch); Keras's SavedModel and ONNX exporters on JAX convert through TensorFlow, so
# they are recorded as unsupported there. The scaling figure C3 is about is the throughput at the
# largest batch over the throughput at batch 1, per run, given as a geometric mean with its 95 %
# t-interval.
# Exports are checked against the original model's outputs (|Δ| ≤ 1e-4 + 1e-4·|y|); a failed
# export is a result, listed with its error.

# %%
#| label: setup-inference
inference_sweep, inference_exports = rs.load_inference(RESULTS_DIR)

# %%
#| label: fig-inference
#| fig-cap: "Inference throughput (samples/s, log scale) against batch size, per runtime (median line; band: range over runs)."
measured = inference_sweep.dropna(subset=["latency_ms_p50"]) if inference_sweep is not None else []
if inference_sweep is None:
    display(Markdown("The inference study is not in this run (config key `studies`)."))
elif len(measured):
    grid = sns.relplot(
        data=measured,
        x="batch_size",
        y="throughput_samples_per_s",
        hue="runtime",
        col="workload",
        col_wrap=3,
        kind="line",
        marker="o",
        estimator="median",
        errorbar=("pi", 100),
        height=3.4,
        aspect=1.2,
    )
    grid.set(xscale="log", yscale="log")
    grid.set_axis_labels("batch size", "samples/s")
    plt.show()

# %%
#| label: tbl-inference
#| tbl-cap: "Latency at batch 1 (ms, p50 and p95; medians over runs), throughput at the largest batch, and the scaling figure: largest-batch over batch-1 throughput (geometric mean over runs, 95 % t-interval)."
rstyle.table(rs.inference_table(inference_sweep)) if len(measured) else Markdown("No inference measurements.")

# %%
#| label: tbl-inference-failures
#| tbl-cap: "Inference jobs and exports without measurements."
inference_failed = rs.inference_failures(inference_sweep) if inference_sweep is not None else []
rstyle.table(inference_failed) if len(inference_failed) else Markdown("No inference job or export without measurements.")

# %%
#| label: tbl-exports
#| tbl-cap: "Exports: status, output match against the original model, export time, size and speed."
has_exports = inference_exports is not None and len(inference_exports)
rstyle.table(rs.export_table(inference_exports)) if has_exports else Markdown("No exports in this result set.")

# %% [markdown]
# ## Harness overhead {#sec-harness-overhead}
#
# `benchmarks/harness_overhead.py` trains one workload in every framework through fwbench's
# harness and shared loop (the code that times every step of every run) and through a bare
# hand-written step of the same model in the same mode (PyTorch eager; Keras under
# `tf.function`), side by side in one process, on the same batches, built before timing. The two
# alternate in short blocks of steps (A B, B A, ...), so the machine's drift, larger on a shared
# machine than the effect sought, hits both blocks of a pair alike; each pair gives the ratio of
# their median step times, and the table gives the geometric mean over pairs with a 95 %
# t-interval. The goal is at most 1.02 (2 % overhead) in every framework. It is a benchmark, not
# a test: a miss is reported, not failed. (Building each batch between two timed steps, as the
# loop once did, cost about 5 % of a Keras mlp step and 1 % of a PyTorch one, through the caches
# it evicts; the loop now builds a run of batches before timing them.)

# %%
#| label: tbl-harness-overhead
#| tbl-cap: "Harness vs bare loop, per framework: median step time (ms) and their ratio."
overhead = rs.harness_overhead(RESULTS_DIR)
rstyle.table(overhead) if overhead is not None else Markdown("The harness-overhead benchmark has not run.")

# %% [markdown]
# ## Lines of code {#sec-loc}
#
# Claims C8 ("custom models need fewer tweaks in PyTorch") and C9 ("Keras makes standard models
# fast and clean"). **Method**: `fwbench.loc` counts each unit of code with radon 6 (SLOC, logical
# lines, comment lines, total cyclomatic complexity, Halstead volume) and with Python's tokenizer
# (code tokens without comments, newlines and indentation, so long lines are not rewarded);
# docstrings are blanked first. A unit is a whole file or a region a reader can check, marked
# `# region: NAME` ... `# endregion`: the model definition of every workload (`torch_impl.py`,
# `keras_impl.py`, shared by the two Keras runtimes, TensorFlow and JAX), the training step and evaluation of each harness (regions `train_step` and
# `evaluate` of `frameworks/<name>/harness.py`) and the whole harness module. Complete
# programs for the MLP are counted in three idiomatic styles (`src/fwbench/frameworks/<name>/samples/`):
# PyTorch `nn.Module` + explicit loop, Keras functional model + `compile`/`fit`, and a Keras
# `Model` with a custom `train_step`; a test runs each for a few steps. Three customisation tasks
# (`workflow/customisations/`: a custom layer with its own parameters, a custom training step with
# gradient clipping and an extra loss term, a custom metric logged per step) are made in both
# frameworks over the PyTorch-loop and Keras-fit baselines; their size is the difflib diff
# against the baseline, in lines and tokens added plus removed.

# %%
#| label: setup-effort
loc = rl.load_loc(RESULTS_DIR)
debug_rows, debug_index = rd.load_debug(RESULTS_DIR)

# %%
#| label: fig-loc
#| fig-cap: "Size and complexity, one panel per metric: model definitions per workload and the complete MLP programs."
if loc is not None:
    rl.loc_figure(loc)
    plt.show()

# %%
#| label: tbl-loc-workloads
#| tbl-cap: "Model definition, training step, evaluation and harness per workload and framework."
rstyle.table(rl.workload_loc_table(loc)) if loc is not None else Markdown("No line counts in this result set.")

# %%
#| label: tbl-loc-samples
#| tbl-cap: "Complete MLP programs in three idiomatic styles, by region."
rstyle.table(rl.samples_loc_table(loc)) if loc is not None else Markdown("No line counts in this result set.")

# %%
#| label: fig-customisation
#| fig-cap: "Customisation diff size per task and framework (added + removed lines and tokens)."
if loc is not None:
    rl.customisation_figure(loc)
    plt.show()

# %%
#| label: tbl-customisation
#| tbl-cap: "Customisation tasks: diff against the framework's baseline program (lines and tokens)."
rstyle.table(rl.customisation_table(loc)) if loc is not None else Markdown("No customisation diffs in this result set.")

# %% [markdown]
# ## Debugging effort {#sec-debugging}
#
# Claim C7 ("debugging is easier in PyTorch; TF graph-mode quirks still appear"). **Taxonomy**:
# the fault classes come from Humbatova et al. (ICSE'20, taxonomy of real deep-learning faults:
# wrong tensor shape the most common tag; wrong type; GPU/device use; wrong loss input),
# Zhang et al. (ISSTA'18, TensorFlow bugs: unaligned tensor shapes, numerical errors, API misuse),
# Islam et al. (FSE'19, bug characteristics across libraries: data type, API misuse) and the
# silent-bug literature (wrong loss input, wrong axis, detached gradients): shape mismatch, dtype
# mismatch, device placement (not applicable without a GPU), probabilities given where logits are
# expected, log-softmax over the wrong axis, detached gradient / `stop_gradient`, NaN from a bad
# operation, NCHW/NHWC layout (reshape where a transpose was needed), and the optimiser's update
# left out of the step (`optimizer.step()` / `optimizer.apply()`). Every fault is the same bug in
# the same place in both frameworks.
#
# **Method**: `fwbench.debug_probes` applies each fault as a text mutation of the `train_step` region
# of the clean harness (the step every workload goes through), so every workload can be put
# through every fault; each fault × framework × mode runs in a fresh process for `debug_steps`
# steps. A fault is *loud* if the framework raises; its step, the wall time to the error, whether
# a traceback frame or the message names the mutated line (and how many frames lie below it),
# whether the message names shapes/dtypes/devices, and the message and traceback lengths are
# recorded. A *silent* fault is checked by three documented sanity checks (loss NaN or infinite,
# every step; loss over the last evaluation window above 0.95 × the first window's; test accuracy
# at most chance + 5 points, at every evaluation); a silent fault no check catches whose accuracy
# stays within 5 points of the clean control run is *absorbed* (the framework tolerated it).
# *Inspectability* is measured on the control run: a `print` inside the model's forward runs on
# every step with concrete values, only while tracing (symbolic values), or never.
#
# **Index**: per fault, detection effort is 0 (loud or absorbed), 0.5 (silent, caught by a check)
# or 1 (silent, not caught); locality 0 if the error names the faulty line, else 1 (1 for silent
# faults); message 0 if a loud error names the property the fault broke (shape, dtype, device;
# any message for the others), else 1 (1 for silent faults). Inspectability is 0 (every step),
# 0.5 (trace time only) or 1 (never). The index is 100 × the weighted mean of the four component
# means (weights equal by default; `report_debug.index_table(rows, weights)` re-weights), so
# 0 is easiest and 100 hardest to debug. For claim C7 each (workload, fault) is scored per
# framework with the same four components; a fault that behaves differently in a framework's
# modes (loud in eager mode, silent or absorbed under `tf.function`) is a *quirk*: a mode that
# absorbed it counts as silent and undetected, and the fault takes its worst mode's effort.

# %%
#| label: fig-debug-index
#| fig-cap: "Debugging-effort index per variant, stacked by component (lower is easier)."
if debug_rows is not None:
    rd.index_figure(rd.index_table(debug_rows))
    plt.show()

# %%
#| label: tbl-debug-index
#| tbl-cap: "Debugging-effort index per workload and variant, with its components and outcome counts."
rstyle.table(rd.index_table(debug_rows)) if debug_rows is not None else Markdown("No fault-injection results.")

# %%
#| label: tbl-debug-outcomes
#| tbl-cap: "What each injected fault did in each variant."
rstyle.table(rd.outcome_table(debug_rows)) if debug_rows is not None else Markdown("No fault-injection results.")

# %%
#| label: tbl-debug-messages
#| tbl-cap: "Loud faults: time to the error, locality and message quality."
rstyle.table(rd.message_table(debug_rows)) if debug_rows is not None else Markdown("No fault-injection results.")

# %%
#| label: tbl-debug-inspect
#| tbl-cap: "Inspectability: a print inside the model's forward pass, per variant (control run)."
rstyle.table(rd.inspect_table(debug_rows)) if debug_rows is not None else Markdown("No fault-injection results.")

# %% [markdown]
# **Threats to validity** (lines of code and debugging effort). The programs and customisations
# were written by one author per framework style; another author's idiom (e.g. Keras's
# `global_clipnorm` optimiser argument and `add_loss` instead of a custom `train_step`, or
# PyTorch Lightning instead of a plain loop) would change the diffs, so the files are in the
# repository for a reader to contest. Line and token counts measure size, not the time a person
# needs. The faults are injected at one place (the training step), one mutation per class; real
# faults are more varied, and the shares of classes here are not their frequencies in the field.
# The sanity checks and their thresholds are one reasonable choice; the control run shows when
# they fire on clean code. Message quality is judged by patterns (does it name a shape, dtype,
# device), not by people. Wall time to the error is coarse: probes run in parallel and include
# tracing or compilation. The index's weights are a choice; its components are shown so that a
# reader can weight them differently.

# %% [markdown]
# ## Runs without measurements {#sec-failures}
#
# Runs that failed, ran out of memory or time, diverged, were skipped (framework or device not
# available) or are unsupported are listed here with their error and the fix; none is dropped.

# %%
#| label: tbl-failures
#| tbl-cap: "Runs that did not end with status ok."
failures = rt.status_table(runs)
rstyle.table(failures) if len(failures) else Markdown("Every run finished with status **ok**.")

# %% [markdown]
# ## Methods {#sec-methods}
#
# - **Runs**: every run is a fresh process training one workload in one framework and mode with
#   one seed, in one of two studies. Processes are the unit of replication: five per variant by
#   default (at least three for a verdict).
# - **Speed study** (every speed figure and speed claim): fixed work, the same in every mode. The
#   first `warmup_steps` steps are timed one by one and reported apart (their time above the run's
#   own steady median is its one-time cost: tracing, compiling, first use); then `timed_steps`
#   steady-state steps (at least 200 at the default and GPU scales) with no evaluation among
#   them. A run's step time is their median, with IQR and p95; the medians of the first and second
#   half of them are compared (drift ratio; steady within 5 %) as the steady-state check.
# - **Quality study** (accuracy, learning curves, time to accuracy): the workload's training recipe
#   (`total_steps`, a test-set evaluation every `eval_every` steps), in each framework's reference
#   modes (`quality_modes`: PyTorch eager, TensorFlow `tf.function`); time to accuracy is the sum of
#   the training steps until the first evaluation at or above the target, compile included.
# - **Step time**: `time.perf_counter_ns` around one training step (forward, loss, backward,
#   optimiser update), read after the step returned its loss as a Python float, which synchronises
#   the device; batch slicing and conversion sit outside the timer, and Python's garbage collector
#   is paused during the steps (collected before them and at evaluations), in every framework.
# - **Determinism**: only the quality study sets the frameworks' determinism switches (its
#   accuracies repeat bit for bit); the speed study and inference run each framework's default
#   kernels, because determinism costs the two frameworks differently.
# - **Compiled scope**: the same in every framework. PyTorch's compiled modes compile the whole step
#   function (forward, loss, backward, optimiser update); `tf.function` and XLA wrap the same step;
#   `jax.jit` wraps Keras's stateless step (forward, loss, gradient, optimiser update), its state
#   donated as Keras's own JAX trainer does.
#   What the compilers made of it is recorded (graphs, graph breaks).
# - **Keras `fit`** (mode `fit`) is the path Keras documents first and is measured as its own mode:
#   `model.compile(jit_compile=False, steps_per_execution=1)` (both set explicitly; `False` is what
#   `jit_compile="auto"` means on a machine without a GPU), then `model.fit` on the same batches in
#   the same order, each step timed by a callback from the start of the batch to the moment Keras
#   has its logs on the host. The other TensorFlow modes are custom loops, as is PyTorch's. On JAX
#   `fit` sets `jit_compile=True` (what "auto" means there) and is timed the same way.
# - **Inference**: per workload, framework and mode of `inference_modes` (by default each
#   framework's inference path and its compiler: PyTorch eager and `torch.compile`, TensorFlow
#   `tf.function` and XLA), `inference.runs` fresh processes (three by
#   default), interleaved with every other timed job; per batch size at least 20 timed calls after
#   untimed warm-up calls, compiled modes compiling each batch size's static shape in the warm-up.
# - **Throughput** is samples per second at the median step time.
# - **Memory**: the process's peak resident set size (kernel high-water mark) and its rise over
#   the value right after the framework was imported; device memory from the framework's own
#   allocator statistics on a GPU, null on a CPU.
# - **Statistics**: ratios of geometric means over runs per workload and device, with 95 % Welch
#   t-intervals on log run times, combined over workloads by the geometric mean (the mean log
#   ratio, with its own interval); a workload whose own interval lies on the other side of 1 is
#   named beside the combined figure (`fwbench.stats`). A simulation test runs this code under no
#   difference and under a known 10 % difference at 3 and 5 runs a side: at most 5 % false
#   positives, at least 93 % coverage. The timed jobs (both studies and the inference sweeps) run
#   one at a time in seeded interleaved rounds over every variant (`fwbench.plan.timed_order`,
#   handed to Snakemake as job priorities), so the machine's drift from hour to hour falls on
#   every variant alike; each result records its place in the order (`run_order`).
# - **Verdicts**: the rules printed in @sec-verdict-rules.
#
# How the study meets the 12 rules of Hoefler and Belli, "Scientific Benchmarking of Parallel
# Computing Systems" (SC'15):

# %%
#| label: tbl-hoefler-belli
#| tbl-cap: "The 12 rules of Hoefler & Belli (SC'15) and how each is met."
rstyle.table(rc.hoefler_belli_table())

# %% [markdown]
# ## Threats to validity {#sec-threats}
#
# - **Small machine, shared**: the reference runs use a 2-core CPU that other jobs may share;
#   timed runs never overlap each other, but outside load can widen the intervals. The intervals
#   are there to show it.
# - **Few repeats**: five runs per variant by default (at least three count) give wide intervals;
#   a claim whose interval contains 1 is reported as inconclusive, never as a tie.
# - **Short quality runs**: at the default scale the recipes are short (30-1000 steps), so the
#   accuracies are not at convergence for every workload; the GPU scale runs the full recipes.
# - **Small models**: the workloads are small, so per-step framework overhead weighs more than
#   it would with large models; results need not carry over to large-scale training.
# - **One device kind per machine**: claims about GPUs (C1, C2), several vendors (C12) and several
#   GPUs (C13) are not testable on a CPU-only machine; C13 is not testable on one machine at all
#   (the pipeline can run on a cluster through its profiles, but the claim needs several GPUs).
# - **Threads equal in number, not in meaning**: PyTorch and TF get the same intra-op and
#   inter-op pool sizes, but TF's inter-op pool runs independent ops at once while PyTorch's sits
#   idle in eager execution, and nothing is pinned to a core; JAX has no thread setting (XLA's CPU
#   pool has one thread per CPU the process may use), so a JAX run of n threads is confined to n
#   CPUs (CPU affinity), the one place a run is pinned. Denormals are left at each
#   framework's default and recorded (@sec-provenance, `denormals_flushed`: an eager elementwise
#   op on a float32 denormal; TF's eager ops flush it, PyTorch's do not); the threading and
#   numerics environment variables a run saw are in each result file (`provenance.runtime_env`).
# - **Reproducible on one machine, not bit for bit across machines**: the same command on the same
#   machine gives the same accuracies (tests/test_determinism.py), but oneDNN and XLA choose
#   kernels by the CPU's instruction set, so another CPU model can give slightly different
#   accuracies from the same commit (resnet: 84.6 / 79.1 % on one reference machine, 83.7 / 79.9 %
#   on another, PyTorch / TF, mean over modes and seeds). The CPU model is in @sec-provenance.
# - **Idiom**: each framework is written the way its own documentation writes it; another author's
#   idiom could change line counts and, less likely, speed.
# - **Versions**: one version of each framework (see @sec-provenance); results can change with
#   the next release.

# %% [markdown]
# ## Provenance {#sec-provenance}
#
# The distinct machines, software versions, code versions and input data behind the results.
# Each raw result file (`results/runs/<workload>/<framework>-<mode>-seed<seed>.json` for the speed
# study, `results/quality/...` for the quality study) carries the full record, including the
# configuration hash and package versions.

# %%
#| label: tbl-provenance
#| tbl-cap: "Machines, software and data the results come from."
rstyle.table(rt.provenance_table(runs)) if len(runs) else Markdown("No runs.")

# %%
#| label: tbl-result-files
#| tbl-cap: "The result files behind this report, one link per run."
display(HTML(rc.result_file_links(runs)))
