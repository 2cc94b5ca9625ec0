"""Report tables and figures for "Debugging effort" (claim C7).

Reads results/debug.csv + results/debug_index.csv (fwbench.studies.debug.tables); report/index.py only
displays what these functions return.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from fwbench.core.tables import read_csv_or_none
from fwbench.frameworks import DISPLAY_NAMES
from fwbench.studies.debug.columns import (
    ERROR_STEP,
    FRAMES_BETWEEN,
    INSPECT_KIND,
    INSPECT_PRINT_STEPS,
    MESSAGE_CHARS,
    MESSAGE_NAMES_FAULTY_LINE,
    NAMES_DEVICE,
    NAMES_DTYPE,
    NAMES_SHAPE,
    STEPS_RUN,
    TIME_TO_ERROR_S,
    TRACEBACK_FRAMES,
    TRACEBACK_LINES,
    TRACEBACK_NAMES_FAULTY_LINE,
)
from fwbench.studies.debug.faults import CONTROL_FAULT
from fwbench.studies.debug.tables import INDEX_WEIGHTS, INSPECT_SCORE, debug_index

COMPONENTS = [f"{key}_effort" for key in INDEX_WEIGHTS]


def load_debug(results_dir) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    rows = read_csv_or_none(Path(results_dir) / "debug.csv")
    index = read_csv_or_none(Path(results_dir) / "debug_index.csv")
    for frame in (rows, index):
        if frame is not None and len(frame):
            frame["variant"] = frame["framework"].map(DISPLAY_NAMES) + " " + frame["mode"]
    return rows, index


def outcome_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Fault x variant: the outcome of each probe (loud step / silent, caught at step / ...)."""

    def cell(r):
        if r["outcome"] == "loud":
            line = (
                "line named"
                if (r[TRACEBACK_NAMES_FAULTY_LINE] or r[MESSAGE_NAMES_FAULTY_LINE])
                else "line not named"
            )
            return f"loud @ step {int(r['error_step'])}: {r['error_type']} ({line})"
        if r["outcome"] == "silent_detected":
            return f"silent, caught @ step {int(r['detected_step'])}"
        return r["outcome"].replace("_", " ")

    faults_only = rows[rows["fault"] != CONTROL_FAULT].assign(cell=lambda d: d.apply(cell, axis=1))
    return faults_only.pivot_table(
        index=["workload", "fault"], columns="variant", values="cell", aggfunc="first"
    )


def message_table(rows: pd.DataFrame) -> pd.DataFrame:
    loud = rows[rows["outcome"] == "loud"]
    cols = [
        "workload",
        "fault",
        "variant",
        "error_type",
        ERROR_STEP,
        TIME_TO_ERROR_S,
        TRACEBACK_NAMES_FAULTY_LINE,
        MESSAGE_NAMES_FAULTY_LINE,
        FRAMES_BETWEEN,
        TRACEBACK_FRAMES,
        NAMES_SHAPE,
        NAMES_DTYPE,
        NAMES_DEVICE,
        MESSAGE_CHARS,
        TRACEBACK_LINES,
    ]
    return loud[cols].round(2).reset_index(drop=True)


def inspect_table(rows: pd.DataFrame) -> pd.DataFrame:
    control = rows[rows["fault"] == CONTROL_FAULT]
    return control[["workload", "variant", INSPECT_KIND, INSPECT_PRINT_STEPS, STEPS_RUN]].reset_index(
        drop=True
    )


def index_table(rows: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """The effort index (recomputed from the rows, so a reader can pass other weights)."""
    index = debug_index(rows, weights)
    index.insert(3, "variant", index["framework"].map(DISPLAY_NAMES) + " " + index["mode"])
    return index.drop(columns=["framework", "mode"])


def index_figure(index: pd.DataFrame):
    """Stacked per-component contributions to the index, per variant."""
    total_w = sum(INDEX_WEIGHTS.values())
    parts = index.set_index(["workload", "variant"])[COMPONENTS].fillna(0)
    for key in INDEX_WEIGHTS:
        parts[f"{key}_effort"] *= 100 * INDEX_WEIGHTS[key] / total_w
    parts.columns = list(INDEX_WEIGHTS)
    ax = parts.plot.barh(stacked=True, figsize=(8, 0.45 * len(parts) + 1.2))
    ax.set_xlabel("debugging-effort index (0 = easiest, 100 = hardest), stacked by component")
    ax.set_ylabel("workload, variant")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    plt.tight_layout()
    return ax


TAXONOMY = (
    'Claim C7 ("debugging is easier in PyTorch; TF graph-mode quirks still appear"). **Taxonomy**: the '
    "fault classes come from Humbatova et al. (ICSE'20, taxonomy of real deep-learning faults: wrong "
    "tensor shape the most common tag; wrong type; GPU/device use; wrong loss input), Zhang et al. "
    "(ISSTA'18, TensorFlow bugs: unaligned tensor shapes, numerical errors, API misuse), Islam et al. "
    "(FSE'19, bug characteristics across libraries: data type, API misuse) and the silent-bug literature "
    "(wrong loss input, wrong axis, detached gradients). Every fault is the same bug in the same place "
    "in every framework."
)
THREATS = (
    "**Threats to validity** (lines of code and debugging effort). The programs and customisations were "
    "written by one author per framework style; another author's idiom (e.g. Keras's `global_clipnorm` "
    "optimiser argument and `add_loss` instead of a custom `train_step`, or PyTorch Lightning instead of "
    "a plain loop) would change the diffs, so the files are in the repository for a reader to contest. "
    "Line and token counts measure size, not the time a person needs. The faults are injected at one "
    "place (the training step), one mutation per class; real faults are more varied, and the shares of "
    "classes here are not their frequencies in the field. The sanity checks and their thresholds are one "
    "reasonable choice; the control run shows when they fire on clean code. Message quality is judged by "
    "patterns (does it name a shape, dtype, device), not by people. Wall time to the error is coarse: "
    "probes run in parallel and include tracing or compilation. The index's weights are a choice; its "
    "components are shown so that a reader can weight them differently."
)


def method() -> str:
    """The probes, the checks and the index in words, from the catalogue that defines them."""
    from fwbench.studies.debug.faults import FAULTS, SANITY_CHECKS
    from fwbench.studies.debug.tables import ABSORBED_MARGIN

    faults = ", ".join(f"`{fault}`" for fault in FAULTS)
    checks = "; ".join(SANITY_CHECKS.values())
    inspect = ", ".join(f"{score:g} ({kind.replace('_', ' ')})" for kind, score in INSPECT_SCORE.items())
    return (
        f"**Faults**: {faults}. **Method**: `fwbench.studies.debug.probes` applies each fault as a text "
        "mutation of the `train_step` region of the clean harness (the step every workload goes through), "
        "so every workload can be put through every fault; each fault × framework × mode runs for "
        "`debug_steps` steps, the faults of one workload, framework and mode one after the other in "
        "one process, the framework's session reset between them (a test checks the records equal a "
        "fresh process's each; the probes are not timed). A fault is *loud* if the framework raises; "
        "its step, the wall time to the error, whether a traceback frame or the message names the "
        "mutated line (and how many frames lie below it), whether the message names shapes, dtypes "
        "or devices, and the message and traceback lengths are recorded. A *silent* fault is checked "
        f"by documented sanity checks ({checks}); "
        "a silent fault no check catches whose accuracy stays within "
        f"{100 * ABSORBED_MARGIN:g} points of the clean control run is *absorbed* (the framework tolerated "
        "it). *Inspectability* is measured on the control run: a `print` inside the model's forward runs "
        "on every step with concrete values, only while tracing (symbolic values), or never.\n\n"
        "**Index**: per fault, detection effort is 0 (loud or absorbed), 0.5 (silent, caught by a check) "
        "or 1 (silent, not caught); locality 0 if the error names the faulty line, else 1 (1 for silent "
        "faults); message 0 if a loud error names the property the fault broke (shape, dtype, device; any "
        f"message for the others), else 1 (1 for silent faults). Inspectability is {inspect}. The index "
        "is 100 × the weighted mean of the four component means (weights equal by default; "
        "`index_table(rows, weights)` re-weights), so 0 is easiest and 100 hardest to debug. For claim C7 "
        "(`fwbench.studies.debug.claims`) each fault is scored with the three per-fault components only, "
        "averaged over a mode class's modes, and each framework's eager mode is paired with the other's "
        "eager mode, its compiled modes with the other's compiled modes, so that neither the number of "
        "modes nor a constant per mode decides the comparison. A fault whose outcome differs between a "
        "framework's eager and compiled modes (loud in eager mode, silent or absorbed under `tf.function` "
        "or `torch.compile`) is a *quirk*, tested alike in both frameworks: a mode that absorbed it counts "
        "as silent and undetected. The quirks per framework and the inspectability per mode class are "
        "shown beside the verdict as readings of their own."
    )
