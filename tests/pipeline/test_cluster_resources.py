"""Clusters get the resources they ask for: a dry run through `profiles/slurm`, as a user starts it,
gives every timed job (the counted `timed_job` resource) the profile's node share, and no job the
cluster-wide core count; the Kubernetes profile names the same timed rules (its executor plugin is
not installed here, so it is read, not dry-run)."""

import re
import subprocess
import sys

import pytest
import yaml

from tests.helpers.pipeline import REPO, checkout_copy, pipeline_env

EVERY_STUDY = "studies=[parity, inference, harness_overhead, loc, debug]"
JOB_HEADER = re.compile(r"^(?:local)?rule (\w+):$")


def dry_run_jobs(output: str) -> list[dict]:
    """Each job of a dry run's printout: its rule, threads (1 where not printed) and resources."""
    jobs = []
    for line in output.splitlines():
        header = JOB_HEADER.match(line.strip())
        if header:
            jobs.append({"rule": header.group(1), "threads": 1, "resources": {}})
        elif jobs and line.strip().startswith("threads:"):
            jobs[-1]["threads"] = int(line.split(":", 1)[1])
        elif jobs and line.strip().startswith("resources:"):
            pairs = (item.split("=", 1) for item in line.split(":", 1)[1].split(", "))
            jobs[-1]["resources"] = {key.strip(): value.strip() for key, value in pairs}
    return jobs


def profile(name: str) -> dict:
    return yaml.safe_load((REPO / "profiles" / name / "config.yaml").read_text())


@pytest.fixture(scope="module")
def slurm_dry_run(tmp_path_factory):
    copy = checkout_copy(tmp_path_factory.mktemp("slurm-dry-run"))
    # As a user starts it: the profile's own `cores`, no --cores on the command line.
    command = ["-n", "--workflow-profile", "profiles/slurm", "--slurm-no-account", "--config", EVERY_STUDY]
    run = subprocess.run(
        [sys.executable, "-m", "snakemake", "--configfile", "config/tiny.yaml", *command],
        cwd=copy,
        env=pipeline_env(copy),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    return dry_run_jobs(run.stdout + run.stderr)


def test_every_timed_job_gets_the_profiles_node_share(slurm_dry_run):
    timed = [job for job in slurm_dry_run if job["resources"].get("timed_job") == "1"]
    timed_rules = {job["rule"] for job in timed}
    assert {"train", "train_quality", "infer", "harness_overhead"} <= timed_rules
    share = profile("slurm")
    for job in timed:
        assert job["threads"] == share["set-threads"][job["rule"]] == 8, job
        assert job["resources"]["gpu"] == "1", job
        assert job["resources"]["mem_mb"] == "16000", job
        assert job["resources"]["slurm_extra"] == "--exclusive", job


def test_no_job_asks_for_the_cluster_wide_core_count(slurm_dry_run):
    cluster_cores = profile("slurm")["cores"]
    assert all(job["threads"] < cluster_cores for job in slurm_dry_run)
    untimed = [job for job in slurm_dry_run if "timed_job" not in job["resources"] and job["rule"] != "all"]
    assert untimed and all(job["threads"] == 1 for job in untimed)


def test_both_cluster_profiles_name_the_same_timed_rules(slurm_dry_run):
    timed_rules = {job["rule"] for job in slurm_dry_run if job["resources"].get("timed_job") == "1"}
    for name in ("slurm", "kubernetes"):
        settings = profile(name)
        assert set(settings["set-threads"]) == timed_rules, name
        assert set(settings["set-resources"]) == timed_rules, name
