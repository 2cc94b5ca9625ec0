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
    benchmark:
        "results/benchmarks/data/make_dataset/{dataset}.tsv"
    conda:
        CONDA_ENV
    params:
        source=lambda wildcards, input: input.source[0] if input.source else None,
    script:
        "../../scripts/make_data.py"
