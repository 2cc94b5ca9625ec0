"""How the report shows tables (fwbench.reporting.style) and answers the article's "Which one should
you choose?" list (fwbench.reporting.guide), its headlines and its ledger view: pure functions, checked
on made-up data."""

import numpy as np
import pandas as pd
import pytest

from fwbench import ledger as fwledger
from fwbench.core.labels import device_label
from fwbench.ledger import Tables
from fwbench.reporting import guide, headlines, ledger_view, methods
from fwbench.reporting import style as report_style
from fwbench.studies.verdict import ARTICLE, NOT_TESTABLE, REFUTED, SUPPORTED
from tests.conftest import REPO
from tests.helpers.made_up import ALL_MODES, runs


@pytest.mark.parametrize(
    "name,label",
    [
        ("step_time_ms_median", "Step time median (ms)"),
        ("host_peak_rss_mb", "Host peak RSS (MiB)"),
        ("minus_reference_pts", "Minus reference (points)"),
        ("within_run_iqr_ms", "Within run IQR (ms)"),
        ("gpu_utilization_pct_mean", "GPU utilization mean (%)"),
        ("latency_ms_p50", "Latency p50 (ms)"),
        ("throughput_samples_per_s", "Throughput (samples/s)"),
        ("gpu_energy_j_per_sample", "GPU energy (J/sample)"),
        ("one_time_cost_s", "One time cost (s)"),
        ("mfu", "MFU"),
        ("as the article makes it", "as the article makes it"),  # already words: kept
        (("latency", "p50"), "latency p50"),  # a MultiIndex column
    ],
)
def test_headers_are_words_with_their_units(name, label):
    assert report_style.header(name) == label


@pytest.mark.parametrize(
    "value,text",
    [
        (12.3456, "12.3"),
        (0.0012345, "0.00123"),
        (1234.5678, "1,235"),
        (20_000_000.0, "2.00e+07"),
        (0.00001234, "1.23e-05"),
        (7, "7"),
        (70_720, "70,720"),
        (0.0, "0"),
        (float("nan"), ""),
        (None, ""),
        (True, "yes"),
        ("refuted", "refuted"),
    ],
)
def test_numbers_keep_three_significant_digits_and_missing_values_stay_empty(value, text):
    assert report_style.number(value) == text


def test_a_table_has_no_index_column_words_for_headers_and_coloured_verdicts():
    frame = pd.DataFrame({"workload": ["mlp"], "step_time_ms": [1.23456], "verdict": [REFUTED]})
    html = report_style.table(frame).to_html()
    assert "Step time (ms)" in html and "1.23" in html and "1.23456" not in html
    assert "row_heading" not in html and 'class="blank' not in html  # the index is hidden
    assert f"color: {report_style.VERDICT_COLOURS[REFUTED]}" in html
    indexed = report_style.table(frame.set_index("workload")).to_html()
    assert ">Workload<" in indexed and "row_heading" not in indexed  # a named index becomes a column


def test_a_long_table_is_folded_and_says_how_many_rows_it_holds():
    frame = pd.DataFrame({"n": range(report_style.COLLAPSE_ROWS + 1)})
    folded = report_style.table(frame)
    assert f"{report_style.COLLAPSE_ROWS + 1} rows" in folded.data and "<details" in folded.data


def ledger(**verdict_of) -> pd.DataFrame:
    rows = [
        {"claim": f"C{i}", "text": f"claim {i}", "verdict": verdict_of.get(f"C{i}", NOT_TESTABLE)}
        for i in range(1, 14)
    ]
    for row in rows:
        row.update(effect=f"effect of {row['claim']}", evidence="sec-speed")
    return pd.DataFrame(rows)


def test_the_decision_guide_answers_each_situation_from_its_claims_or_says_it_was_not_measured():
    lines = guide.decision_guide(ledger(C5=REFUTED, C9=SUPPORTED), {"sec-speed": "Speed"}).splitlines()
    situations = [situation for situation, _claims, _note in guide.DECISION_GUIDE]
    assert len(lines) == len(situations) and all(s in line for s, line in zip(situations, lines, strict=True))
    cpu = lines[situations.index("CPU training")]
    assert '"claim 5": **refuted**, effect of C5 ([evidence](#sec-speed))' in cpu
    prototyping = lines[situations.index("Rapid prototyping")]
    assert "**supported**" in prototyping and "C4 not testable here" in prototyping
    gpu = lines[situations.index("GPU training")]
    assert gpu.startswith("- **GPU training**: not measured here (effect of C1; effect of C2)")
    assert "mobile runtimes" in lines[situations.index("Export and mobile")]


def test_the_decision_guide_adds_a_figure_no_claim_judges_beside_the_verdicts():
    beside = {"Rapid prototyping": "time to a first training step, PyTorch eager 2.1 s"}
    lines = guide.decision_guide(ledger(C9=SUPPORTED), {"sec-speed": "Speed"}, beside).splitlines()
    prototyping = lines[[s for s, _c, _n in guide.DECISION_GUIDE].index("Rapid prototyping")]
    assert "**supported**" in prototyping
    assert prototyping.endswith("; measured beside it: time to a first training step, PyTorch eager 2.1 s.")


def test_the_accuracy_headline_says_only_what_the_equivalence_test_found():
    def quality(tf_offset: float, noise: float = 0.002) -> pd.DataFrame:
        rng = np.random.default_rng(0)
        return pd.DataFrame(
            [
                {
                    "workload": w,
                    "framework": fw,
                    "status": "ok",
                    "test_accuracy": 0.6 + (tf_offset if fw == "tf" else 0) + noise * rng.standard_normal(),
                    "published_recipe": w != "gru",
                }
                for w in ("mlp", "cnn1d", "gru")
                for fw in ("torch", "tf")
                for _ in range(5)
            ]
        )

    same = headlines.accuracy_sentence(quality(0.0))
    assert "is equivalent between the frameworks within ±2 points" in same and "on all 2 workloads" in same
    assert "Not compared, their recipe being shorter than the published one" in same and "gru" in same
    apart = headlines.accuracy_sentence(quality(0.10))
    assert "different: cnn1d, mlp" in apart and "equivalent between" not in apart
    noisy = headlines.accuracy_sentence(quality(0.0, noise=0.05))
    assert "undecided" in noisy, noisy
    assert "No accuracy" in headlines.accuracy_sentence(quality(0.0).iloc[0:0])


def test_the_report_helpers_link_every_headline_and_every_ledger_row():
    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0}).assign(test_accuracy=0.6)
    summary["variant"] = summary["framework"] + " " + summary["mode"]
    summary["device"] = device_label(summary)
    ledger = fwledger.rows({"claims": fwledger.judge(Tables(summary=summary))}, ARTICLE)
    quality = summary.assign(study="quality", published_recipe=True)
    sentences = headlines.headlines(ledger, summary.assign(test_accuracy=None), quality)
    assert len(sentences) == 5 and all("](#sec-" in sentence for sentence in sentences)
    assert "equivalent between the frameworks within ±2 points" in sentences[2]  # the quality study's runs
    anchors = ledger_view.section_anchors(REPO / "report/index.py")
    assert {
        "sec-summary",
        "sec-ledger",
        "sec-methods",
        "sec-threats",
        "sec-provenance",
        "sec-devices",
    } <= set(anchors)
    html = ledger_view.ledger_html(ledger, anchors)
    assert html.count('<tr id="claim-') == 13 and 'href="#sec-speed"' in html
    assert len(methods.hoefler_belli_table()) == 12
    assert ledger_view.effects_figure(ledger) is not None


def test_the_fastest_variant_headline_says_only_what_the_interval_supports():
    def runs(times: dict) -> pd.DataFrame:
        return pd.DataFrame(
            [{"variant": v, "step_time_ms_median": t} for v, values in times.items() for t in values]
        )

    clear = headlines.fastest_variant(
        "mlp", runs({"PyTorch eager": [1.0, 1.02, 0.98], "TF graph": [2.0, 2.1, 1.9]})
    )
    assert "PyTorch eager" in clear.split(",")[0] and "beyond noise" in clear
    tie = headlines.fastest_variant(
        "mlp", runs({"PyTorch eager": [1.0, 1.3, 0.8], "TF graph": [1.05, 0.85, 1.25]})
    )
    assert "not distinguishable from" in tie and "beyond noise" not in tie
