# Data sets are generated locally (never downloaded), byte for byte reproducible, with their hash:
# by a built-in generator, or by the data.py of the workload folder that brings its own.


rule make_dataset:
    input:
        source=data_source,
    output:
        data="data/generated/{dataset}.npz",
        sha256="data/generated/{dataset}.sha256",
    log:
        "logs/data/{dataset}.log",
    conda:
        "../../environment.yml"
    params:
        source=lambda wildcards, input: input.source[0] if input.source else None,
    script:
        "../../scripts/make_data.py"


# What a model reaches without learning the task, beside each workload's target (the report's
# accuracy section; a target below its baseline would time nothing).
rule baselines:
    input:
        data=lambda wildcards: sorted(
            {DATA_PATTERN.format(dataset=w.dataset(config["scale"])) for w in SELECTED}
        ),
    output:
        table="results/baselines.csv",
    log:
        "logs/baselines.log",
    conda:
        "../../environment.yml"
    params:
        workloads=SELECTED,
        scale=config["scale"],
    script:
        "../../scripts/baselines.py"
