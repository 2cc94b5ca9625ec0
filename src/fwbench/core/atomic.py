"""Atomic file writes: a file is either absent or complete, never half-written (a killed job
leaves nothing that could be read as a finished result)."""

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_output(path):
    """Yield a temp path beside `path`; on success rename it over `path`, on error remove it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual permissions
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path, payload) -> None:
    """Write `payload` as JSON (sorted keys, no NaN) to `path` atomically."""
    with atomic_output(path) as tmp:
        with open(tmp, "w") as fh:
            json.dump(payload, fh, indent=2, sort_keys=True, allow_nan=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())


def write_csv_atomic(frame, path) -> None:
    """Write a pandas DataFrame to `path` as CSV (no index column) atomically."""
    with atomic_output(path) as tmp:
        frame.to_csv(tmp, index=False)
