"""What the report shows around the claims ledger: the summary's headlines, the ledger as a table
with links to the evidence, the effects figure, the methods table (Hoefler & Belli's 12 rules),
the threats to validity, results grouped by device, and links to the raw result files.

Place in the pipeline: report/index.py calls these after aggregation; the verdicts themselves are
computed in fwbench.verdicts. Everything here only formats.
"""

import html
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from fwbench import verdicts
from fwbench.report_style import VERDICT_COLOURS
from fwbench.report_tables import all_runs
from fwbench.stats import ratio_interval


def section_anchors(source) -> dict[str, str]:
    """Section anchors of the report source ({#sec-...} headings) -> their titles."""
    text = Path(source).read_text()
    return {
        anchor: title.strip("# ")
        for title, anchor in re.findall(r"^# (#+ .*?) \{#(sec-[\w-]+)\}", text, re.M)
    }


def _evidence_link(anchor: str, anchors: dict[str, str]) -> str:
    if anchor in anchors:
        return f'<a href="#{anchor}">{html.escape(anchors[anchor])}</a>'
    return "no section in this report (that stage was not part of this run)"


def ledger_html(
    ledger: pd.DataFrame,
    anchors: dict[str, str],
    *,
    table_id: str = "claims-ledger",
    text_header: str = "as the article makes it",
) -> str:
    """The ledger as an HTML table (id `table_id`), one row per claim, the evidence linked."""
    rows = []
    for row in ledger.itertuples():
        colour = VERDICT_COLOURS[row.verdict]
        rows.append(
            f'<tr id="claim-{row.claim}"><td>{row.claim}</td><td>{html.escape(row.text)}</td>'
            f'<td style="color:{colour};font-weight:bold">{row.verdict}</td>'
            f"<td>{html.escape(row.effect)}</td><td>{_evidence_link(row.evidence, anchors)}</td></tr>"
        )
    head = "".join(f"<th>{name}</th>" for name in ("claim", text_header, "verdict", "measured", "evidence"))
    return (
        f"<style>#{table_id} th, #{table_id} td {{text-align: left; vertical-align: top}}</style>"
        f'<table id="{table_id}" class="dataframe"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# The article's "Which one should you choose?" list: each situation, the claims that answer it, and
# what this study cannot measure about it.
DECISION_GUIDE = (
    ("Rapid prototyping", ("C9", "C4"), None),
    ("CPU training", ("C5",), None),
    ("GPU training", ("C1", "C2"), None),
    ("Inference at scale", ("C3",), None),
    ("Export and mobile", ("C10",), "mobile runtimes (TensorFlow Lite, ExecuTorch) are not measured here"),
    ("Debugging", ("C7",), None),
    ("Custom models", ("C8",), None),
    ("Distributed, several GPUs", ("C13",), None),
)


def decision_guide(ledger: pd.DataFrame, anchors: dict[str, str]) -> str:
    """The article's "Which one should you choose?" list, each situation answered by this run's
    verdicts on the claims behind it (the article's words, the verdict, the measured effect and
    a link to the evidence), or "not measured here" with the reason when none could be tested."""
    rows = {row.claim: row for row in ledger.itertuples()}
    lines = []
    for situation, claims, unmeasured in DECISION_GUIDE:
        tested = [rows[c] for c in claims if c in rows and rows[c].verdict != verdicts.NOT_TESTABLE]
        if not tested:
            reasons = "; ".join(
                [*(rows[c].effect for c in claims if c in rows), *([unmeasured] if unmeasured else [])]
            )
            lines.append(f"- **{situation}**: not measured here ({reasons}).")
            continue
        parts = []
        for row in tested:
            link = f"[evidence](#{row.evidence})" if row.evidence in anchors else "no section in this run"
            parts.append(f'{row.claim} "{row.text}": **{row.verdict}**, {row.effect} ({link})')
        untested = [c for c in claims if c in rows and rows[c] not in tested]
        notes = [f"{c} not testable here" for c in untested] + ([unmeasured] if unmeasured else [])
        suffix = f"; {'; '.join(notes)}" if notes else ""
        lines.append(f"- **{situation}**: {'; '.join(parts)}{suffix}.")
    return "\n".join(lines)


def rules_markdown(ledger: pd.DataFrame) -> str:
    general = "\n".join(f"- {rule}" for rule in verdicts.GENERAL_RULES)
    per_claim = "\n".join(f"- **{row.claim}**: {row.rule}" for row in ledger.itertuples())
    return f"{general}\n\nPer claim:\n\n{per_claim}"


def thresholds_table() -> pd.DataFrame:
    """Every threshold a verdict reads: its value, what it decides, the date and commit that set it."""
    return pd.DataFrame(
        [
            {
                "threshold": name,
                "value": f"{getattr(verdicts, name):g}",
                "what it decides": meaning,
                "set on": date,
                "commit": commit,
            }
            for name, (meaning, date, commit) in verdicts.THRESHOLDS.items()
        ]
    )


def environment_markdown(summary: pd.DataFrame) -> str:
    """One paragraph: the machines, devices and software versions the runs come from."""
    if summary.empty or "hostname" not in summary:
        return "No runs in this result set."

    def distinct(name):
        if name not in summary:
            return "not recorded"
        return ", ".join(sorted(summary[name].dropna().astype(str).unique())) or "not recorded"

    return (
        f"The runs ran on {summary['hostname'].nunique()} machine(s) ({distinct('hostname')}), on "
        f"{distinct('device')}, with {distinct('threads_intra_op')} intra-op thread(s); Python "
        f"{distinct('python_version')}, PyTorch {distinct('torch_version')}, TensorFlow "
        f"{distinct('tensorflow_version')}, JAX {distinct('jax_version')}, Keras "
        f"{distinct('keras_version')} (details in [Provenance](#sec-provenance))."
    )


def accuracy_sentence(quality: pd.DataFrame) -> str:
    """What the accuracy equivalence test found (verdicts.accuracy_equivalence), and only that."""
    link = "([Accuracy](#sec-accuracy))"
    tested = verdicts.accuracy_equivalence(quality) if len(quality) and "test_accuracy" in quality else None
    if tested is None or tested.empty:
        return f"No accuracy was measured in both frameworks {link}."
    test = f"within ±{verdicts.ACCURACY_MARGIN_PTS:g} points (two one-sided tests at 5 %)"
    readings = {
        r: tested.loc[tested["reading"].eq(r), "workload"].tolist() for r in verdicts.ACCURACY_READINGS
    }
    if len(readings["equivalent"]) == len(tested):
        n = len(tested)
        return f"Test accuracy is equivalent between the frameworks {test} on all {n} workloads {link}."
    parts = "; ".join(f"{reading}: {', '.join(names)}" for reading, names in readings.items() if names)
    return f"Test accuracy of the frameworks, tested for equivalence {test}: {parts} {link}."


def headlines(ledger: pd.DataFrame, summary: pd.DataFrame, quality: pd.DataFrame) -> list[str]:
    """Five sentences, each linked to the section that holds its evidence (speed from the speed
    study's runs, `summary`; accuracy from the quality study's, `quality`)."""
    sentences = []
    runs = all_runs(summary, quality)
    n_ok = int(runs["status"].eq("ok").sum()) if len(runs) else 0
    sentences.append(
        f"{len(summary)} speed-study and {len(quality)} quality-study runs of "
        f"{runs['workload'].nunique() if len(runs) else 0} workloads on "
        f"{runs['device'].nunique() if len(runs) else 0} device(s); {n_ok} finished with status ok "
        f"and {len(runs) - n_ok} did not ([Runs without measurements](#sec-failures))."
    )
    ok = summary[summary["status"].eq("ok")] if len(summary) else summary
    if len(ok) and ok["step_time_ms_median"].notna().any():
        parts = [fastest_variant(workload, runs) for workload, runs in ok.groupby("workload")]
        sentences.append(f"Fastest training step per workload: {'; '.join(parts)} ([Speed](#sec-speed)).")
    else:
        sentences.append("No run finished, so no speed was measured ([Speed](#sec-speed)).")
    sentences.append(accuracy_sentence(quality))
    counts = ledger["verdict"].value_counts()
    tally = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICT_COLOURS)
    sentences.append(f"Of the article's 13 claims, {tally} ([Claims ledger](#sec-ledger)).")
    decided = ledger[ledger["verdict"].isin([verdicts.SUPPORTED, verdicts.REFUTED])]
    if len(decided):
        parts = [f"{r.claim} {r.verdict} ({r.effect})" for r in decided.itertuples()]
        sentences.append(f"Decided by the measurements: {'; '.join(parts)} ([Claims ledger](#sec-ledger)).")
    else:
        sentences.append("No claim could be decided from these measurements ([Claims ledger](#sec-ledger)).")
    return sentences


def fastest_variant(workload: str, runs: pd.DataFrame) -> str:
    """The workload's fastest variant (by the geometric mean of its runs' median step times), and
    whether the runner-up is slower beyond noise (the 95 % interval of their ratio above 1) or ties
    with it; the sentence says only what the interval supports."""

    times = runs.dropna(subset=["step_time_ms_median"]).groupby("variant")["step_time_ms_median"]
    ranked = times.apply(lambda t: float(np.exp(np.log(t).mean()))).sort_values()
    best = ranked.index[0]
    text = f"{workload}: {best} ({ranked.iloc[0]:.2f} ms"
    if len(ranked) < 2:
        return text + ")"
    second = ranked.index[1]
    result = ratio_interval(times.get_group(second), times.get_group(best))
    if result is None or not np.isfinite(result["ci_low"]):
        return text + f"; {second} next, no interval)"
    if result["ci_low"] > 1:
        return text + f", {result['ratio']:.2f}x faster than the next, {second}, beyond noise)"
    interval = f"{result['ratio']:.2f}x, CI {result['ci_low']:.2f}-{result['ci_high']:.2f}"
    return text + f", not distinguishable from {second}: {interval})"


def effects_figure(ledger: pd.DataFrame):
    """Forest plot of every claim whose effect is a ratio with a 95 % CI (log scale)."""
    rows = ledger.dropna(subset=["ratio"])
    if rows.empty:
        return None
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(rows)))
    for y, row in enumerate(rows.itertuples()):
        colour = VERDICT_COLOURS[row.verdict]
        ax.errorbar(
            row.ratio,
            y,
            xerr=[[row.ratio - row.ci_low], [row.ci_high - row.ratio]],
            fmt="o",
            color=colour,
            capsize=4,
        )
        if row.threshold != 1:
            ax.plot([row.threshold] * 2, [y - 0.3, y + 0.3], color=colour, linestyle=":")
    ax.axvline(1, color="grey", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)), [f"{r.claim}: {r.verdict}" for r in rows.itertuples()])
    ax.invert_yaxis()
    ax.set_ylabel("claim: verdict")
    ax.set_xlabel("ratio as in the ledger, 95 % CI (grey: 1, no difference; dotted: a claim's threshold)")
    return fig


HOEFLER_BELLI_RULES = [
    (
        "1",
        "Speedup: say what the base case is and give its absolute performance.",
        "No parallel speedup is reported; every ratio sits beside the absolute step times it is made of "
        "(Speed section).",
    ),
    (
        "2",
        "Say why only a subset of benchmarks or of the machine's resources is used.",
        "The config names the workloads (recorded in each result's config): the default leaves out the "
        "transformer encoder to fit its 45-minute budget on 2 cores (its kernels are gpt's; config/full.yaml "
        "runs every workload); runs use all cores, the thread counts are recorded (Provenance section).",
    ),
    (
        "3",
        "Arithmetic mean only for costs, harmonic mean for rates.",
        "Step times are summarised by the median (robust to the outliers of a shared machine, rule 7); "
        "throughput is the batch size over that median step time (a rate derived from a cost, not a "
        "mean of rates).",
    ),
    (
        "4",
        "Avoid summarising ratios; if you must, use the geometric mean.",
        "Claims are about ratios, so the ledger uses the geometric mean of per-workload ratios; the costs "
        "behind them are in the tables.",
    ),
    (
        "5",
        "Say whether measurements are deterministic; give CIs for nondeterministic data.",
        "Accuracies and losses (the quality study, which sets each framework's determinism switches) "
        "are deterministic on the CPU (tested); timed runs use each framework's default kernels, and "
        "timings are not deterministic: 95 % intervals over runs (processes), interleaved.",
    ),
    (
        "6",
        "Do not assume normality without checking.",
        "Timing ratios use a Welch t-interval on log run times (multiplicative noise); its coverage and its "
        "rate of false differences are checked by simulation at the numbers of runs used. Within a run: "
        "medians and IQRs, no normality assumed.",
    ),
    (
        "7",
        "Check whether the mean or median is useful; some problems need other percentiles.",
        "Per run: median, IQR and p95 of step times; first step and warm-up reported separately.",
    ),
    (
        "8",
        "Compare nondeterministic data in a statistically sound way (CIs, ANOVA).",
        "A ratio whose 95 % CI contains 1 is 'inconclusive'; C12 compares devices by non-overlapping CIs.",
    ),
    (
        "9",
        "Document all varying factors and the complete set-up.",
        "Every result records commit, config hash, package versions, host, CPU, device, threads and data "
        "hash (Provenance section).",
    ),
    (
        "10",
        "Report measurement, synchronisation and summarisation methods.",
        "perf_counter_ns around one training step, after it returned a Python float (device sync), with "
        "Python's garbage collector paused; the speed study times at least 200 steady-state steps after "
        "a warm-up timed apart, with no evaluation among them, and checks the steady state (first vs "
        "second half); summaries as in rules 3 and 7 (Methods section).",
    ),
    (
        "11",
        "Show upper performance bounds where possible.",
        "Model FLOP utilisation against the device's peak where a GPU is known; on a CPU no bound is shown "
        "(partly met).",
    ),
    (
        "12",
        "Plot as much information as needed; connect points only where interpolation is valid.",
        "Figures show every run as a point with the interval; lines only for learning curves over steps.",
    ),
]


def hoefler_belli_table() -> pd.DataFrame:
    return pd.DataFrame(
        HOEFLER_BELLI_RULES, columns=["rule", "Hoefler & Belli (SC'15)", "how fwbench meets it"]
    )


def device_comparison(summary: pd.DataFrame) -> pd.DataFrame:
    """Median step time (ms) per workload and variant, one column per device: side by side."""
    ok = summary[summary["status"].eq("ok")] if len(summary) else summary
    if ok.empty:
        return pd.DataFrame()
    table = ok.pivot_table(
        index=["workload", "variant"], columns="device", values="step_time_ms_median", aggfunc="median"
    )
    counts = ok.pivot_table(index=["workload", "variant"], columns="device", values="run_id", aggfunc="count")
    return table.round(3).astype(str).where(table.notna(), "-") + counts.map(lambda n: f" (n={n:.0f})").where(
        counts.notna(), ""
    )


def result_file_links(summary: pd.DataFrame) -> str:
    """HTML list of every run's raw result file, relative to the report (results/report.html)."""
    if summary.empty:
        return "<p>No result files.</p>"
    rows = []
    for row in summary.sort_values(["workload", "framework", "mode", "seed"]).itertuples():
        path = getattr(row, "result_file", None)
        if not isinstance(path, str):  # the run's own place (a quality run's id starts with quality/)
            path = f"results/{row.run_id if row.run_id.startswith('quality/') else 'runs/' + row.run_id}.json"
        href = path.removeprefix("results/")
        rows.append(
            f'<tr><td><a href="{html.escape(href)}">{html.escape(href)}</a></td><td>{row.status}</td>'
            f"<td>{html.escape(str(getattr(row, 'hostname', '')))}</td>"
            f"<td>{html.escape(str(row.device))}</td></tr>"
        )
    return (
        '<table id="result-files" class="dataframe"><thead><tr><th>result file</th><th>status</th>'
        f"<th>host</th><th>device</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
