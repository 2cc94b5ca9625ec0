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


# `make test` runs on pytest-xdist workers (--dist loadscope): one work unit per module, so that a
# module-scoped fixture runs once, and the modules that share the session's tiny run in one unit with
# it; the slowest units first (--no-loadscope-reorder keeps this order): the tiny run, then the other
# Snakemake runs, then everything else in collection order. (xdist's own loadgroup marks do not reach
# its scheduler under pytest 9, whose node ids are no longer the attribute xdist rewrites.)
SHARED_RUN = "tests/pipeline/test_e2e.py"  # the unit of every module that uses tiny_run
USES_SHARED_RUN = ("tests/pipeline/test_e2e.py", "tests/pipeline/test_report_browser.py")
SNAKEMAKE_FOLDER = "tests/pipeline/"


def _module(nodeid: str) -> str:
    return nodeid.split("::")[0]


def _unit(nodeid: str) -> str:
    return SHARED_RUN if _module(nodeid) in USES_SHARED_RUN else _module(nodeid)


def pytest_collection_modifyitems(items):
    """The slowest work units first (the order xdist hands them out in; a plain run keeps it too)."""
    strays = {_module(item.nodeid) for item in items if "tiny_run" in item.fixturenames} - set(
        USES_SHARED_RUN
    )
    if strays:  # it would run the whole DAG once more on another worker
        raise pytest.UsageError(
            f"{', '.join(sorted(strays))} use tiny_run: add it to USES_SHARED_RUN in tests/conftest.py"
        )
    items.sort(
        key=lambda item: (_unit(item.nodeid) != SHARED_RUN, not item.nodeid.startswith(SNAKEMAKE_FOLDER))
    )


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist (dev extra); without it, never called
def pytest_xdist_make_scheduler(config, log):
    """xdist's module scheduling, with the tiny run's modules in one unit (see above)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleAndSharedRun(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

    return ByModuleAndSharedRun(config, log)
