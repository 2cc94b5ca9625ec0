# Lines of code and complexity (issue 5, claims C8/C9): one result file per workload, one for the
# complete sample programs, one per customisation task; then results/loc.csv. See fwbench.studies.loc.run.

from fwbench.studies.loc import run as fwloc

LOC_TASKS = fwloc.customisation_tasks(Path(workflow.basedir))
LOC_RESULTS = (
    expand("results/loc/workload/{workload}.json", workload=sorted(WORKLOADS))
    + ["results/loc/samples.json"]
    + expand("results/loc/customisation/{task}.json", task=LOC_TASKS)
)


rule loc_workload:
    input:
        code=lambda wc: [
            str(p.relative_to(workflow.basedir))
            for p in WORKLOADS[wc.workload].files()
        ],
        harness=list(fwloc.HARNESS_FILES.values()),
    output:
        "results/loc/workload/{workload}.json",
    log:
        "logs/loc/workload/{workload}.log",
    benchmark:
        "results/benchmarks/loc/loc_workload/{workload}.tsv"
    conda:
        CONDA_ENV
    params:
        subject="workload",
    script:
        "../../scripts/loc.py"


rule loc_samples:
    input:
        [path for _, path in fwloc.SAMPLES.values()],
    output:
        "results/loc/samples.json",
    log:
        "logs/loc/samples.log",
    benchmark:
        "results/benchmarks/loc/loc_samples.tsv"
    conda:
        CONDA_ENV
    params:
        subject="samples",
    script:
        "../../scripts/loc.py"


rule loc_customisation:
    input:
        variants=expand(
            "workflow/customisations/{{task}}/{file}",
            file=fwloc.CUSTOMISATION_FILES.values(),
        ),
        baselines=list(fwloc.CUSTOMISATION_BASELINES.values()),
    output:
        "results/loc/customisation/{task}.json",
    log:
        "logs/loc/customisation/{task}.log",
    benchmark:
        "results/benchmarks/loc/loc_customisation/{task}.tsv"
    conda:
        CONDA_ENV
    params:
        subject="customisation",
    script:
        "../../scripts/loc.py"


rule aggregate_loc:
    input:
        LOC_RESULTS,
    output:
        "results/loc.csv",
    log:
        "logs/aggregate_loc.log",
    benchmark:
        "results/benchmarks/loc/aggregate_loc.tsv"
    conda:
        CONDA_ENV
    script:
        "../../scripts/loc.py"
