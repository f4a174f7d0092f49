"""``docker events``: the same commands must tell the same messages, in the same order, with
the same attributes, and ``events``' own flags must fail the same way.

Each scenario follows ``events --since <its start>`` while it runs (following is what
``events`` does most; ``--since`` replays what came before the follower was listening, so
nothing is missed) and stops following once the scenario's last message has arrived: an
awaited line, not a sleep. The reference engine is shared and busy, and keeps only its last
256 messages, so following also keeps other tests' messages from pushing ours out; a
scenario's lines are those that name its own containers or images.
"""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import time

from tests.conformance.conftest import COMMAND_TIMEOUT, REPO

TRAP = 'trap "exit 0" TERM; echo ready; while true; do sleep 0.1; done'
FIELDS = "{{.Type}} {{.Action}} {{.Actor.ID}} {{json .Actor.Attributes}}"


class Follower:
    """``events --since NOW --format ... [ARGS]`` of one engine, read as it comes."""

    def __init__(self, rec, *args: str, format: str | None = FIELDS) -> None:
        self.rec = rec
        since = f"{time.time() - 0.01:.9f}"
        argv = [*rec.cli.argv, "events", "--since", since, *(("--format", format) if format else ()), *args]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=rec.cli.env,
                                     cwd=REPO, stdin=subprocess.DEVNULL)
        self.lines: list[str] = []
        self._buffer = b""

    def until(self, keep, last, timeout: float = COMMAND_TIMEOUT) -> list[str]:
        """The lines ``keep(line)`` accepts, once ``last(lines)`` says they are complete."""
        deadline = time.monotonic() + timeout
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        kept: list[str] = []
        try:
            while not last(kept):
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    self.proc.kill()
                    kept.append(f"(timed out; stderr {self.proc.stderr.read()!r})")
                    break
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    kept.append(f"(events ended: stderr {self.proc.stderr.read()!r})")
                    break
                self._buffer += chunk
                *complete, self._buffer = self._buffer.split(b"\n")
                kept += [line for line in (c.decode() for c in complete) if keep(line)]
        finally:
            selector.close()
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.proc.stderr.close()
        return kept

    def note(self, keep, last) -> None:
        lines = self.until(keep, last)
        self.rec.note("events", "\n".join(self.rec.cli.norm(line) for line in lines))


def _names(*names: str):
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return lambda line: bool(pattern.search(line))


def test_a_containers_lifecycle_as_events(engines):
    """create, start, exec, pause, unpause, kill with its signal, die with its code, stop and
    restart (a TERM-trapping PID 1: the same on either tier), then rm -f."""
    name = engines.name("ev")

    def scenario(rec):
        follower = Follower(rec, "--filter", f"container={name}", format=None)  # Docker's own text line
        rec.setup("create", "--name", name, "busybox", "sh", "-c", TRAP)
        rec.setup("start", name)
        rec.cli.wait_for_output(name, "ready")
        rec.setup("exec", name, "true")
        rec.setup("exec", name, "sh", "-c", "exit 3", expect=3)
        rec.setup("pause", name)
        rec.setup("unpause", name)
        rec.setup("kill", "-s", "WINCH", name)  # ignored: the container runs on
        rec.setup("stop", name)
        rec.setup("restart", name)
        rec.setup("rm", "-f", name)
        follower.note(_names(name), lambda lines: any(" destroy " in line for line in lines))

    engines.compare(scenario)


def test_run_attached_detached_removed_and_failing(engines):
    """run attaches before it starts; --rm adds destroy after die; start -a attaches again;
    a command that cannot start tells create and attach only."""
    names = [engines.name("evr") for _ in range(4)]
    attached, removed, detached, failing = names

    def scenario(rec):
        follower = Follower(rec, "--filter", "type=container")
        rec.setup("run", "--name", attached, "busybox", "sh", "-c", "exit 5", expect=5)
        rec.setup("run", "--rm", "--name", removed, "busybox", "true")
        rec.setup("run", "-d", "--name", detached, "busybox", "true")
        rec.setup("wait", detached)
        rec.setup("start", "-a", detached)
        rec.setup("run", "--name", failing, "busybox", "nonexistent", expect=127)
        for gone in (attached, detached, failing):  # one by one: Docker's CLI removes several at once
            rec.setup("rm", gone)
        follower.note(_names(*names), lambda lines: any(" destroy " in line and failing in line for line in lines))

    engines.compare(scenario)


def test_commit_tag_rmi_save_load_import_as_events(engines, tmp_path):
    """commit pauses around its tag and commit; rmi untags (naming the image by its id) then
    deletes; save, load and import name the image by its id too."""
    name = engines.name("evi")
    image = engines.image("evimg")
    other = engines.image("evimg")
    imported = engines.image("evimp")

    def scenario(rec):
        follower = Follower(rec)
        rec.setup("run", "-d", "--name", name, "busybox", "sleep", "1000")
        committed = rec.setup("commit", name, image).stdout.strip()
        rec.setup("tag", image, other)
        rec.setup("rmi", other)
        archive = str(tmp_path / f"{rec.cli.label}.tar")  # the two engines run at once: a file each
        flat = str(tmp_path / f"{rec.cli.label}-flat.tar")
        codes = [rec.cli("save", "-o", archive, image).rc, rec.cli("rmi", image).rc,
                 rec.cli("load", "-i", archive).rc, rec.cli("export", "-o", flat, name).rc]
        made = rec.cli("import", flat, imported)
        rec.note("save, rmi, load, export, import: exit codes", [*codes, made.rc])  # the paths differ
        made = made.stdout.strip()
        rec.setup("rm", "-f", name)
        rec.setup("rmi", imported, image)
        follower.note(_names(name, image.split(":")[0], other.split(":")[0], imported.split(":")[0],
                             committed.removeprefix("sha256:"), made.removeprefix("sha256:")),
                      lambda lines: sum(" delete " in line and committed.removeprefix("sha256:") in line
                                        for line in lines) == 2)  # rmi before load, and at the end

    engines.compare(scenario)


def test_the_flags_of_events_and_their_errors(engines):
    """Bad times, a time window the wrong way round, a bad template, a bad filter, an
    argument; and a past window with a filter that matches nothing."""
    unused = engines.name("evnone")

    def scenario(rec):
        rec.run("events", "--since", "nope")
        rec.run("events", "--until", "nope")
        rec.run("events", "--since", "2026-13-01", "--until", "1s")
        rec.run("events", "--since", "1796167162", "--until", "1796167161")
        rec.run("events", "--format", "{{.Nope}}", "--until", "1s")
        rec.run("events", "--format", "{{.Actor.Nope}}", "--until", "1s")
        rec.run("events", "--format", "{{", "--until", "1s")
        rec.run("events", "--filter", "container", "--until", "1s")
        rec.run("events", "--until", "1s", "extra")
        rec.run("events", "--since", "10m", "--until", "0s", "--filter", f"container={unused}")
        rec.run("events", "--since", "2020-01-01", "--until", "2020-01-02T00:00:00Z")

    engines.compare(scenario)


def test_paused_containers_top_cp_and_a_commit_without_a_name_as_events(engines, tmp_path):
    """stop of a paused container thaws it after the signal; kill and rm -f of a paused one
    tell no unpause; top and cp are told; commit of a stopped container pauses nothing and,
    without a name, tags nothing."""
    name = engines.name("evp")
    source = tmp_path / "greeting"
    source.write_text("hi\n")

    def scenario(rec):
        follower = Follower(rec, "--filter", f"container={name}")
        rec.setup("run", "-d", "--name", name, "busybox", "sh", "-c", TRAP)
        rec.cli.wait_for_output(name, "ready")
        rec.setup("top", name)
        copied = [rec.cli("cp", str(source), f"{name}:/tmp/").rc,
                  rec.cli("cp", f"{name}:/tmp/greeting", str(tmp_path / f"{rec.cli.label}-out")).rc]
        rec.note("cp in, cp out: exit codes", copied)  # the paths differ
        rec.setup("pause", name)
        rec.setup("stop", name)
        image = rec.setup("commit", name).stdout.strip()
        rec.note("rmi of the unnamed image: exit code", rec.cli("rmi", image).rc)  # its id differs
        for end in ("kill", "rm"):
            rec.setup("start", name)
            rec.setup("pause", name)
            rec.setup(*((end,) if end == "kill" else (end, "-f")), name)
        follower.note(_names(name), lambda lines: any(" destroy " in line for line in lines))

    engines.compare(scenario)


def test_a_classic_build_as_events(engines, tmp_path):
    """Each RUN: a container created from the step's parent image (named by its id),
    attached, started, dead, destroyed; a step that only sets configuration: created and
    destroyed; the new image tagged at the end. No commit is told."""
    image = engines.image("evbuild")
    (tmp_path / "Dockerfile").write_text("FROM busybox\nRUN echo hi > f\nENV A=b\n")  # f: in / on either tier
    engines.ref.env["DOCKER_BUILDKIT"] = "0"  # the classic builder

    def scenario(rec):
        follower = Follower(rec)
        built = rec.cli("build", "-q", "-t", image, str(tmp_path))
        rec.note("build: exit code", built.rc)
        ids = re.findall(r"[0-9a-f]{64}", rec.cli("history", "-q", "--no-trunc", image).stdout)
        lines = follower.until(lambda line: bool(re.search(r"container (create|attach|start|die|destroy) .*\"image\":"
                                                           r"\"sha256:(" + "|".join(ids) + ")|" + re.escape(image), line)),
                               lambda lines: any(image in line for line in lines))
        generated = re.compile(r'"name":"[a-z]+_[a-z]+"')  # the step containers' names are drawn at random
        rec.note("events", "\n".join(generated.sub('"name":"<NAME>"', rec.cli.norm(line)) for line in lines))

    engines.compare(scenario)
