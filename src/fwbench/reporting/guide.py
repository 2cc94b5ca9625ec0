"""The article's closing question, "Which one should you choose?", answered by this run's verdicts:
each situation the article lists, the claims behind it, and what this study cannot measure about it.
"""

import pandas as pd

from fwbench.studies.verdict import NOT_TESTABLE

# The article's "Which one should you choose?" list: each situation, the claims that answer it, and
# what this study cannot measure about it.
DECISION_GUIDE = (
    ("Rapid prototyping", ("C9", "C4"), None),
    ("CPU training", ("C5",), None),
    ("GPU training", ("C1", "C2"), None),
    ("Inference at scale", ("C3",), None),
    ("Export and mobile", ("C10",), "mobile runtimes (TensorFlow Lite, ExecuTorch) are not measured here"),
    ("Debugging", ("C7",), None),
    ("Custom models", ("C8",), None),
    ("Distributed, several GPUs", ("C13",), None),
)


def decision_guide(
    ledger: pd.DataFrame, anchors: dict[str, str], measured: dict[str, str] | None = None
) -> str:
    """The article's "Which one should you choose?" list, each situation answered by this run's
    verdicts on the claims behind it (the article's words, the verdict, the measured effect and
    a link to the evidence), or "not measured here" with the reason when none could be tested;
    `measured` adds a situation's figure that no claim judges (e.g. the time to a first step)."""
    rows = {row.claim: row for row in ledger.itertuples()}
    lines = []
    for situation, claims, unmeasured in DECISION_GUIDE:
        beside = f"; measured beside it: {measured[situation]}" if measured and situation in measured else ""
        tested = [rows[c] for c in claims if c in rows and rows[c].verdict != NOT_TESTABLE]
        if not tested:
            reasons = "; ".join(
                [*(rows[c].effect for c in claims if c in rows), *([unmeasured] if unmeasured else [])]
            )
            lines.append(f"- **{situation}**: not measured here ({reasons}){beside}.")
            continue
        parts = []
        for row in tested:
            link = f"[evidence](#{row.evidence})" if row.evidence in anchors else "no section in this run"
            parts.append(f'{row.claim} "{row.text}": **{row.verdict}**, {row.effect} ({link})')
        untested = [c for c in claims if c in rows and rows[c] not in tested]
        notes = [f"{c} not testable here" for c in untested] + ([unmeasured] if unmeasured else [])
        suffix = f"; {'; '.join(notes)}" if notes else ""
        lines.append(f"- **{situation}**: {'; '.join(parts)}{suffix}{beside}.")
    return "\n".join(lines)
