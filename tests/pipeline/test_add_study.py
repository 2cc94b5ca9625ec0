"""The study axis's extension path, end to end: a toy study added as a folder, a registry row and a
rule file in a temporary checkout (docs/extending.md "Add a study"). The tiny DAG then runs its rule, the
ledger judges its claim, and the report shows its section, with no other edit.
"""

import json

import pandas as pd
import pytest

from tests.helpers.pipeline import checkout_copy, snakemake, tracked_outside

pytestmark = pytest.mark.e2e

TOY_INIT = '"""A toy study, added by tests/pipeline/test_add_study.py."""\n'

TOY_TABLES = '''"""The toy study's table: results/toy.csv, one row per workload."""

WORKLOADS_COUNTED = "workloads_counted"
'''

TOY_CLAIMS = '''"""The toy study's one question: does the run hold at least one workload?"""

from fwbench.studies.toy.tables import WORKLOADS_COUNTED
from fwbench.studies.verdict import BEYOND, INCONCLUSIVE, SUPPORTED, Claim, Verdict


def judge(tables) -> Verdict:
    if tables.toy is None:
        return Verdict(INCONCLUSIVE, "the toy study did not run", missing=["toy"])
    count = int(tables.toy[WORKLOADS_COUNTED].sum())
    return Verdict(SUPPORTED if count else INCONCLUSIVE, f"{count} workloads counted", n=count)


CLAIMS = [
    Claim("T1", "The run holds at least one workload.", "supported if one is counted", "#sec-toy", judge,
          BEYOND)
]
'''

TOY_REPORT = '''"""The toy study's report section."""

from pathlib import Path

import pandas as pd


def section(results_dir) -> list:
    return ["The toy study counts workloads.", pd.read_csv(Path(results_dir) / "toy.csv")]
'''

TOY_RULES = """# The toy study (tests/pipeline/test_add_study.py): one row per workload.


rule toy:
    output:
        "results/toy.csv",
    run:
        import pandas as pd

        rows = [{"workload": w.name, "workloads_counted": 1} for w in SELECTED]
        pd.DataFrame(rows).to_csv(output[0], index=False)
"""

REGISTRY_ROW = """        Study("toy", "Toy study", "sec-toy", {"toy": "toy.csv"}),
"""


def add_toy_study(copy):
    folder = copy / "src/fwbench/studies/toy"
    folder.mkdir()
    for name, text in {
        "__init__.py": TOY_INIT,
        "tables.py": TOY_TABLES,
        "claims.py": TOY_CLAIMS,
        "report.py": TOY_REPORT,
    }.items():
        (folder / name).write_text(text)
    (copy / "workflow/rules/toy.smk").write_text(TOY_RULES)
    registry = copy / "src/fwbench/studies/__init__.py"
    text = registry.read_text()
    anchor = "    )\n}\nSTUDIES = tuple(REGISTRY)"
    assert anchor in text
    registry.write_text(text.replace(anchor, REGISTRY_ROW + anchor))


@pytest.fixture(scope="module")
def with_toy(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("checkout"))
    add_toy_study(copy)
    assert tracked_outside(copy, []) == ["src/fwbench/studies/__init__.py"]  # the registry row
    run = snakemake(
        copy,
        "--config",
        "workloads=[mlp]",
        "studies=[toy]",
        "--",
        "results/report.html",
    )
    assert run.returncode == 0, run.stderr[-5000:]
    return copy


def test_the_toy_studys_rule_runs(with_toy):
    assert list(pd.read_csv(with_toy / "results/toy.csv")["workload"]) == ["mlp"]


def test_the_ledger_judges_the_toy_claim(with_toy):
    record = json.loads((with_toy / "results/ledger.json").read_text())
    toy = record["claims"]["T1"]
    assert toy["study"] == "toy" and toy["verdict"] == "supported" and toy["effect"] == "1 workloads counted"
    assert "T1" in set(pd.read_csv(with_toy / "results/ledger.csv")["claim"])


def test_the_report_shows_the_toy_section_and_claim(with_toy):
    html = (with_toy / "results/report.html").read_text()
    assert 'id="sec-toy"' in html and "The toy study counts workloads." in html
    assert "The run holds at least one workload." in html
