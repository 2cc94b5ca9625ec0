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
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import HTML, Markdown, display

from fwbench import ledger as fwledger
from fwbench.reporting import costs, guide, headlines, ledger_view, methods, style
from fwbench.reporting import runs as run_lists
from fwbench.runs import tables as run_tables
from fwbench.studies import REGISTRY
from fwbench.studies.debug import report as debug_report
from fwbench.studies.harness_overhead import report as overhead_report
from fwbench.studies.inference import report as inference_report
from fwbench.studies.inference.columns import LATENCY_MS_P50
from fwbench.studies.loc import report as loc_report
from fwbench.studies.parity import report as parity_report
from fwbench.studies.quality import report as quality_report
from fwbench.studies.quality import tables as quality_tables
from fwbench.studies.speed import report as speed_report
from fwbench.studies.speed import tables as speed_tables
from fwbench.studies.verdict import ARTICLE, BEYOND

RESULTS_DIR = os.environ.get("FWBENCH_RESULTS_DIR", "../results")
RENDERER = os.environ.get("FWBENCH_RENDERER", "unknown renderer")
summary, quality, curves = run_tables.load(RESULTS_DIR)  # the speed study's runs, the quality study's
runs = run_tables.all_runs(summary, quality)
ok = run_tables.ok_runs(summary)
record = fwledger.read(Path(RESULTS_DIR) / "ledger.json")  # the verdicts, judged by rule `ledger`
ledger, beyond = fwledger.rows(record, ARTICLE), fwledger.rows(record, BEYOND)
anchors = ledger_view.section_anchors("index.py")  # the report's own sections, for the ledger's links
anchors.update({study.section: study.title for study in REGISTRY.values()})
sns.set_theme(style="whitegrid", context="notebook")
style.use_svg_figures()
display(HTML(f"<style>{style.CSS}</style>"))
display(
    Markdown(
        f"Rendered by **{RENDERER}** on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from "
        f"{len(runs)} runs ({len(run_tables.ok_runs(runs))} with status ok), results in `{RESULTS_DIR}`."
    )
)


def show(figure, otherwise: str) -> None:
    """A figure, or the sentence that says why there is none."""
    if figure is not None:
        plt.show()
    else:
        display(Markdown(otherwise))


def not_run(study: str) -> Markdown:
    return Markdown(f"The {study} study is not in this run (config key `studies`).")


# %% [markdown]
# ## Summary {#sec-summary}

# %%
#| label: summary-headlines
display(Markdown(headlines.INTRO))
display(Markdown(headlines.environment_markdown(runs)))
sentences = headlines.headlines(ledger, summary, quality)
display(Markdown("\n".join(f"{i}. {sentence}" for i, sentence in enumerate(sentences, 1))))

# %%
#| label: tbl-status
#| tbl-cap: "Runs per study, variant and status. Runs that did not finish are listed in @sec-failures."
style.table(run_lists.status_counts(runs)) if len(runs) else Markdown("No runs in this result set.")

# %% [markdown]
# ## Claims ledger {#sec-ledger}
#
# One row per claim of the comparison article (ids C1-C13 as in the project's `docs/claims.md`): the
# verdict, the measured effect with its uncertainty, and the section that holds the evidence.
# The rules below are stated and unit-tested in each study's `claims.py` and applied by
# `fwbench.ledger` (results/ledger.json); this page only shows their result. @fig-effects draws
# every effect that is a ratio with its interval.

# %%
#| label: tbl-ledger
#| tbl-cap: "The article's claims, each with its verdict, the measured effect and the evidence."
display(HTML(ledger_view.ledger_html(ledger, anchors)))

# %%
#| label: fig-effects
#| fig-cap: "Measured effects behind the ledger: ratio and its 95 % interval (log scale); 1 means no difference."
show(ledger_view.effects_figure(ledger), "No claim has a measured ratio in this result set.")

# %% [markdown]
# ### Verdict rules {#sec-verdict-rules}

# %%
#| label: verdict-rules
display(Markdown(ledger_view.rules_markdown(record, ledger)))

# %%
#| label: tbl-thresholds
#| tbl-cap: "Every threshold the verdict rules read, with the date and commit that set it."
style.table(ledger_view.thresholds_table(record))

# %%
#| label: tbl-strata
#| tbl-cap: "The strata each verdict used and those it could not use: a workload with fewer than the minimum of ok runs a side, or, in C7, a unit only one framework has (the claim's effect says which)."
style.table(ledger_view.strata_table(record))

# %% [markdown]
# ### Not measurable by this study {#sec-unmeasurable}
#
# The article also quotes figures without a source. They are about people and markets, not about
# what the frameworks do on a machine, so no benchmark can check them:

# %%
#| label: unmeasurable
display(Markdown("\n".join(f"- {figure}: not measurable by this study" for figure in record["unmeasurable"])))

# %% [markdown]
# ## Which one should you choose? {#sec-guide}
#
# The article ends with a list of situations and the framework it recommends for each. Here each
# situation is answered by this run's verdicts on the claims behind it, with the article's words
# beside the measurement and a link to the evidence; where no claim behind it could be tested on
# this machine, the line says so and why.

# %%
#| label: decision-guide
prototyping = speed_report.quickest_first_step_note(speed_tables.quickest_first_step(summary))
display(Markdown(guide.decision_guide(ledger, anchors, {"Rapid prototyping": prototyping} if prototyping else None)))

# %% [markdown]
# ## Beyond the article: JAX {#sec-jax}
#
# The article asks "PyTorch or TensorFlow?", but on Keras code that question mixes two: the model
# API (Keras vs native PyTorch) and the runtime that executes it. Keras 3 runs each workload's one
# model file (`keras_impl.py`) on TensorFlow and on JAX, and both pass the same parity check against
# PyTorch (@sec-parity). So the same verdict machinery answers the two questions beyond the article:
# **B1**, how much of TensorFlow's speed and memory is the runtime's; **B2**, native PyTorch vs Keras
# on JAX. Their rules were written down before any JAX run, and they never change a C-verdict.

# %%
#| label: tbl-jax
#| tbl-cap: "Beyond the article (B1, B2): the runtime's share and native PyTorch vs Keras on JAX, each with its verdict and the measured effect."
display(HTML(ledger_view.ledger_html(beyond, anchors, table_id="jax-ledger", text_header="comparison")))
display(Markdown("\n".join(f"- **{row.claim}**: {row.rule}" for row in beyond.itertuples())))

# %%
#| label: fig-jax
#| fig-cap: "Beyond the article: step-time and memory ratios with their 95 % intervals (log scale); above 1, JAX is faster or lighter."
show(
    ledger_view.effects_figure(beyond),
    "No JAX comparison has runs on both sides in this result set (config key `modes`).",
)

# %%
#| label: tbl-jax-workloads
#| tbl-cap: "Per workload and device: each comparison's ratio (step time or memory), the modes it compared, and its 95 % interval."
jax_strata = fwledger.strata(record, BEYOND)
style.table(jax_strata) if len(jax_strata) else Markdown("No JAX comparison in this result set.")

# %% [markdown]
# ## Parity: the same model in every framework {#sec-parity}

# %%
#| label: parity-method
display(Markdown(parity_report.method()))

# %%
#| label: tbl-parity
#| tbl-cap: "Parity per workload and framework checked against PyTorch: parameter counts, largest output and loss differences, verdict."
parity_table = parity_report.parity_table(RESULTS_DIR)
style.table(parity_table) if parity_table is not None else not_run("parity")

# %% [markdown]
# ## Accuracy {#sec-accuracy}

# %%
#| label: accuracy-method
display(Markdown(quality_report.METHOD))

# %%
#| label: fig-accuracy
#| fig-cap: "Final test accuracy (%) per workload and variant: mean over seeds with a 95 % bootstrap interval."
show(
    quality_report.accuracy_figure(run_tables.ok_runs(quality)),
    "No quality-study run finished, so no accuracy was measured.",
)

# %%
#| label: fig-curves
#| fig-cap: "Test accuracy during training (mean over seeds, band: range); each workload on its own step axis."
show(quality_report.curves_figure(curves), "No learning curves in this result set.")

# %%
#| label: tbl-accuracy
#| tbl-cap: "Test accuracy (%) per workload and variant."
style.table(quality_tables.accuracy_table(quality))

# %%
#| label: tbl-accuracy-gap
#| tbl-cap: "Mean test accuracy (%) per framework and the absolute gap between them, in points."
style.table(quality_tables.framework_accuracy_gap(quality))

# %%
#| label: baselines-method
display(Markdown(quality_report.BASELINES_METHOD))

# %%
#| label: tbl-baselines
#| tbl-cap: "Trivial baselines (%) of each workload's test set beside its target at this scale."
baselines = quality_tables.baselines_table(RESULTS_DIR)
style.table(baselines) if baselines is not None else Markdown("No baselines in this result set.")

# %% [markdown]
# ## Speed {#sec-speed}

# %%
#| label: speed-method
display(Markdown(speed_report.METHOD))

# %%
#| label: fig-speed
#| fig-cap: "Steady-state training step time (ms, log scale) per workload and variant."
show(speed_report.step_time_figure(ok), "No speed-study run finished.")

# %%
#| label: tbl-speed
#| tbl-cap: "Step time (ms), throughput, warm-up and the steady-state check (speed study); the timed steps a run took, its median's own error and the spread of the medians between runs (%)."
style.table(speed_tables.speed_table(summary))

# %%
#| label: one-time-cost-method
display(Markdown(speed_report.ONE_TIME_COST_METHOD))

# %%
#| label: fig-compile-time
#| fig-cap: "One-time cost (s, log scale) per workload and variant: the warm-up steps above each run's own steady state (median over runs, bar: 95 % bootstrap interval)."
show(speed_report.one_time_cost_figure(ok), "No run measured a one-time cost above its steady state.")

# %%
#| label: tbl-compile-time
#| tbl-cap: "One-time cost per workload and mode (s): the warm-up steps above the run's own steady state; mean over runs, 95 % t-interval."
compile_times = speed_tables.compile_time_table(summary)
style.table(compile_times) if len(compile_times) else Markdown("No compiled mode in this run.")

# %%
#| label: startup-method
display(Markdown(speed_report.STARTUP_METHOD))

# %%
#| label: tbl-startup
#| tbl-cap: "Start-up per workload, framework and mode (s, median over runs): importing the framework, building the model, the first step, and the process's start to the first step finished."
startup = speed_tables.startup_table(summary)
style.table(startup) if len(startup) else Markdown("No run recorded its start-up times.")

# %%
#| label: ratios-method
display(Markdown(speed_report.RATIOS_METHOD))

# %%
#| label: fig-speed-ratios
#| fig-cap: "Step-time ratios with 95 % t-intervals (log scale), one panel per workload and device; below 1: the first variant is faster; grey: the interval contains 1."
ratios = speed_tables.step_time_ratios(summary)
show(speed_report.ratio_figure(ratios), "No pair of variants with runs to compare.")

# %%
#| label: tbl-speed-ratios
#| tbl-cap: "Step-time ratios per device and workload with 95 % intervals; inside_noise: the interval contains 1."
style.table(ratios) if len(ratios) else Markdown("No pair of variants with runs to compare.")

# %%
#| label: time-to-accuracy-method
display(Markdown(quality_report.TIME_TO_ACCURACY_METHOD))

# %%
#| label: tbl-time-to-accuracy
#| tbl-cap: "Time to the target accuracy (s), MLPerf style."
style.table(quality_tables.time_to_accuracy_table(quality)) if len(run_tables.ok_runs(quality)) else Markdown(
    "No runs."
)

# %% [markdown]
# ## Memory {#sec-memory}

# %%
#| label: memory-method
display(Markdown(speed_report.MEMORY_METHOD))

# %%
#| label: fig-memory
#| fig-cap: "Peak host memory (MiB) per workload and variant."
show(speed_report.memory_figure(ok), "No speed-study run finished.")

# %%
#| label: tbl-memory
#| tbl-cap: "Host and device memory (MiB), medians over runs: what importing the framework (with the data) costs, what the model and its training add, the lifetime peak."
style.table(speed_tables.memory_table(summary))

# %% [markdown]
# ## Results by device {#sec-devices}
#
# Results from several machines (docs/machines.md, "Several machines, one report") are grouped by the device
# they ran on; the same workload and variant on two devices sit side by side.

# %%
#| label: tbl-devices
#| tbl-cap: "Median steady-state step time (ms) per workload and variant, one column per device (n: runs)."
style.table(speed_tables.device_comparison(summary))

# %% [markdown]
# ## GPU utilisation {#sec-gpu}
#
# On GPU runs an NVML sampler in a child process (`fwbench.core.nvml_sampler`) polls utilisation,
# memory and the energy counter during the steady-state training steps (paused during evaluations).
# Model FLOPs per step come from PyTorch's FLOP counter, counted once per workload and used for every
# framework (the models are the same); achieved TFLOP/s is that over the median step time, and MFU
# is achieved over the device's datasheet peak of the precision the run used
# (`fwbench.runs.flops.PEAK_TFLOPS`). On a CPU these figures are not applicable and left empty.

# %%
#| label: tbl-gpu
#| tbl-cap: "GPU utilisation (%), energy per training sample (J), achieved TFLOP/s and MFU (medians over runs)."
no_gpu = "**No GPU in this run**: GPU utilisation, energy and MFU are not applicable."
style.table(speed_tables.gpu_table(summary)) if speed_tables.has_gpu_runs(summary) else Markdown(no_gpu)

# %% [markdown]
# The FLOP count MFU divides by is cross-checked against XLA's own count of the same step: every
# JAX `jit` run records the cost analysis of its lowered training step. The shared count covers
# matrix products and convolutions only (2 FLOPs per multiply-add); XLA's also counts element-wise
# work and the optimiser update, so its figure is expected somewhat above, never far below.

# %%
#| label: tbl-flops
#| tbl-cap: "FLOPs of one training step: the shared count (PyTorch's counter) and XLA's own count of the JAX step, per workload and batch size."
flops_check = speed_tables.flops_cross_check(summary)
style.table(flops_check) if flops_check is not None else Markdown(
    "No JAX `jit` run recorded XLA's FLOP count in this result set."
)

# %% [markdown]
# ## Inference and export {#sec-inference}

# %%
#| label: inference-method
display(Markdown(inference_report.method()))
inference_sweep, inference_exports = inference_report.load_inference(RESULTS_DIR)

# %%
#| label: fig-inference
#| fig-cap: "Inference throughput (samples/s, log scale) against batch size, per runtime (median line; band: range over runs)."
if inference_sweep is None:
    display(not_run("inference"))
else:
    show(inference_report.throughput_figure(inference_sweep), "No inference measurements.")

# %%
#| label: tbl-inference
#| tbl-cap: "Latency at batch 1 (ms, p50 and p95; medians over runs), throughput at the largest batch, and the scaling figure: largest-batch over batch-1 throughput (geometric mean over runs, 95 % t-interval)."
measured = inference_sweep is not None and inference_sweep[LATENCY_MS_P50].notna().any()
style.table(inference_report.inference_table(inference_sweep)) if measured else Markdown(
    "No inference measurements."
)

# %%
#| label: tbl-inference-failures
#| tbl-cap: "Inference jobs and exports without measurements."
inference_failed = inference_report.inference_failures(inference_sweep) if inference_sweep is not None else []
style.table(inference_failed) if len(inference_failed) else Markdown(
    "No inference job or export without measurements."
)

# %%
#| label: tbl-exports
#| tbl-cap: "Exports: status, output match against the original model, export time, size and speed."
has_exports = inference_exports is not None and len(inference_exports)
style.table(inference_report.export_table(inference_exports)) if has_exports else Markdown(
    "No exports in this result set."
)

# %% [markdown]
# ## Harness overhead {#sec-harness-overhead}

# %%
#| label: harness-overhead-method
display(Markdown(overhead_report.method()))

# %%
#| label: tbl-harness-overhead
#| tbl-cap: "Harness vs bare loop, per framework: median step time (ms) and their ratio."
overhead = overhead_report.harness_overhead(RESULTS_DIR)
style.table(overhead) if overhead is not None else not_run("harness-overhead")

# %% [markdown]
# ## Lines of code {#sec-loc}

# %%
#| label: loc-method
display(Markdown(loc_report.method()))
loc = loc_report.load_loc(RESULTS_DIR)

# %%
#| label: fig-loc
#| fig-cap: "Size and complexity, one panel per metric: model definitions per workload and the complete MLP programs."
show(loc_report.loc_figure(loc) if loc is not None else None, "No line counts in this result set.")

# %%
#| label: tbl-loc-workloads
#| tbl-cap: "Model definition, training step, evaluation and harness per workload and framework."
style.table(loc_report.workload_loc_table(loc)) if loc is not None else not_run("lines-of-code")

# %%
#| label: tbl-loc-samples
#| tbl-cap: "Complete MLP programs in three idiomatic styles, by region."
style.table(loc_report.samples_loc_table(loc)) if loc is not None else not_run("lines-of-code")

# %%
#| label: fig-customisation
#| fig-cap: "Customisation diff size per task and framework (added + removed lines and tokens)."
show(
    loc_report.customisation_figure(loc) if loc is not None else None,
    "No customisation diffs in this result set.",
)

# %%
#| label: tbl-customisation
#| tbl-cap: "Customisation tasks: diff against the framework's baseline program (lines and tokens)."
style.table(loc_report.customisation_table(loc)) if loc is not None else not_run("lines-of-code")

# %% [markdown]
# ## Debugging effort {#sec-debugging}

# %%
#| label: debug-method
display(Markdown(debug_report.TAXONOMY))
display(Markdown(debug_report.method()))
debug_rows, debug_index = debug_report.load_debug(RESULTS_DIR)

# %%
#| label: fig-debug-index
#| fig-cap: "Debugging-effort index per variant, stacked by component (lower is easier)."
show(
    debug_report.index_figure(debug_report.index_table(debug_rows)) if debug_rows is not None else None,
    "No fault-injection results in this result set.",
)

# %%
#| label: tbl-debug-index
#| tbl-cap: "Debugging-effort index per workload and variant, with its components and outcome counts."
style.table(debug_report.index_table(debug_rows)) if debug_rows is not None else not_run("debugging")

# %%
#| label: tbl-debug-outcomes
#| tbl-cap: "What each injected fault did in each variant."
style.table(debug_report.outcome_table(debug_rows)) if debug_rows is not None else not_run("debugging")

# %%
#| label: tbl-debug-messages
#| tbl-cap: "Loud faults: time to the error, locality and message quality."
style.table(debug_report.message_table(debug_rows)) if debug_rows is not None else not_run("debugging")

# %%
#| label: tbl-debug-inspect
#| tbl-cap: "Inspectability: a print inside the model's forward pass, per variant (control run)."
style.table(debug_report.inspect_table(debug_rows)) if debug_rows is not None else not_run("debugging")

# %%
#| label: debug-threats
display(Markdown(debug_report.THREATS))

# %% [markdown]
# ## Other studies {#sec-other-studies}
#
# Studies of the registry (`fwbench.studies.REGISTRY`) that have no section of their own above:
# each shows what its report module's `section()` returns.

# %%
#| label: other-studies
own_sections = ledger_view.section_anchors("index.py")
others = [study for study in REGISTRY.values() if study.section not in own_sections]
for study in others:
    display(HTML(f'<h3 id="{study.section}">{study.title}</h3>'))
    module = study.module("report")
    for item in module.section(RESULTS_DIR) if module is not None else ["This study has no report module."]:
        display(Markdown(item) if isinstance(item, str) else style.table(item))
if not others:
    display(Markdown("Every study of the registry has its own section above."))

# %% [markdown]
# ## Runs without measurements {#sec-failures}
#
# Runs that failed, ran out of memory or time, diverged, were skipped (framework or device not
# available) or are unsupported are listed here with their error and the fix; none is dropped.

# %%
#| label: tbl-failures
#| tbl-cap: "Runs that did not end with status ok."
failures = run_lists.status_table(runs)
style.table(failures) if len(failures) else Markdown("Every run finished with status **ok**.")

# %% [markdown]
# ## Methods {#sec-methods}

# %%
#| label: methods
display(Markdown(methods.methods_markdown()))

# %%
#| label: tbl-hoefler-belli
#| tbl-cap: "The 12 rules of Hoefler & Belli (SC'15) and how each is met."
style.table(methods.hoefler_belli_table())

# %% [markdown]
# ## What this run cost {#sec-cost}
#
# Every job's wall time from Snakemake's own benchmark files, summed per job family (the rule file,
# the rule, and the framework and mode of a run), beside what the family feeds: the claims of its
# study and its report section (which of those claims reads a given mode is in the claim's rule,
# @sec-verdict-rules). Jobs still running when the report was rendered (the report itself) are not
# in it.

# %%
#| label: tbl-cost
#| tbl-cap: "What this run cost per job family: processes, summed wall time (min), share of the total, and the claims and section each feeds; the costliest first."
cost = costs.cost_table(RESULTS_DIR)
style.table(cost) if len(cost) else Markdown("No benchmark files in this run's results.")

# %% [markdown]
# ## Threats to validity {#sec-threats}

# %%
#| label: threats
display(Markdown(methods.threats_markdown()))

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
style.table(run_lists.provenance_table(runs)) if len(runs) else Markdown("No runs.")

# %%
#| label: tbl-result-files
#| tbl-cap: "The result files behind this report, one link per run."
display(HTML(run_lists.result_file_links(runs)))
