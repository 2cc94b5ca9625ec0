"""Device checks made before any job starts, without importing a framework (NVML only)."""


def nvidia_gpu_count() -> int:
    """Number of NVIDIA GPUs NVML sees; 0 where there is no driver, library or device."""
    try:
        import pynvml

        pynvml.nvmlInit()
        try:
            return int(pynvml.nvmlDeviceGetCount())
        finally:
            pynvml.nvmlShutdown()
    except Exception:  # no library, no driver, no device: all mean "no NVIDIA GPU here"
        return 0


def check_requested_device(config: dict, gpu_count: int | None = None) -> str | None:
    """Return a one-line error when the config insists on a GPU that is not there, else None.

    With `missing_device: skip` there is no error: each run records status `skipped` instead.
    """
    if config["device"] != "cuda" or config["missing_device"] == "skip":
        return None
    count = nvidia_gpu_count() if gpu_count is None else gpu_count
    if count > 0:
        return None
    return (
        "config: device: cuda, but no NVIDIA GPU is visible on this machine; "
        "use device: auto (GPU when present, else CPU), or missing_device: skip to record the runs as skipped"
    )
