"""Task priorities of the query workers, read and set through /proc (Linux).

:class:`cakg.server.workers.WorkerPool` demotes a task that has used its quantum of CPU:
:func:`cpu_seconds` reads how much a worker has used, :func:`demote` renices the thread
running its task. Where /proc cannot be read (not Linux), nothing is demoted.
"""

from __future__ import annotations

import os

__all__ = ["DEMOTED_NICE", "cpu_seconds", "demote"]

# The lowest priority there is (setpriority(2): nice values run from -20 to 19).
DEMOTED_NICE = 19


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user and system) a process has used, from /proc; None where it cannot be read.

    >>> cpu_seconds(os.getpid()) is not None or not os.path.exists("/proc")
    True
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # proc(5): utime and stime are fields 14 and 15, in clock ticks; the tail starts at 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def demote(pid: int) -> bool:
    """Renice every thread of a worker but its main one to DEMOTED_NICE; False if none was.

    The main thread only waits for the task's thread and must keep its priority, which the
    next task's thread inherits (a thread starts with its creator's nice value).
    """
    try:
        threads = [int(t) for t in os.listdir(f"/proc/{pid}/task") if int(t) != pid]
    except OSError:
        return False
    done = False
    for tid in threads:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, DEMOTED_NICE)
            done = True
        except OSError:
            pass  # the thread ended meanwhile
    return done
