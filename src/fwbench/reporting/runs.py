"""The tables of the runs behind a report: how many ended in each status, the ones that did not end
ok with their error and fix, the machines and software they ran on, and a link to each result file.
"""

import html

import pandas as pd

from fwbench.core.columns import CPU_MODEL, DEVICE_KIND, DEVICE_NAME, THREADS_INTRA


def status_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Every run that did not end `ok`, with what went wrong and how to fix it."""
    columns = ["run_id", "status", "error_type", "error_message", "error_hint"]
    if summary.empty:
        return pd.DataFrame(columns=columns)
    return summary.loc[summary["status"] != "ok", columns].reset_index(drop=True)


def status_counts(runs: pd.DataFrame) -> pd.DataFrame:
    """Runs per study, variant and status."""
    return runs.pivot_table(
        index=["study", "variant"], columns="status", values="run_id", aggfunc="count", fill_value=0
    )


def provenance_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The distinct machines, software and inputs the results come from, per framework (its thread
    pools and whether its ops flush denormals differ)."""
    columns = [
        "framework",
        "hostname",
        CPU_MODEL,
        DEVICE_KIND,
        DEVICE_NAME,
        "gpu_driver",
        THREADS_INTRA,
        "threads_inter_op",
        "denormals_flushed",
        "python_version",
        "torch_version",
        "tensorflow_version",
        "keras_version",
        "jax_version",
        "git_commit",
        "data_sha256",
    ]
    table = (
        summary.groupby([c for c in columns if c in summary], dropna=False).size().reset_index(name="runs")
    )
    table["git_commit"] = table["git_commit"].astype(str).str[:12]
    table["data_sha256"] = table["data_sha256"].astype(str).str[:16]
    return table


def result_file_links(summary: pd.DataFrame) -> str:
    """HTML list of every run's raw result file, relative to the report (results/report.html)."""
    if summary.empty:
        return "<p>No result files.</p>"
    rows = []
    for row in summary.sort_values(["workload", "framework", "mode", "seed"]).itertuples():
        path = getattr(row, "result_file", None)
        if not isinstance(path, str):  # the run's own place (a quality run's id starts with quality/)
            path = f"results/{row.run_id if row.run_id.startswith('quality/') else 'runs/' + row.run_id}.json"
        href = path.removeprefix("results/")
        rows.append(
            f'<tr><td><a href="{html.escape(href)}">{html.escape(href)}</a></td><td>{row.status}</td>'
            f"<td>{html.escape(str(getattr(row, 'hostname', '')))}</td>"
            f"<td>{html.escape(str(row.device))}</td></tr>"
        )
    return (
        '<table id="result-files" class="dataframe"><thead><tr><th>result file</th><th>status</th>'
        f"<th>host</th><th>device</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
