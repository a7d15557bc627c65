"""Runs a command and prints its exit status, peak resident memory (KiB) and wall time (s).

    python benchmarks/peak_rss.py COMMAND [ARG ...]

Why a process of its own: Linux carries a process's peak resident set through exec from the
memory it was started in (a fork's copy of the parent's, or with vfork the parent's own), so a
command started by the benchmark reports the benchmark's peak whenever that is higher.
Measured here: a 1.1 GiB check reported 2,119 MiB from a parent that had touched 2 GiB, and at a
million claims the benchmark's own checks (about 1.4 GiB) hid the check process's real peak
(about 1.1 GiB). Started from this small process instead, the command's peak is its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, f"{elapsed:.6f}")  # ru_maxrss: KiB on Linux
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
