"""The workflow and its environment: a checkout runs its own fwbench (not whichever one the shared
environment has installed), and a changed environment re-runs what it can change (a rule's
`environment_sha256` param), while an unchanged one leaves a finished run alone."""

import os

import pytest

from tests.helpers.pipeline import checkout_copy, pipeline_env, snakemake

pytestmark = pytest.mark.e2e

# One untimed, framework-running job (PyTorch's meta-device FLOP count): seconds, and a rule that
# carries the environment param like every run rule.
TARGET = "results/flops/mlp.json"
CONFIG = ["--config", "workloads=[mlp]"]
WHERE_RULE = """
import fwbench
print("fwbench at parse:", fwbench.__file__)


rule where_is_fwbench:
    output:
        "where.txt",
    shell:
        "python -c 'import fwbench; print(fwbench.__file__)' > {output}"
"""


def without_pythonpath(copy):
    """As a user runs it: no PYTHONPATH, fwbench installed wherever the environment has it."""
    return {key: value for key, value in pipeline_env(copy).items() if key != "PYTHONPATH"}


def test_the_workflow_runs_its_own_source_tree(tmp_path):
    copy = checkout_copy(tmp_path / "checkout")
    (copy / "workflow" / "rules" / "extra_where.smk").write_text(WHERE_RULE)
    run = snakemake(copy, "--", "where.txt", env=without_pythonpath(copy))
    assert run.returncode == 0, run.stderr[-4000:]
    own = str(copy / "src" / "fwbench" / "__init__.py")
    assert f"fwbench at parse: {own}" in run.stdout + run.stderr
    assert (copy / "where.txt").read_text().strip() == own


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("checkout"))
    run = snakemake(copy, *CONFIG, "--", TARGET)
    assert run.returncode == 0, run.stderr[-4000:]
    return copy


def test_an_unchanged_environment_leaves_the_run_alone(finished_run):
    again = snakemake(finished_run, *CONFIG, "-n", "--", TARGET)
    assert "Nothing to be done" in again.stdout + again.stderr


def test_a_changed_environment_reruns_it(finished_run, tmp_path):
    # A distribution appears (as after an upgrade): the installed set's hash changes.
    site = tmp_path / "site"
    (site / "torch_upgrade_stand_in-1.0.dist-info").mkdir(parents=True)
    (site / "torch_upgrade_stand_in-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: torch-upgrade-stand-in\nVersion: 1.0\n"
    )
    env = pipeline_env(finished_run, extra_pythonpath=str(site))
    assert os.pathsep in env["PYTHONPATH"]
    again = snakemake(finished_run, *CONFIG, "-n", "--", TARGET, env=env)
    log = again.stdout + again.stderr
    assert again.returncode == 0, log[-4000:]
    assert "rule count_flops:" in log and "Params have changed" in log, log[-4000:]
