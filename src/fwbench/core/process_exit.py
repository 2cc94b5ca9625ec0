"""How the processes that load a framework end: without Python's interpreter teardown.

Every such process (a run, an inference job, a fault probe, a parity check) writes its result
atomically before it ends, so the teardown that follows measures nothing. It is not cheap on this
2-core machine: freeing the modules and objects of a loaded framework takes about 1.3 s with
TensorFlow, 0.6 s with PyTorch and 3 s after torch.compile, in each of the ~200 processes of a
default run. So these processes run their exit functions, flush their output and leave with
os._exit. Inductor's compile workers notice their parent's exit and stop.
"""

import atexit
import os
import sys
from typing import NoReturn


def exit_without_teardown(code: int = 0) -> NoReturn:
    """End the process with `code` after running the registered exit functions (for example
    the PyTorch harness's removal of its private Inductor cache, and logging's flush) and flushing
    stdout and stderr (and the streams they replaced); skip only the freeing of modules."""
    atexit._run_exitfuncs()  # CPython's own exit path, without the module teardown after it
    for stream in {sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__}:
        if stream is not None:
            stream.flush()
    os._exit(code)
