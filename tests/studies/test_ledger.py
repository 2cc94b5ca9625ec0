"""The ledger: every registered study's claims judged from a results folder, as data (results/ledger.json),
from the command line, and on made-up tables."""

import json
import subprocess
import sys

import pandas as pd

from fwbench import ledger
from fwbench.core.results import validate
from fwbench.ledger import Tables
from fwbench.studies import REGISTRY
from fwbench.studies.verdict import ARTICLE, INCONCLUSIVE, NOT_TESTABLE, SUPPORTED
from tests.helpers.made_up import ALL_MODES, THREE_WORKLOADS, runs

EMPTY = pd.DataFrame(columns=["run_id", "workload", "framework", "mode", "status"])


def test_the_ledger_has_thirteen_article_rows_even_with_no_results_at_all():
    record = {"claims": ledger.judge(Tables(summary=EMPTY))}
    table = ledger.rows(record, ARTICLE)
    assert list(table["claim"]) == [f"C{i}" for i in range(1, 14)]
    assert set(table["verdict"]) <= {INCONCLUSIVE, NOT_TESTABLE}
    assert table["effect"].str.len().gt(0).all() and table["rule"].str.len().gt(0).all()
    assert not table["effect"].str.contains(r"\d\.\d\dx").any()  # no number without evidence
    beyond = ledger.rows(record, "beyond")
    assert list(beyond["claim"]) == [
        "B1-speed",
        "B1-fit",
        "B1-memory",
        "B2-speed",
        "B2-memory",
        "B2-accuracy",
    ]


def test_every_claim_names_its_study_its_evidence_and_thresholds_that_exist():
    thresholds = ledger.thresholds()
    for study, claim in ledger.claims():
        assert study in REGISTRY and claim.evidence.startswith("sec-")
        assert set(claim.thresholds) <= set(thresholds), (claim.id, claim.thresholds)
    for name, threshold in thresholds.items():
        assert threshold.name == name and threshold.set_on[0] and threshold.set_on[1]


def test_load_tables_reads_what_exists(tmp_path):
    runs(ALL_MODES).to_csv(tmp_path / "summary.csv", index=False)
    (tmp_path / "parity.csv").write_text("")
    tables = ledger.load_tables(tmp_path)
    assert len(tables.summary) == 30 and tables.parity is None and tables.loc is None
    assert len(ledger.judge(tables)) == 19


def test_the_ledger_file_follows_its_schema_and_the_command_line_prints_it(tmp_path):
    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0}, workloads=THREE_WORKLOADS)
    summary.to_csv(tmp_path / "summary.csv", index=False)
    out, flat = tmp_path / "ledger.json", tmp_path / "ledger.csv"
    done = subprocess.run(
        [sys.executable, "-m", "fwbench.ledger", str(tmp_path), "--out", str(out), "--csv", str(flat)],
        capture_output=True,
        text=True,
        check=True,
    )
    record = json.loads(out.read_text())
    validate(record, kind="ledger")
    assert record["claims"]["C4"]["verdict"] == SUPPORTED and "C4" in done.stdout
    assert record["claims"]["C4"]["strata"][0]["workload"] in THREE_WORKLOADS
    assert record["thresholds"]["MIN_RUNS"]["value"] == 3
    flat_claims = list(pd.read_csv(flat)["claim"])
    assert sorted(flat_claims) == sorted(record["claims"])
    assert flat_claims[:3] == ["C1", "C2", "C3"] and flat_claims.index("C13") < flat_claims.index("B1-fit")
    assert ledger.read(out) == record


def test_a_results_folder_that_does_not_exist_is_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "fwbench.ledger", str(tmp_path / "nowhere")], capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not a folder" in done.stderr


def test_every_verdict_is_also_judged_on_steady_runs_alone():
    """C4's memory ratio rests on the TF runs; make all but one TF eager run unsteady: on steady runs
    alone C4 has too few TF runs and says so, beside the verdict on every run."""
    summary = runs(ALL_MODES, rss_mb={"torch": 400.0, "tf": 800.0}, workloads=THREE_WORKLOADS)
    summary["steady"] = ~(summary["framework"].eq("tf") & summary["mode"].eq("eager") & summary["seed"].gt(0))
    entries = ledger.judge(Tables(summary=summary))
    c4 = entries["C4"]
    assert c4["verdict"] == SUPPORTED and c4["steady_only"]["runs_left_out"] == 6
    assert c4["steady_only"]["verdict"] == INCONCLUSIVE and "fewer than 3" in c4["steady_only"]["effect"]
    assert (
        ledger.rows({"claims": entries}).set_index("claim").loc["C4", "verdict_steady_only"] == INCONCLUSIVE
    )
    summary["steady"] = True
    assert ledger.judge(Tables(summary=summary))["C4"]["steady_only"] is None
