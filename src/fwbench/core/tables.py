"""Reading the aggregated tables back: a table that a study switched off may be absent."""

import pandas as pd


def read_csv_or_none(path) -> pd.DataFrame | None:
    """A table the config may not have produced (a study switched off): None when absent or empty."""
    try:
        return pd.read_csv(path)
    except (FileNotFoundError, pd.errors.EmptyDataError):
        return None
