"""How Docker words things for people: durations, statuses, sizes, truncated commands.

Pure functions over plain values; the CLI tables and the figures both use them.
"""

from __future__ import annotations

import json

__all__ = ["command_column", "container_size", "created_at", "human_duration", "human_size", "parse_time",
           "prune_report", "status_text", "tabulate", "until_time"]


def parse_time(stamp: str) -> float:
    """Seconds since the epoch from Docker's RFC 3339 nanosecond timestamps (UTC).

    Parsed by hand: ``datetime`` and ``calendar`` import the locale machinery, a few
    milliseconds that every ``docker ps`` would pay.

    >>> parse_time("1970-01-02T00:00:01.5Z"), parse_time("2024-02-29T12:00:00Z")
    (86401.5, 1709208000.0)
    """
    main, _, frac = stamp.rstrip("Z").partition(".")
    date, _, clock = main.partition("T")
    year, month, day = (int(x) for x in date.split("-"))
    hour, minute, second = (int(x) for x in clock.split(":"))
    seconds = ((_days_since_epoch(year, month, day) * 24 + hour) * 60 + minute) * 60 + second
    return seconds + (float("0." + frac) if frac else 0.0)


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _go_duration(text: str) -> float | None:
    """Seconds in a Go duration (``10m``, ``1h30m``, ``1.5s``), or None."""
    import re

    body = text.lstrip("+-")
    parts = re.findall(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)", body)
    if not parts or "".join(n + u for n, u in parts) != body:
        return None
    seconds = sum(float(n) * _DURATION_UNITS[u] for n, u in parts)
    return -seconds if text.startswith("-") else seconds


def until_time(value: str, now: float) -> float:
    """Seconds since the epoch of Docker's time filters and flags (``until=``, ``--since``):
    a duration back from ``now``, a Unix timestamp, or an RFC 3339 date and time (UTC).

    >>> until_time("10m", 1000.0), until_time("1700000000", 0), until_time("1970-01-02", 0)
    (400.0, 1700000000.0, 86400.0)
    """
    from .errors import DaemonError

    if value != "0" and (seconds := _go_duration(value)) is not None:
        return now - seconds
    if value.replace(".", "", 1).isdigit():
        return float(value)
    stamp = value.rstrip("Zz")
    date, _, clock = stamp.partition("T")
    try:
        year, month, day = (int(x) for x in date.split("-"))
        pieces = [int(x) for x in clock.split(".")[0].split(":")] if clock else []
    except ValueError:
        raise DaemonError(f'failed to parse value as time or duration: "{value}"') from None
    hms = (pieces + [0, 0, 0])[:3]
    for what, number, top in (("month", month, 12), ("day", day, 31), ("hour", hms[0], 23), ("minute", hms[1], 59),
                              ("second", hms[2], 59)):
        if not (1 if what in ("month", "day") else 0) <= number <= top:
            raise DaemonError(f'parsing time "{value}": {what} out of range')  # Go's time.Parse words
    fraction = "." + clock.split(".")[1] if "." in clock else ""
    return parse_time(f"{year:04d}-{month:02d}-{day:02d}T{hms[0]:02d}:{hms[1]:02d}:{hms[2]:02d}{fraction}")


def _days_since_epoch(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Hinnant's
    days_from_civil: years counted from March, so the leap day comes last)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def created_at(stamp: str) -> str:
    """``{{.CreatedAt}}`` of ``ps`` and ``images``: Go's time format, in UTC.

    >>> created_at("2026-11-30T05:55:35.418307177Z")
    '2026-11-30 05:55:35 +0000 UTC'
    """
    return f"{stamp[:10]} {stamp[11:19]} +0000 UTC"


def human_duration(seconds: float) -> str:
    """go-units' HumanDuration, which ``docker ps`` uses.

    >>> human_duration(0.3), human_duration(1), human_duration(59), human_duration(61)
    ('Less than a second', '1 second', '59 seconds', 'About a minute')
    >>> human_duration(3 * 3600), human_duration(50 * 3600), human_duration(20 * 86400)
    ('3 hours', '2 days', '2 weeks')
    """
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{hours // 24 // 365} years"


def status_text(status: str, exit_code: int, started_at: str, finished_at: str, now: float) -> str:
    """The STATUS column of ``docker ps``.

    >>> status_text("created", 0, "", "", 0)
    'Created'
    >>> status_text("paused", 0, "1970-01-01T00:00:00Z", "", 2)
    'Up 2 seconds (Paused)'
    >>> status_text("exited", 3, "", "1970-01-01T00:00:00Z", 2)
    'Exited (3) 2 seconds ago'
    """
    if status == "created":
        return "Created"
    if status in ("running", "paused"):
        text = "Up " + human_duration(now - parse_time(started_at))
        return text + " (Paused)" if status == "paused" else text
    if status == "exited":
        return f"Exited ({exit_code}) {human_duration(now - parse_time(finished_at))} ago"
    return status.capitalize()


def human_size(size: float, precision: int = 3) -> str:
    """go-units' HumanSizeWithPrecision(size, precision), which ``docker images`` uses
    (``{{.VirtualSize}}`` with 4 digits).

    >>> human_size(1984132), human_size(0), human_size(999), human_size(12_345_678), human_size(1984132, 4)
    ('1.98MB', '0B', '999B', '12.3MB', '1.984MB')
    """
    units = ["B", "kB", "MB", "GB", "TB"]
    i = 0
    while size >= 1000 and i < len(units) - 1:
        size /= 1000
        i += 1
    return f"{size:.{precision}g}{units[i]}"


def container_size(read_write: int, image: int) -> str:
    """``ps -s``'s SIZE: the read-write layer, then with the image's layers beneath it.

    >>> container_size(6, 1984132)
    '6B (virtual 1.98MB)'
    """
    return f"{human_size(read_write)} (virtual {human_size(read_write + image)})"


#: What ``container prune`` and ``image prune`` (``-a``) ask before they remove anything.
PRUNE_PROMPTS = {
    "containers": "WARNING! This will remove all stopped containers.\n",
    "dangling images": "WARNING! This will remove all dangling images.\n",
    "unused images": "WARNING! This will remove all images without at least one container associated to them.\n",
}
PRUNE_QUESTION = "Are you sure you want to continue? [y/N] "


def prune_report(heading: str, lines: list[str], reclaimed: int) -> str:
    """What ``container prune`` and ``image prune`` print once done: what went, if anything,
    under ``heading``, then the space it held.

    >>> print(prune_report("Deleted Containers:", ["c0ffee"], 6))
    Deleted Containers:
    c0ffee
    <BLANKLINE>
    Total reclaimed space: 6B
    <BLANKLINE>
    """
    listed = heading + "\n" + "".join(f"{line}\n" for line in lines) + "\n" if lines else ""
    return f"{listed}Total reclaimed space: {human_size(reclaimed)}\n"


def command_column(argv: list[str], truncate: bool = True) -> str:
    """The COMMAND column: the command line, quoted, cut to 20 characters with an ellipsis.

    >>> command_column(["sleep", "1000"])
    '"sleep 1000"'
    >>> command_column(["sh", "-c", "echo a very long command line"])
    '"sh -c \\'echo a very …"'
    """
    text = " ".join(_shell_quote(a) for a in argv)
    if truncate and len(text) > 20:
        text = text[:19] + "…"
    return json.dumps(text, ensure_ascii=False)  # Go's strconv.Quote, for printable text


def _shell_quote(arg: str) -> str:
    # The daemon quotes only arguments with a space, and only with plain single quotes.
    return f"'{arg}'" if " " in arg else arg


def tabulate(rows: list[list[str]]) -> str:
    """Go's tabwriter as the docker CLI sets it up (minimum width 10, padding 3): columns
    padded to the widest cell plus three spaces; the last column is not padded.

    >>> print(tabulate([["A", "BB"], ["CCCCCCCCCC", "D"]]).replace(" ", "."))
    A............BB
    CCCCCCCCCC...D
    """
    if not rows:
        return ""
    widths = [max(10, max(len(r[i]) for r in rows) + 3) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(w) for cell, w in zip(row, widths)] + [row[-1]]
        lines.append("".join(cells))  # an empty last cell still leaves its padding, as tabwriter does
    return "\n".join(lines)


def inspect_json(objects: list[dict]) -> str:
    """``docker inspect`` prints a JSON array indented by four spaces."""
    if not objects:
        return "[]"
    return json.dumps(objects, indent=4, ensure_ascii=False)
