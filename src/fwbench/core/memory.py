"""Host memory of the current process: current RSS (psutil) and peak RSS (the kernel's high-water
mark), which can be reset on Linux so that a peak covers one phase of a run (the model and its
training) and not what came before it (the framework's import)."""

import resource
import sys
from pathlib import Path

import psutil

CLEAR_REFS = Path("/proc/self/clear_refs")  # writing "5" resets the peak RSS (Linux 4.0+)


def current_rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """Peak resident set size of this process since it started, or since reset_peak_rss()
    (ru_maxrss follows the kernel's high-water mark: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process to its current RSS; False where the
    system offers no way to (then peak_rss_mb() stays the lifetime peak)."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True
