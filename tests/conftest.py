"""Shared fixtures (the repository root, generated data, one harness per framework, the tiny run)
and the grouping of tests for pytest-xdist (`make test` runs the suite on several workers)."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
os.environ.setdefault("DVC_NO_ANALYTICS", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def dataset_arrays():
    """Generated data sets by name (generated once per test session, in memory)."""
    from fwbench.runs import datasets

    cache = {}

    def get(name: str) -> dict:
        if name not in cache:
            cache[name] = datasets.GENERATORS[name]()
        return cache[name]

    return get


@pytest.fixture(scope="session", autouse=True)
def harnesses():
    """One harness per framework, built first (autouse): frameworks fix thread settings once per
    process, so the harnesses must exist before any test touches a framework."""
    from fwbench.frameworks import load_harness

    return {fw: load_harness(fw, threads=2, device="cpu", seed=0) for fw in ("torch", "tf")}


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """The whole DAG at tiny scale (every mode and study, on the workloads of E2E_WORKLOADS) in a
    fresh copy of the checkout, run once per session and shared by the end-to-end and browser tests."""
    from tests.helpers.pipeline import EVERY_MODE_AND_STUDY, checkout_copy, snakemake

    copy = checkout_copy(tmp_path_factory.mktemp("checkout"))
    run = snakemake(copy, *EVERY_MODE_AND_STUDY, timeout=2400)
    assert run.returncode == 0, run.stderr[-5000:]
    return copy


# The slowest fixtures first, so that a worker starts on them at once while the others take the rest:
# the whole DAG (tiny_run), then the other Snakemake runs, then everything else in collection order.
FIRST_FIXTURES = ("tiny_run",)
FIRST_FOLDERS = ("pipeline",)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook turns the marks into work units
def pytest_collection_modifyitems(items):
    """One xdist work unit per module (module-scoped fixtures run once), and one for every test of
    the shared tiny run; the slowest units first (`make test` passes --no-loadscope-reorder)."""

    def unit(item) -> str:
        shared = [name for name in FIRST_FIXTURES if name in item.fixturenames]
        return shared[0] if shared else item.nodeid.split("::")[0]

    def rank(item) -> int:
        if unit(item) in FIRST_FIXTURES:
            return 0
        return 1 if Path(item.nodeid).parent.name in FIRST_FOLDERS else 2

    for item in items:
        item.add_marker(pytest.mark.xdist_group(unit(item)))
    items.sort(key=rank)  # stable: collection order within each rank
