"""The debugging study (claim C7): faults injected into every framework's training step, each run in
a fresh process, scored for detection, locality, message and inspectability.
faults.py (the catalogue), probes.py (plan and supervise the probes), run.py (one probe's process),
tables.py (scoring and the effort index), claims.py (C7), report.py (its section)."""
