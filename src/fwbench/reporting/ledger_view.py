"""The claims ledger as the report shows it, read from results/ledger.json (fwbench.ledger): one
table row per claim with its verdict coloured and its evidence linked, the forest plot of every
effect that is a ratio, the rules in words and every threshold with the date it was set.
"""

import html
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from fwbench.reporting.style import VERDICT_COLOURS


def section_anchors(source) -> dict[str, str]:
    """Section anchors of the report source ({#sec-...} headings) -> their titles."""
    text = Path(source).read_text()
    return {
        anchor: title.strip("# ")
        for title, anchor in re.findall(r"^# (#+ .*?) \{#(sec-[\w-]+)\}", text, re.M)
    }


def _evidence_link(anchor: str, anchors: dict[str, str]) -> str:
    if anchor in anchors:
        return f'<a href="#{anchor}">{html.escape(anchors[anchor])}</a>'
    return "no section in this report (that stage was not part of this run)"


def ledger_html(
    ledger: pd.DataFrame,
    anchors: dict[str, str],
    *,
    table_id: str = "claims-ledger",
    text_header: str = "as the article makes it",
) -> str:
    """The ledger as an HTML table (id `table_id`), one row per claim, the evidence linked."""
    rows = []
    for row in ledger.itertuples():
        colour = VERDICT_COLOURS[row.verdict]
        rows.append(
            f'<tr id="claim-{row.claim}"><td>{row.claim}</td><td>{html.escape(row.text)}</td>'
            f'<td style="color:{colour};font-weight:bold">{row.verdict}</td>'
            f"<td>{html.escape(row.effect)}{_steady_note(row)}</td>"
            f"<td>{_evidence_link(row.evidence, anchors)}</td></tr>"
        )
    head = "".join(f"<th>{name}</th>" for name in ("claim", text_header, "verdict", "measured", "evidence"))
    return (
        f"<style>#{table_id} th, #{table_id} td {{text-align: left; vertical-align: top}}</style>"
        f'<table id="{table_id}" class="dataframe"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _steady_note(row) -> str:
    """The verdict on steady runs alone, where it differs from the verdict on every run."""
    steady = getattr(row, "verdict_steady_only", None)
    if not isinstance(steady, str) or steady == row.verdict:
        return ""
    return f"<br><em>on steady runs only: {html.escape(steady)}</em>"


def rules_markdown(record: dict, ledger: pd.DataFrame) -> str:
    """The general rules of the ledger file and each claim's own rule."""
    general = "\n".join(f"- {rule}" for rule in record["general_rules"])
    per_claim = "\n".join(f"- **{row.claim}**: {row.rule}" for row in ledger.itertuples())
    return f"{general}\n\nPer claim:\n\n{per_claim}"


def thresholds_table(record: dict) -> pd.DataFrame:
    """Every threshold a verdict reads (the ledger file's): its value, what it decides, the date and
    commit that set it."""
    return pd.DataFrame(
        [
            {
                "threshold": name,
                "value": f"{threshold['value']:g}",
                "what it decides": threshold["meaning"],
                "set on": threshold["set_on"],
                "commit": threshold["commit"],
            }
            for name, threshold in record["thresholds"].items()
        ]
    )


def _stratum_label(stratum: dict) -> str:
    where = " / ".join(str(stratum[key]) for key in ("workload", "fault", "unit") if stratum.get(key))
    metric = stratum.get("metric")
    return f"{where or 'all'} ({metric})" if metric else where or "all"


def strata_table(record: dict) -> pd.DataFrame:
    """Per claim, the strata its verdict used (workload, unit, and what was compared there) and
    those it could not use, as the rule recorded them (too few ok runs a side, a unit one side
    lacks): no stratum is lost in silence."""
    rows = []
    for claim_id, entry in record["claims"].items():
        used = list(dict.fromkeys(_stratum_label(stratum) for stratum in entry.get("strata", [])))
        rows.append(
            {
                "claim": claim_id,
                "verdict": entry["verdict"],
                "strata used": ", ".join(used) if used else "none",
                "not used": "; ".join(entry.get("missing", [])) or "none",
            }
        )
    return pd.DataFrame(rows, columns=["claim", "verdict", "strata used", "not used"])


def effects_figure(ledger: pd.DataFrame):
    """Forest plot of every claim whose effect is a ratio with a 95 % CI (log scale)."""
    rows = ledger.dropna(subset=["ratio"])
    if rows.empty:
        return None
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(rows)))
    for y, row in enumerate(rows.itertuples()):
        colour = VERDICT_COLOURS[row.verdict]
        ax.errorbar(
            row.ratio,
            y,
            xerr=[[row.ratio - row.ci_low], [row.ci_high - row.ratio]],
            fmt="o",
            color=colour,
            capsize=4,
        )
        if row.threshold != 1:
            ax.plot([row.threshold] * 2, [y - 0.3, y + 0.3], color=colour, linestyle=":")
    ax.axvline(1, color="grey", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)), [f"{r.claim}: {r.verdict}" for r in rows.itertuples()])
    ax.invert_yaxis()
    ax.set_ylabel("claim: verdict")
    ax.set_xlabel("ratio as in the ledger, 95 % CI (grey: 1, no difference; dotted: a claim's threshold)")
    return fig
