# The claims ledger (fwbench.ledger: every registered study's claims judged from the tables) and the
# self-contained HTML report: Quarto renders report/index.py where Quarto is installed, otherwise
# jupytext + nbconvert render the same file offline. The HTML says which one did.


rule ledger:
    input:
        unpack(study_tables),
    output:
        json="results/ledger.json",
        csv="results/ledger.csv",
    log:
        "logs/ledger.log",
    benchmark:
        "results/benchmarks/report/ledger.tsv"
    conda:
        CONDA_ENV
    params:
        results_dir=lambda wildcards, output: os.path.dirname(output.json),
    script:
        "../../scripts/ledger.py"


rule report:
    input:
        unpack(report_inputs),
    output:
        html="results/report.html",
    log:
        "logs/report.log",
    benchmark:
        "results/benchmarks/report/report.tsv"
    conda:
        CONDA_ENV
    params:
        results_dir=lambda wildcards, output: os.path.dirname(output.html),
    script:
        "../../scripts/render_report.py"
