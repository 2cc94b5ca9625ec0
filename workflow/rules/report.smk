# The self-contained HTML report: Quarto renders report/index.py where Quarto is installed,
# otherwise jupytext + nbconvert render the same file offline. The HTML says which one did.


rule report:
    input:
        unpack(report_inputs),
    output:
        html="results/report.html",
    log:
        "logs/report.log",
    conda:
        "../../environment.yml"
    params:
        results_dir=lambda wildcards, input: os.path.dirname(input.summary),
    script:
        "../../scripts/render_report.py"
