"""``docker cp`` both ways, on both engines: where each copy lands, what it refuses, and what
the container's read-write layer holds afterwards.

Each engine gets a local folder of its own (both run at once); ``{L}`` in an argument stands
for it, and its path is written back as ``{L}`` in what the engine prints, so the records
compare. What a copy left is read back tier-neutrally: local files by walking them, the
container's by copying them out again (``cp C:/path -``) and by ``docker diff``.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tarfile

import pytest


def _local_tree(folder) -> str:
    """Every path under ``folder``: its type, and a file's content or a link's target."""
    lines = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            rel = os.path.relpath(full, folder)
            if stat.S_ISLNK(st.st_mode):
                lines.append(f"{rel} -> {os.readlink(full)}")
            elif stat.S_ISDIR(st.st_mode):
                lines.append(f"{rel}/ {oct(st.st_mode & 0o777)}")
            else:
                with open(full, "rb") as f:
                    lines.append(f"{rel} {oct(st.st_mode & 0o777)} {f.read()[:40]!r}")
    return "\n".join(sorted(lines))


def _tar_listing(data: bytes) -> str:
    """A tar's entries: name, type, owner and, for a file, its content."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            out = []
            for m in tar:
                content = tar.extractfile(m).read()[:40] if m.isfile() else b""
                out.append(f"{m.name} {m.type.decode() or '0'} {m.uid}:{m.gid} {oct(m.mode)} {content!r}")
            return "\n".join(out)
    except tarfile.TarError as e:
        return f"not a tar: {e}"


class Copier:
    """``docker cp`` for one engine's record, with ``{L}`` as its local folder."""

    def __init__(self, rec, tmp_path):
        self.rec = rec
        self.local = tmp_path / rec.cli.label
        self.local.mkdir(exist_ok=True)

    def _args(self, args):
        return [a.replace("{L}", str(self.local)) for a in args]

    def _clean(self, text: str) -> str:
        text = re.sub(r"lstat /\S+/(merged|rootfs)/", "lstat <MERGED>/", text)  # each engine's own folder
        return self.rec.cli.norm(text.replace(str(self.local), "{L}"))

    def run(self, *args: str, stdin: bytes | None = None) -> None:
        """Run ``docker ARGS`` (with ``{L}``) and record exit code, stdout and stderr."""
        import subprocess

        label = f"`docker {' '.join(args)}`"
        proc = subprocess.run([*self.rec.cli.argv, *self._args(args)], input=stdin or b"",
                              capture_output=True, env=self.rec.cli.env, cwd=str(self.local), timeout=60)
        self.rec.note(f"{label}: exit code", proc.returncode)
        out = proc.stdout
        self.rec.note(f"{label}: stdout", _tar_listing(out) if args[-1] == "-" and proc.returncode == 0
                      else self._clean(out.decode(errors="replace")))
        # the docker CLI logs a closed pipe when the daemon refuses half-way: its own chatter
        err = "\n".join(line for line in proc.stderr.decode(errors="replace").splitlines()
                        if "level=error" not in line)
        self.rec.note(f"{label}: stderr", self._clean(err))

    def local_tree(self, note: str = "local folder") -> None:
        self.rec.note(note, _local_tree(self.local))

    def write(self, rel: str, content: str) -> None:
        path = self.local / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


SETUP = "mkdir -p /dd/sub && echo hi > /dd/a && echo s > /dd/sub/b && ln -s /dd/a /lnk && ln -s sub /dd/rel"


def test_cp_out_of_a_container(engines, tmp_path):
    name = engines.name("cpout")

    def scenario(rec):
        c = Copier(rec, tmp_path)
        rec.setup("run", "--name", name, "busybox", "sh", "-c", SETUP)  # exited: cp works on it too
        c.write("existing-file", "old\n")
        (c.local / "existing-dir").mkdir()
        c.run("cp", f"{name}:/dd/a", "{L}/a1")
        c.run("cp", f"{name}:/dd/a", "{L}/existing-dir")
        c.run("cp", f"{name}:/dd/a", "{L}/existing-file")
        c.run("cp", f"{name}:/dd", "{L}/dd1")
        c.run("cp", f"{name}:/dd", "{L}/existing-dir")
        c.run("cp", f"{name}:/dd/.", "{L}/dd1")
        c.run("cp", f"{name}:dd/sub", "{L}/relative")
        c.run("cp", f"{name}:/lnk", "{L}/l1")
        c.run("cp", "-L", f"{name}:/lnk", "{L}/l2")
        c.run("cp", "-L", f"{name}:/dd/rel", "{L}/l3")
        c.run("cp", f"{name}:/dd/rel/", "{L}/l4")
        c.local_tree()
        c.run("cp", f"{name}:/dd/a", "-")
        c.run("cp", f"{name}:/dd", "-")
        c.run("cp", f"{name}:/nosuch", "{L}/x")
        c.run("cp", f"{name}:/dd/a", "{L}/nodir/")
        c.run("cp", f"{name}:/dd/a", "{L}/nodir/x")
        c.run("cp", f"{name}:/dd", "{L}/existing-file")
        c.run("cp", f"{name}:/dd/a/", "{L}/y")
        c.run("cp", "nosuch-container-x:/a", "{L}/x")
        c.run("cp", "{L}/a1", "{L}/b1")
        c.run("cp", f"{name}:/a", f"{name}:/b")
        c.run("cp", f"{name}:/a")
        c.run("cp", "", f"{name}:/a")
        c.local_tree("local folder at the end")

    engines.compare(scenario)


@pytest.mark.parametrize("state", ["created", "running", "exited"])
def test_cp_into_a_container(engines, tmp_path, state):
    name = engines.name("cpin")

    def scenario(rec):
        c = Copier(rec, tmp_path)
        if state == "created":
            rec.setup("create", "--name", name, "busybox", "sleep", "1000")
        else:
            rec.setup("run", "-d", "--name", name, "busybox", "sleep", "1000")
            if state == "exited":
                rec.setup("kill", name)
                rec.setup("wait", name, expect=None)
        c.write("h", "hello\n")
        c.write("tree/x", "x\n")
        c.write("tree/deep/y", "y\n")
        os.symlink("h", c.local / "hl")
        c.run("cp", "{L}/h", f"{name}:/tmp/")
        c.run("cp", "{L}/h", f"{name}:/etc/renamed")
        c.run("cp", "{L}/tree", f"{name}:/tmp")
        c.run("cp", "{L}/tree", f"{name}:/newtree")
        c.run("cp", "{L}/tree/.", f"{name}:/tmp")
        c.run("cp", "{L}/hl", f"{name}:/linked")
        c.run("cp", "-L", "{L}/hl", f"{name}:/followed")
        c.run("cp", "{L}/h", f"{name}:tmp/relative")
        tar = io.BytesIO()
        with tarfile.open(fileobj=tar, mode="w") as t:
            info = tarfile.TarInfo("streamed/s.txt")
            info.size = 3
            t.addfile(info, io.BytesIO(b"s!\n"))
        c.run("cp", "-", f"{name}:/tmp", stdin=tar.getvalue())
        c.run("cp", "-", f"{name}:/etc/renamed", stdin=tar.getvalue())
        c.run("cp", "{L}/h", f"{name}:/nosuchdir/")
        c.run("cp", "{L}/h", f"{name}:/nosuchdir/x")
        c.run("cp", "{L}/h", f"{name}:/etc/renamed/")
        c.run("cp", "{L}/tree", f"{name}:/etc/renamed")
        c.run("cp", "{L}/nosuchlocal", f"{name}:/tmp")
        c.run("cp", "{L}/h", "nosuch-container-x:/tmp")
        rec.run("diff", name, compare="diffset")
        c.run("cp", f"{name}:/tmp", "-")
        c.run("cp", f"{name}:/newtree", "-")
        c.run("cp", f"{name}:/etc/renamed", "-")
        c.run("cp", f"{name}:/linked", "-")
        c.run("cp", f"{name}:/followed", "-")
        rec.setup("rm", "-f", name)

    engines.compare(scenario)


def test_cp_archive_mode_keeps_the_owner(engines, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a file of another owner needs root")
    name = engines.name("cpown")

    def scenario(rec):
        c = Copier(rec, tmp_path)
        rec.setup("create", "--name", name, "busybox", "true")
        c.write("owned", "o\n")
        os.chown(c.local / "owned", 1234, 4321)
        c.run("cp", "{L}/owned", f"{name}:/plain")
        c.run("cp", "-a", "{L}/owned", f"{name}:/kept")
        c.run("cp", f"{name}:/plain", "-")
        c.run("cp", f"{name}:/kept", "-")

    engines.compare(scenario)
