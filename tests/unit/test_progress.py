"""What a long run says at its start (runs to do, expected time from earlier runs) and at its end
(every timed result by status, the ones not ok named, the report's place), on made-up files."""

import json

from fwbench.core import progress


def job(study, framework, seed, workload="mlp", mode="eager"):
    return {
        "study": study,
        "workload": workload,
        "framework": framework,
        "mode": mode,
        "result": f"results/{study}/{workload}/{framework}-{mode}-{seed}.json",
        "benchmark": f"results/benchmarks/{study}/{workload}/{framework}-{mode}-{seed}.tsv",
    }


def write(root, path, text):
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)


def benchmark(seconds):
    return f"s\th:m:s\tmax_rss\n{seconds}\t0:00:01\t100\n"


def test_the_plan_counts_runs_to_do_and_estimates_from_earlier_runs_of_the_same_variant(tmp_path):
    jobs = [job("speed", "torch", seed) for seed in range(3)] + [
        job("speed", "tf", 0),
        job("quality", "tf", 0),
    ]
    # seed 0 of torch ran before (its result and benchmark are there): 90 s; tf never ran here
    write(tmp_path, jobs[0]["result"], json.dumps({"status": "ok"}))
    write(tmp_path, jobs[0]["benchmark"], benchmark(90.0))
    lines = progress.plan_lines(jobs, tmp_path)
    assert lines[0] == "fwbench: 4 of 5 timed runs to do: quality 1 (tf 1); speed 3 (tf 1, torch 2)."
    assert "about 3 min" in lines[1]  # two torch runs at the 90 s their variant took
    assert "plus 2 runs of variants never run here" in lines[1]


def test_the_plan_says_when_there_is_no_estimate_and_when_nothing_is_left(tmp_path):
    jobs = [job("speed", "torch", 0)]
    assert "no time estimate yet" in progress.plan_lines(jobs, tmp_path)[1]
    write(tmp_path, jobs[0]["result"], json.dumps({"status": "ok"}))
    assert progress.plan_lines(jobs, tmp_path) == [
        "fwbench: all 1 timed runs are done; only what depends on changed inputs runs."
    ]


def test_the_tally_counts_every_status_and_names_what_is_not_ok(tmp_path):
    jobs = [job("speed", "torch", seed) for seed in range(4)]
    for one, status in zip(jobs[:3], ["ok", "timeout", "oom"], strict=True):
        write(tmp_path, one["result"], json.dumps({"status": status}))
    lines = progress.tally_lines(jobs, tmp_path, "results/report.html")
    assert lines[0] == "fwbench: timed runs by status: ok 1, oom 1, timeout 1, missing 1."
    assert f"fwbench:   timeout: {jobs[1]['result']}" in lines
    assert f"fwbench:   missing: {jobs[3]['result']}" in lines
    assert lines[-1] == "fwbench: no report yet (results/report.html is not written)."
    write(tmp_path, "results/report.html", "<html></html>")
    assert progress.tally_lines(jobs, tmp_path, "results/report.html")[-1] == (
        "fwbench: the report: results/report.html."
    )


def test_the_tally_names_at_most_a_screenful(tmp_path):
    jobs = [job("speed", "torch", seed) for seed in range(progress.NAMED_AT_MOST + 3)]
    lines = progress.tally_lines(jobs, tmp_path, "results/report.html")
    assert sum("missing: " in line for line in lines) == progress.NAMED_AT_MOST
    assert "... and 3 more" in lines[-2]
