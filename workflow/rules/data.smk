# Data sets are generated locally (never downloaded), byte for byte reproducible, with their hash.


rule make_dataset:
    output:
        data="data/generated/{dataset}.npz",
        sha256="data/generated/{dataset}.sha256",
    log:
        "logs/data/{dataset}.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/make_data.py"
