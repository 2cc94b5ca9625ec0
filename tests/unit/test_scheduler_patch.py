"""fwbench.core.scheduler_patch: Snakemake's scheduler wake-ups coalesced to one pending daemon timer."""

import threading
import time

from fwbench.core import scheduler_patch


class FakeScheduler:
    """The two attributes the patched method uses, as Snakemake's JobScheduler has them."""

    def __init__(self):
        self._open_jobs = threading.Semaphore(0)

    def _schedule_reevalutation(self, delay):  # Snakemake's: a new timer on every call
        threading.Timer(delay, self._open_jobs.release).start()


def test_many_requests_start_one_daemon_timer_and_the_loop_still_wakes():
    assert scheduler_patch.coalesce(FakeScheduler)
    scheduler = FakeScheduler()
    before = threading.active_count()
    for _ in range(100):  # what 100 timer chains ask for within one timespan
        scheduler._schedule_reevalutation(0.2)
    assert threading.active_count() - before == 1
    assert scheduler._fwbench_reevaluation.daemon  # never keeps a finished Snakemake alive
    assert scheduler._open_jobs.acquire(timeout=5)  # the wake-up still comes
    time.sleep(0.05)
    scheduler._schedule_reevalutation(0.01)  # once it has fired, the next request gets a new one
    assert scheduler._open_jobs.acquire(timeout=5)
    assert not scheduler_patch.coalesce(FakeScheduler)  # patched once


def test_the_pinned_snakemake_has_the_method_it_patches():
    from snakemake.scheduling.job_scheduler import JobScheduler

    assert hasattr(JobScheduler, scheduler_patch.METHOD)
    scheduler_patch.apply()
    assert JobScheduler._fwbench_coalesced
