"""A real one-node SLURM cluster on loopback, for tests/pipeline/test_slurm.py (no mock).

Debian's `slurm-wlm` + `munge` (bookworm: SLURM 22.05, munge 0.5) run one controller (slurmctld)
and one compute daemon (slurmd) on 127.0.0.1, with root as SlurmUser, no accounting storage and
one fake GPU (`File=/dev/null`, `AutoDetect=off`) so that jobs asking for `--gpus=1` are scheduled.
The config must live at /etc/slurm/slurm.conf: the Snakemake SLURM plugin's job step strips the
SLURM_* variables (SLURM_CONF included), and without the file `srun` falls back to a DNS lookup.
munged gets a private socket, so a munged the system may run is never touched. Every daemon is
started here and stopped here, by its PID; an /etc/slurm config found on entry is restored.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("slurm-wlm", "munge")
DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "srun")
ETC = Path("/etc/slurm")
MUNGE_KEY = Path("/etc/munge/munge.key")
# The plugin's first status check comes after this many seconds; finished jobs must stay visible
# to `squeue` well beyond it and beyond the plugin's later, wider intervals between checks (there is
# no sacct without slurmdbd): a job purged before Snakemake sees it end leaves the run waiting for
# it, which happened with MinJobAge at 120 s while other tests loaded the machine.
STATUS_CHECK_DELAY_S = 5
MIN_JOB_AGE_S = 900
NODE_MEMORY_MB_MIN = 65536
# The slurm profile's node share for a timed job (profiles/slurm set-threads): the node offers at
# least that many CPUs (config_overrides again), so the jobs run with the profile as a user runs it.
NODE_CPUS_MIN = 8


class ClusterUnavailable(RuntimeError):
    """SLURM cannot be installed or started here; the message says why (the test skips with it)."""


def sbin(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def install() -> None:
    """apt-get the Debian packages when a daemon is missing (needs root and the Debian mirror)."""
    if all(sbin(name) for name in DAEMONS):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise ClusterUnavailable("slurm-wlm/munge are not installed and this is not root on Debian")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:  # the package lists may be missing on a fresh machine
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not all(sbin(name) for name in DAEMONS):
        raise ClusterUnavailable(f"apt-get install {' '.join(PACKAGES)} failed: {done.stderr[-500:]}")


def slurm_conf(node: str, cpus: int, memory_mb: int, state: Path, munge_socket: Path) -> str:
    return f"""\
# Written by tests/helpers/slurm_cluster.py for a one-node test cluster on loopback; removed afterwards.
ClusterName=fwbench-test
SlurmctldHost={node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={munge_socket}
CredType=cred/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation={state}/ctld
SlurmdSpoolDir={state}/spool
SlurmctldPidFile={state}/slurmctld.pid
SlurmdPidFile={state}/slurmd.pid
SlurmctldLogFile={state}/slurmctld.log
SlurmdLogFile={state}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge={MIN_JOB_AGE_S}
GresTypes=gpu
NodeName={node} NodeAddr=127.0.0.1 NodeHostname={node} CPUs={cpus} RealMemory={memory_mb} \
  Gres=gpu:1 State=UNKNOWN
PartitionName=test Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""


def gres_conf(node: str) -> str:
    return f"AutoDetect=off\nNodeName={node} Name=gpu File=/dev/null\n"


def _memory_mb() -> int:
    """What the node offers: the machine's memory, but at least what the slurm profile's jobs ask
    for (config_overrides lets slurmd accept it; nothing enforces memory without cgroups)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return max(int(line.split()[1]) // 1024, NODE_MEMORY_MB_MIN)
    return NODE_MEMORY_MB_MIN


def _cpus() -> int:
    """What the node offers: the machine's CPUs, but at least a timed job's share in the profile."""
    return max(os.cpu_count() or 1, NODE_CPUS_MIN)


def _wait(condition, timeout_s: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    tails = "\n".join(f"{p.name}: {p.read_text()[-800:]}" for p in logs if p.exists())
    raise ClusterUnavailable(f"{what} did not come up within {timeout_s:.0f} s\n{tails}")


def _node_idle() -> bool:
    shown = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True)
    return shown.returncode == 0 and shown.stdout.strip() in {"idle", "mix"}


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(40):
        if not alive(pid):
            return
        time.sleep(0.25)
    os.kill(pid, signal.SIGKILL)


def _pid_from(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Cluster:
    node: str
    pids: list[int] = field(default_factory=list)  # munged, slurmctld, slurmd, as started


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def one_node_cluster(state: Path):
    """Start munged, slurmctld and slurmd (state under `state`); yield the Cluster; stop them all."""
    install()
    if os.geteuid() != 0:
        raise ClusterUnavailable("starting slurmctld/slurmd as configured here needs root")
    if not MUNGE_KEY.exists():
        raise ClusterUnavailable(f"{MUNGE_KEY} is missing (the munge package creates it)")
    node = socket.gethostname().split(".")[0]
    state.mkdir(parents=True, exist_ok=True)
    for sub in ("ctld", "spool", "munge"):
        (state / sub).mkdir(exist_ok=True)
    os.chmod(state / "munge", 0o700)
    munge_socket = state / "munge" / "munge.socket"
    saved = {name: (ETC / name).read_text() for name in ("slurm.conf", "gres.conf") if (ETC / name).exists()}
    ETC.mkdir(parents=True, exist_ok=True)
    (ETC / "slurm.conf").write_text(slurm_conf(node, _cpus(), _memory_mb(), state, munge_socket))
    (ETC / "gres.conf").write_text(gres_conf(node))
    cluster = Cluster(node)
    pids = cluster.pids
    logs = [state / "munged.log", state / "slurmctld.log", state / "slurmd.log"]
    try:
        munged = [
            sbin("munged"), "--force", f"--socket={munge_socket}", f"--key-file={MUNGE_KEY}",
            f"--pid-file={state}/munged.pid", f"--log-file={state}/munged.log",
            f"--seed-file={state}/munge/munged.seed",
        ]  # fmt: skip
        subprocess.run(munged, check=True, capture_output=True, timeout=30)
        _wait(lambda: _pid_from(state / "munged.pid"), 10, "munged", logs)
        pids.append(_pid_from(state / "munged.pid"))
        subprocess.run([sbin("slurmctld"), "-i"], check=True, capture_output=True, timeout=30)
        _wait(lambda: _pid_from(state / "slurmctld.pid"), 15, "slurmctld", logs)
        pids.append(_pid_from(state / "slurmctld.pid"))
        subprocess.run([sbin("slurmd")], check=True, capture_output=True, timeout=30)
        _wait(lambda: _pid_from(state / "slurmd.pid"), 15, "slurmd", logs)
        pids.append(_pid_from(state / "slurmd.pid"))
        _wait(_node_idle, 30, f"node {node} (idle in sinfo)", logs)
    except BaseException as exc:  # nothing left running, /etc/slurm as it was
        _stop_all(pids, saved)
        if isinstance(exc, subprocess.SubprocessError):
            raise ClusterUnavailable(f"a SLURM daemon failed to start: {exc}") from exc
        raise
    try:
        yield cluster  # what the test runs on the cluster fails as itself, never as "unavailable"
    finally:
        _stop_all(pids, saved)


def _stop_all(pids: list, saved: dict) -> None:
    """Stop the daemons (last started first) and put back /etc/slurm as it was."""
    for pid in reversed(pids):
        _stop(pid)
    for name in ("slurm.conf", "gres.conf"):
        if name in saved:
            (ETC / name).write_text(saved[name])
        else:
            (ETC / name).unlink(missing_ok=True)
