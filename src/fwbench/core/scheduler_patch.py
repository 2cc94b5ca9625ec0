"""A workaround for Snakemake's job rate limiter, applied by workflow/rules/common.smk at parse time.

Snakemake 9's JobScheduler ends every round of its scheduling loop by starting a
threading.Timer that wakes the loop again after the rate limiter's timespan
(`_schedule_reevalutation`, the name as Snakemake spells it). Each wake-up is another round, which
starts another timer, and every finished job wakes the loop once more: each finished job adds a
chain that fires every second for the rest of the run. Measured on a default run (py-spy): by its
end about 300 rounds a second, 60 % of a core taken from the timed runs beside it, 388 000 timer
threads started. The timers are not daemon threads either, so a long timespan (the setting that
would quieten them) keeps the finished process from exiting.

The wake-up's purpose (re-run the loop once the timespan has passed, so more jobs can start) needs
one pending timer, not one per chain: coalesce() makes the method start a timer only when none is
pending, as a daemon thread. Nothing else of Snakemake changes; without the method (another
Snakemake version) nothing is patched and Snakemake runs as it is.
"""

import threading

METHOD = "_schedule_reevalutation"


def coalesce(scheduler_class) -> bool:
    """Patch `scheduler_class`'s re-evaluation to at most one pending daemon timer per scheduler;
    return whether it was patched."""
    if not hasattr(scheduler_class, METHOD) or getattr(scheduler_class, "_fwbench_coalesced", False):
        return False

    def schedule_reevaluation(self, delay) -> None:
        pending = getattr(self, "_fwbench_reevaluation", None)
        if pending is not None and pending.is_alive():
            return  # a wake-up is already on its way: the loop will run then
        timer = threading.Timer(delay, self._open_jobs.release)
        timer.daemon = True
        self._fwbench_reevaluation = timer
        timer.start()

    setattr(scheduler_class, METHOD, schedule_reevaluation)
    scheduler_class._fwbench_coalesced = True
    return True


def apply() -> bool:
    """coalesce() on Snakemake's JobScheduler, where this Snakemake has one."""
    try:
        from snakemake.scheduling.job_scheduler import JobScheduler
    except ImportError:
        return False
    return coalesce(JobScheduler)
