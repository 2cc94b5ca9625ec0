"""How result rows are labelled when results from several machines meet in one table.

Framework-neutral and display-free: the aggregated tables' device columns turned into one label
per run. Used by the report's tables (fwbench.reporting and the studies' report modules) and by the verdicts
(fwbench.studies.verdict); framework display names come from the registry (fwbench.frameworks).
"""

import pandas as pd

from fwbench.core.columns import CPU_MODEL, DEVICE_KIND, DEVICE_NAME


def device_label(frame: pd.DataFrame) -> pd.Series:
    """What a run ran on, for grouping results from several machines: the GPU's name, or the CPU
    model for CPU runs ("cpu: AMD EPYC")."""
    if frame.empty or DEVICE_KIND not in frame:
        return pd.Series("unknown device", index=frame.index, dtype=object)
    on_cpu = frame[DEVICE_KIND].eq("cpu")
    cpu_model = frame.get(CPU_MODEL, pd.Series(None, index=frame.index, dtype=object))
    cpu = "cpu: " + cpu_model.astype(object).fillna("unknown CPU").astype(str)
    return cpu.where(on_cpu, frame[DEVICE_NAME].astype(object).fillna("unknown device").astype(str))
