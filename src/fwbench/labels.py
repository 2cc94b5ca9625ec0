"""How result rows are labelled when results from several machines meet in one table.

Framework-neutral and display-free: the aggregated tables' device columns turned into one label
per run. Used by the report's tables (fwbench.report_tables) and by the verdicts
(fwbench.verdicts); framework display names come from the registry (fwbench.frameworks).
"""

import pandas as pd


def device_label(frame: pd.DataFrame) -> pd.Series:
    """What a run ran on, for grouping results from several machines: the GPU's name, or the CPU
    model for CPU runs ("cpu: AMD EPYC")."""
    if frame.empty or "device_kind" not in frame:
        return pd.Series("unknown device", index=frame.index, dtype=object)
    on_cpu = frame["device_kind"].eq("cpu")
    cpu_model = frame.get("cpu_model", pd.Series(None, index=frame.index, dtype=object))
    cpu = "cpu: " + cpu_model.astype(object).fillna("unknown CPU").astype(str)
    return cpu.where(on_cpu, frame["device_name"].astype(object).fillna("unknown device").astype(str))
