"""The report refuses to compare results whose data hashes differ (fwbench.runs.tables.check_same_data)."""

import pandas as pd
import pytest

from fwbench.runs.tables import DataMismatch, check_same_data, load


def summary(hashes: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"run_id": f"{w}/{i}", "workload": w, "framework": "torch", "mode": "eager", "data_sha256": h}
            for w, found in hashes.items()
            for i, h in enumerate(found)
        ]
    )


def test_one_hash_per_workload_is_accepted():
    check_same_data(summary({"mlp": ["aa", "aa"], "cnn1d": ["bb", None]}))  # None: no data read


def test_an_empty_table_is_accepted():
    check_same_data(pd.DataFrame(columns=["run_id", "workload"]))


def test_two_hashes_for_one_workload_are_refused_with_a_clear_message():
    with pytest.raises(DataMismatch, match=r"refusing to compare.*mlp: a1a1a1a1a1a1, b2b2b2b2b2b2.*dvc pull"):
        check_same_data(summary({"mlp": ["a1" * 32, "b2" * 32], "cnn1d": ["bb"]}))


def test_the_report_loader_refuses_too(tmp_path):
    summary({"mlp": ["a1" * 32, "b2" * 32]}).assign(status="ok").to_csv(tmp_path / "summary.csv", index=False)
    pd.DataFrame(columns=["run_id", "framework", "mode", "step"]).to_csv(tmp_path / "curves.csv", index=False)
    with pytest.raises(DataMismatch):
        load(tmp_path)
