"""How the report shows tables (fwbench.report_style) and answers the article's "Which one should
you choose?" list (fwbench.report_claims.decision_guide): pure functions, checked on made-up data."""

import pandas as pd
import pytest

from fwbench import report_claims, report_style, verdicts


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
    frame = pd.DataFrame({"workload": ["mlp"], "step_time_ms": [1.23456], "verdict": [verdicts.REFUTED]})
    html = report_style.table(frame).to_html()
    assert "Step time (ms)" in html and "1.23" in html and "1.23456" not in html
    assert "row_heading" not in html and 'class="blank' not in html  # the index is hidden
    assert f"color: {report_style.VERDICT_COLOURS[verdicts.REFUTED]}" in html
    indexed = report_style.table(frame.set_index("workload")).to_html()
    assert ">Workload<" in indexed and "row_heading" not in indexed  # a named index becomes a column


def test_a_long_table_is_folded_and_says_how_many_rows_it_holds():
    frame = pd.DataFrame({"n": range(report_style.COLLAPSE_ROWS + 1)})
    folded = report_style.table(frame)
    assert f"{report_style.COLLAPSE_ROWS + 1} rows" in folded.data and "<details" in folded.data


def ledger(**verdict_of) -> pd.DataFrame:
    rows = [
        {"claim": f"C{i}", "text": f"claim {i}", "verdict": verdict_of.get(f"C{i}", verdicts.NOT_TESTABLE)}
        for i in range(1, 14)
    ]
    for row in rows:
        row.update(effect=f"effect of {row['claim']}", evidence="sec-speed")
    return pd.DataFrame(rows)


def test_the_decision_guide_answers_each_situation_from_its_claims_or_says_it_was_not_measured():
    guide = report_claims.decision_guide(
        ledger(C5=verdicts.REFUTED, C9=verdicts.SUPPORTED), {"sec-speed": "Speed"}
    ).splitlines()
    situations = [situation for situation, _claims, _note in report_claims.DECISION_GUIDE]
    assert len(guide) == len(situations) and all(s in line for s, line in zip(situations, guide, strict=True))
    cpu = guide[situations.index("CPU training")]
    assert '"claim 5": **refuted**, effect of C5 ([evidence](#sec-speed))' in cpu
    prototyping = guide[situations.index("Rapid prototyping")]
    assert "**supported**" in prototyping and "C4 not testable here" in prototyping
    gpu = guide[situations.index("GPU training")]
    assert gpu.startswith("- **GPU training**: not measured here (effect of C1; effect of C2)")
    assert "mobile runtimes" in guide[situations.index("Export and mobile")]
