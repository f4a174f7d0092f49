"""``docker stats`` on both engines. Two engines never measure the same numbers, so a row is
compared by its shape: each cell must be of its column's form (a regex per column), and a
cell whose value Docker fixes (a stopped container's zeros, the none network's ``0B / 0B``,
one process for ``sleep``) must be that value. Headers, row counts, errors and exit codes
are compared exactly."""

from __future__ import annotations

import json
import re
import subprocess

from tests.conformance.conftest import COMMAND_TIMEOUT, REPO

_BINARY = r"\d+(?:\.\d+)?(?:B|KiB|MiB|GiB|TiB)"
_DECIMAL = r"\d+(?:\.\d+)?(?:B|kB|MB|GB|TB)"
SHAPES = {
    "CONTAINER ID": r"[0-9a-f]{12}|[0-9a-f]{64}",
    "CPU %": r"\d+\.\d\d%",
    "MEM USAGE / LIMIT": rf"{_BINARY} / {_BINARY}",
    "MEM %": r"\d+\.\d\d%",
    "NET I/O": rf"{_DECIMAL} / {_DECIMAL}",
    "BLOCK I/O": rf"{_DECIMAL} / {_DECIMAL}",
    "PIDS": r"\d+",
}
EXACT = ("NAME", "NET I/O", "PIDS")  # the same on both: names, the none network, one `sleep`


def _shape(header: str, line: str) -> str:
    """A row as its shapes: ``COLUMN=<shape>`` where the cell fits its column, else the cell."""
    cells = re.split(r"  +", line.strip())
    columns = re.split(r"  +", header.strip())
    if len(cells) != len(columns):
        return f"{len(cells)} cells for {len(columns)} columns: {line!r}"
    shown = []
    for column, cell in zip(columns, cells):
        fits = re.fullmatch(SHAPES.get(column, r".+"), cell) is not None
        shown.append(f"{column}={cell}" if column in EXACT or not fits else f"{column}=<{'fits' if fits else cell}>")
    return " | ".join(shown)


def _table(rec, label: str, *args: str) -> None:
    result = rec.cli(*args)
    lines = result.stdout.splitlines()
    rec.note(f"{label}: exit code", result.rc)
    rec.note(f"{label}: stderr", rec.cli.norm(result.stderr))
    rec.note(f"{label}: header's columns (their widths follow the numbers)",
             re.split(r"  +", lines[0].strip()) if lines else [])
    rec.note(f"{label}: rows", [_shape(lines[0], line) for line in lines[1:]])


def test_stats_no_stream_shows_running_and_stopped_containers(engines):
    running, created = engines.name("stats-run"), engines.name("stats-new")

    def scenario(rec):
        rec.setup("run", "-d", "--network", "none", "--name", running, "busybox", "sleep", "300")
        rec.setup("create", "--network", "none", "--name", created, "busybox", "true")
        _table(rec, "stats --no-stream RUNNING CREATED", "stats", "--no-stream", running, created)
        _table(rec, "the same name twice: one row", "stats", "--no-stream", running, running)
        _table(rec, "--no-trunc", "stats", "--no-stream", "--no-trunc", running)
        # a stopped container's figures are all zeros, exactly
        rec.run("stats", "--no-stream", created)
        rec.run("stats", "--no-stream", "--format", "{{.Container}}: {{.Name}} {{.NetIO}} {{.PIDs}}", running, created)
        rec.run("stats", "--no-stream", "--format", "table {{.Name}}\t{{.PIDs}}", running)
        json_out = rec.cli("stats", "--no-stream", "--format", "json", running)
        rec.note("--format json: exit code", json_out.rc)
        row = json.loads(json_out.stdout)
        rec.note("--format json: keys", sorted(row))
        rec.note("--format json: the row's shapes", _shape(
            "CONTAINER ID   NAME   CPU %   MEM USAGE / LIMIT   MEM %   NET I/O   BLOCK I/O   PIDS",
            "   ".join(row[k] for k in ("ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs"))))
        rec.run("stats", "--no-stream", "--format", "{{.Nope}}", running)
        rec.run("stats", "--no-stream", "--format", "{{", running)
        rec.run("stats", "--no-stream", running, "nosuch-container-cf")
        rec.run("stats", "--no-stream", "--filter", "x")

    engines.compare(scenario)


def test_stats_without_no_stream_keeps_redrawing(engines):
    """Without ``--no-stream`` (and without a terminal) the 28.x CLI writes frame after
    frame: cursor home, the table, the table again with "erase line" codes, "erase below"."""
    name = engines.name("stats-stream")

    def scenario(rec):
        rec.setup("run", "-d", "--network", "none", "--name", name, "busybox", "sleep", "300")
        with subprocess.Popen([*rec.cli.argv, "stats", "--format", "table {{.Name}}\t{{.PIDs}}", name],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                              env=rec.cli.env, cwd=REPO) as follower:
            seen = b""
            try:
                while seen.count(b"\x1b[J") < 2:  # two whole frames
                    chunk = follower.stdout.read1(65536)
                    if not chunk:
                        break
                    seen += chunk
            finally:
                follower.kill()
        frames = seen.decode().split("\x1b[J")
        rec.note("first frame", frames[0].replace(name, "<NAME>"))
        rec.note("second frame", frames[1].replace(name, "<NAME>") if len(frames) > 1 else "")

    engines.compare(scenario)


def test_stats_of_a_container_that_runs_a_busy_loop_counts_its_cpu(engines):
    """The CPU % is measured, not made up: a busy loop shows well above zero on both."""
    name = engines.name("stats-busy")

    def scenario(rec):
        rec.setup("run", "-d", "--network", "none", "--name", name, "busybox", "sh", "-c", "while :; do :; done")
        result = rec.cli("stats", "--no-stream", "--format", "{{.CPUPerc}}", name, timeout=COMMAND_TIMEOUT)
        rec.note("exit code", result.rc)
        rec.note("busy (over 10%)", float(result.stdout.strip().rstrip("%") or 0) > 10)
        rec.setup("kill", name)

    engines.compare(scenario)


def test_stats_on_a_terminal_redraws_the_table(engines):
    """On a terminal the frames are the same: each one redraws the table in place."""
    from tests.conformance.test_conformance_attach import Pty

    name = engines.name("stats-tty")
    two_frames = re.compile(rb"(?s)\x1b\[J.*\x1b\[J")

    def scenario(rec):
        rec.setup("run", "-d", "--network", "none", "--name", name, "busybox", "sleep", "300")
        pty = Pty([*rec.cli.argv, "stats", "--format", "table {{.Name}}\t{{.PIDs}}", name], rec.cli.env)
        rec.note("two frames arrived", pty.expect(two_frames))
        pty.process.kill()
        pty.finish()
        frames = pty.seen.decode().split("\x1b[J")
        rec.note("first frame", frames[0].replace(name, "<NAME>"))
        rec.note("second frame", frames[1].replace(name, "<NAME>") if len(frames) > 1 else "")

    engines.compare(scenario)
