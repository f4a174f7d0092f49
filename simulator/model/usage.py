"""``docker stats``: how the docker CLI turns two readings of a container's resource use
into the row it prints. Pure: the sandbox reads the figures (``sandbox/stats.py``), this
module only computes and words them, as the CLI's stats formatter does.

>>> row = stats_row("0123456789ab" * 5 + "cdef", "web", "web", Usage(cpu_ns=0, at_ns=0, memory=323584,
...     limit=25276059648, pids=1), Usage(cpu_ns=5_000_000, at_ns=1_000_000_000, memory=323584,
...     limit=25276059648, pids=1), no_trunc=False)
>>> row["CPUPerc"], row["MemUsage"], row["MemPerc"], row["NetIO"], row["BlockIO"], row["PIDs"]
('0.50%', '316KiB / 23.54GiB', '0.00%', '0B / 0B', '0B / 0B', '1')
>>> stats_row("0123456789ab" * 5 + "cdef", "old", "old", None, None, no_trunc=False)["MemUsage"]
'0B / 0B'
"""

from __future__ import annotations

from collections import namedtuple

__all__ = ["DEFAULT_FORMAT", "STATS_HEADERS", "Usage", "bytes_size", "decimal_size", "redraw", "stats_row"]

#: The CLI's default ``table`` for stats (Linux containers).
DEFAULT_FORMAT = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}"
STATS_HEADERS = {
    "Container": "CONTAINER", "ID": "CONTAINER ID", "Name": "NAME", "CPUPerc": "CPU %",
    "MemUsage": "MEM USAGE / LIMIT", "MemPerc": "MEM %", "NetIO": "NET I/O", "BlockIO": "BLOCK I/O", "PIDs": "PIDS",
}


class Usage(namedtuple("Usage", ["cpu_ns", "at_ns", "memory", "limit", "pids", "block_read", "block_write",
                                 "net_rx", "net_tx"], defaults=[0, 0, 0, 0])):
    """One reading of a container's processes: CPU time used so far and when it was read
    (nanoseconds), memory in use and its limit, processes, and bytes moved."""

    __slots__ = ()


def _custom_size(size: float, base: float, units: tuple[str, ...], precision: int) -> str:
    i = 0
    while size >= base and i < len(units) - 1:
        size /= base
        i += 1
    return f"{size:.{precision}g}{units[i]}"


def bytes_size(size: float) -> str:
    """go-units' ``BytesSize``: binary units, four significant digits.

    >>> bytes_size(0), bytes_size(323584), bytes_size(25276059648)
    ('0B', '316KiB', '23.54GiB')
    """
    return _custom_size(size, 1024.0, ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"), 4)


def decimal_size(size: float) -> str:
    """go-units' ``HumanSizeWithPrecision(size, 3)``: decimal units, three significant digits.

    >>> decimal_size(0), decimal_size(20971520), decimal_size(1234)
    ('0B', '21MB', '1.23kB')
    """
    return _custom_size(size, 1000.0, ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"), 3)


def stats_row(cid: str, typed: str, name: str, before: Usage | None, after: Usage | None,
              no_trunc: bool) -> dict[str, str]:
    """A container's row, the CLI's statsContext fields in ``{{json .}}`` order. CPU % is the
    CPU time used between the two readings over the time between them (100% is one CPU
    busy, as Docker counts it); a container with no processes has no readings: zeros."""
    cpu = memory = limit = 0.0
    pids = block_read = block_write = net_rx = net_tx = 0
    if after is not None:
        memory, limit, pids = after.memory, after.limit, after.pids
        block_read, block_write, net_rx, net_tx = after.block_read, after.block_write, after.net_rx, after.net_tx
        if before is not None and after.at_ns > before.at_ns:
            cpu = max(0, after.cpu_ns - before.cpu_ns) / (after.at_ns - before.at_ns) * 100.0
    return {
        "BlockIO": f"{decimal_size(block_read)} / {decimal_size(block_write)}",
        "CPUPerc": f"{cpu:.2f}%",
        "Container": typed,
        "ID": cid if no_trunc else cid[:12],
        "MemPerc": f"{memory / limit * 100 if limit else 0.0:.2f}%",
        "MemUsage": f"{bytes_size(memory)} / {bytes_size(limit)}",
        "Name": name,
        "NetIO": f"{decimal_size(net_rx)} / {decimal_size(net_tx)}",
        "PIDs": str(pids),
    }


def redraw(table: str) -> str:
    """One frame of streaming stats as the 28.x CLI writes it, on a terminal or not: the
    cursor home, the table, then the table again with each line ending in "erase the rest
    of the line" (its loop appends to the buffer it iterates over), then "erase below".

    >>> redraw("A\\nb\\n")
    '\\x1b[HA\\nb\\n\\x1b[HA \\x1b[K\\nb \\x1b[K\\n \\x1b[K\\n\\x1b[J'
    """
    frame = "\x1b[H" + table
    return frame + "".join(f"{line} \x1b[K\n" for line in frame.split("\n")) + "\x1b[J"
