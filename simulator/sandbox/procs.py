"""Reading a container's processes from /proc, for ``docker top`` and the figures."""

from __future__ import annotations

import os
import pwd
import time

from ..step import ProcessView

__all__ = ["process_views", "ps_table"]

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", "rb") as f:
        raw = f.read().decode(errors="replace")
    return raw.rsplit(")", 1)[1].split()


def _cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read().rstrip(b"\0").replace(b"\0", b" ").decode(errors="replace")


def _inner_pid(pid: int) -> int:
    """The pid a process has inside its own (innermost) pid namespace."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("NSpid:"):
                return int(line.split()[-1])
    return pid


def process_views(pids: list[int]) -> list[ProcessView]:
    out = []
    for pid in pids:
        try:
            out.append(ProcessView(_inner_pid(pid), pid, _cmdline(pid)))
        except OSError:
            continue
    return out


def ps_table(pids: list[int]) -> str:
    """``docker top``: the host's ``ps -ef`` columns for the container's processes."""
    with open("/proc/stat") as f:
        boot = next(int(line.split()[1]) for line in f if line.startswith("btime"))
    rows = [["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]]
    for pid in pids:
        try:
            fields = _stat(pid)
            uid = os.stat(f"/proc/{pid}").st_uid
            cmd = _cmdline(pid)
        except OSError:
            continue
        try:
            user = pwd.getpwuid(uid).pw_name
        except KeyError:
            user = str(uid)
        started = boot + int(fields[19]) / _TICKS
        cpu = (int(fields[11]) + int(fields[12])) // _TICKS
        rows.append([
            user, str(pid), fields[1], "0", time.strftime("%H:%M", time.localtime(started)),
            "?" if fields[4] == "0" else "pts/0",
            f"{cpu // 3600:02d}:{cpu // 60 % 60:02d}:{cpu % 60:02d}", cmd,
        ])
    # docker top pads every column to 20 characters
    return "".join("".join(cell.ljust(20) for cell in row[:-1]) + row[-1] + "\n" for row in rows)
