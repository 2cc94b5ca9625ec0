# fwbench: PyTorch vs TensorFlow, measured. Thin entry point: config, rule files, target.
# Run with `snakemake --cores all` (the workflow profile profiles/default applies).


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"


wildcard_constraints:
    workload="[a-z][a-z0-9_]*",
    framework="|".join(FRAMEWORKS),  # the registry's rows (fwbench.frameworks)
    mode="[a-z0-9_]+",
    seed=r"\d+",
    run=r"\d+",
    dataset="[a-z][a-z0-9_]*",


include: "workflow/rules/data.smk"


# One rule file per study (fwbench.studies.REGISTRY), in the registry's order.
for study_rule_file in STUDY_RULE_FILES:

    include: study_rule_file


include: "workflow/rules/aggregate.smk"
include: "workflow/rules/report.smk"


# Researchers' own rule files, workflow/rules/extra_*.smk (README, "Add a rule file").
for rule_file in EXTRA_RULE_FILES:

    include: rule_file


# The run says how many timed runs it has to do and their expected time, and at the end every timed
# result by status and where the report is (workflow/rules/common.smk, fwbench.core.progress).
onstart:
    say_plan()


onsuccess:
    say_tally()


onerror:
    say_tally()


rule all:
    default_target: True
    input:
        "results/report.html",
        "results/metrics.json",
