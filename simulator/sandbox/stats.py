"""Reading a container's resource use for ``docker stats``.

Docker reads these figures from the container's cgroups. A dockersim container has a
cgroup of its own only in the freezer hierarchy (see ``freezer.py``): it is in no memory,
cpuacct or pids cgroup of its own, so the figures come from ``/proc`` of the container's
processes instead (through psutil), and each says here how real it is:

- CPU: real. The user and system time of every process, with that of the children they
  have reaped (as a cgroup's cpuacct counts them); two readings give CPU %.
- MEM USAGE: real, but counted as the processes' resident memory (RSS) added up, where
  Docker's cgroup counts the pages charged to the container (shared pages count once
  there, once per process here). LIMIT: the host's total memory, which is also what Docker
  shows for a container run without ``--memory``.
- BLOCK I/O: real: bytes the processes made the kernel read from and write to storage.
- PIDS: real: the container's threads (a cgroup's ``pids.current`` counts threads).
- NET I/O: not read. ``none``, the default here, has only a loopback, and ``host`` has no
  interface of the container's own: Docker shows ``0B / 0B`` for both, and so do we.
"""

from __future__ import annotations

import time

from ..model.usage import Usage

__all__ = ["read_usage"]


def read_usage(pids: list[int]) -> Usage | None:
    """One reading of the processes ``pids`` (a container's); None when none is left."""
    import psutil

    cpu = memory = threads = block_read = block_write = 0.0
    alive = 0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            with process.oneshot():
                times = process.cpu_times()
                cpu += times.user + times.system + times.children_user + times.children_system
                memory += process.memory_info().rss
                threads += process.num_threads()
                try:
                    io = process.io_counters()
                    block_read += io.read_bytes
                    block_write += io.write_bytes
                except (psutil.AccessDenied, AttributeError):  # /proc/PID/io is the owner's only
                    pass
            alive += 1
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue  # it ended between the listing and the reading
    if not alive:
        return None
    return Usage(cpu_ns=int(cpu * 1e9), at_ns=time.monotonic_ns(), memory=int(memory),
                 limit=psutil.virtual_memory().total, pids=int(threads),
                 block_read=int(block_read), block_write=int(block_write))
