"""The result schema: valid records pass, broken ones are named precisely; writes are atomic."""

import json

import jsonschema
import pytest

from fwbench.core import results
from fwbench.core.atomic import atomic_output


def make_result(**overrides) -> dict:
    spec = {
        "run_id": "mlp/torch-eager-seed0",
        "study": "speed",
        "workload": "mlp",
        "framework": "torch",
        "mode": "eager",
        "seed": 0,
        "scale": "tiny",
        "config": {"config_hash": "0" * 64},
    }
    provenance = {
        "git_commit": None,
        "git_dirty": None,
        "python": "3.11.7",
        "packages": {"torch": "2.13.0"},
        "hostname": "h",
        "platform": "Linux",
        "cpu_model": "cpu",
        "threads": {},
        "device": {},
        "data_sha256": "ab",
        "started_utc": "2026-01-01T00:00:00+00:00",
    }
    result = results.new_result(spec, status="ok", provenance=provenance, metrics={"test_accuracy": 0.5})
    result.update(overrides)
    return result


def test_a_complete_result_is_valid():
    results.validate(make_result())


@pytest.mark.parametrize("status", results.STATUSES)
def test_every_status_is_allowed(status):
    results.validate(make_result(status=status))


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "crashed"},
        {"framework": "mxnet"},
        {"schema_version": 1},
        {"study": "accuracy"},
        {"metrics": {"speed": 1}},
        {"run_id": "../../etc/passwd"},
    ],
)
def test_invalid_results_are_rejected(overrides):
    with pytest.raises(jsonschema.ValidationError):
        results.validate(make_result(**overrides))


def test_write_then_read_round_trips(tmp_path):
    path = tmp_path / "runs" / "r.json"
    results.write_result(path, make_result())
    assert results.read_result(path) == make_result()
    assert [p.name for p in path.parent.iterdir()] == ["r.json"]  # no temp file left behind


def test_writing_an_invalid_result_leaves_no_file(tmp_path):
    with pytest.raises(jsonschema.ValidationError):
        results.write_result(tmp_path / "r.json", make_result(status="nope"))
    assert not list(tmp_path.iterdir())


def test_an_interrupted_write_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "r.json"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert path.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize(
    "content,problem",
    [
        ("{not json", "not readable JSON"),
        ("[]", "not a JSON object"),
        (json.dumps({**make_result(), "schema_version": 0}), "schema_version 0, expected 5"),
        (json.dumps({**make_result(), "status": "weird"}), "invalid at status"),
    ],
)
def test_reading_a_bad_file_names_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(results.ResultFileError, match=problem) as info:
        results.read_result(path)
    assert str(path) in str(info.value)


def test_provenance_records_every_installed_distribution_as_one_hash():
    from fwbench.core.provenance import environment

    recorded = environment()
    assert len(recorded["sha256"]) == 64 and recorded["distributions"] > 50  # scipy, pandas, ... all in
    assert environment() == recorded
