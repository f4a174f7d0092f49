"""docker cp on both tiers: into and out of containers that are not running, and a tar or a
link that points outside the container stays inside it."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

pytestmark = pytest.mark.sandbox


def _tar(entries: list[tuple[str, str, str]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for kind, name, extra in entries:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(extra)
                t.addfile(info, io.BytesIO(extra.encode()))
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            else:
                info.type = tarfile.SYMTYPE
                info.linkname = extra
                t.addfile(info)
    return buf.getvalue()


def _stdin(tmp_path, data: bytes):
    from simulator.engine import Output

    path = tmp_path / "stdin.tar"
    path.write_bytes(data)
    return Output(stdin=open(path, "rb"))


def test_a_copy_into_a_created_container_is_its_read_write_layer(engine, tmp_path):
    engine.create("busybox", ["true"], name="box")
    (tmp_path / "page.html").write_text("<h1>hi</h1>\n")
    step = engine.cp(str(tmp_path / "page.html"), "box:/tmp/")
    assert step.ok, step.stderr
    assert engine.diff("box").stdout == "C /tmp\nA /tmp/page.html\n"
    assert engine.cp("box:/tmp/page.html", str(tmp_path / "back.html")).ok
    assert (tmp_path / "back.html").read_text() == "<h1>hi</h1>\n"
    missing = engine.cp("box:/nosuch", str(tmp_path / "x"))
    assert (missing.exit_code, missing.stderr) == (1, "Error response from daemon: Could not find the file /nosuch in container box\n")


def test_a_copy_out_of_an_exited_container_reads_its_read_write_layer(engine, tmp_path):
    engine.run("busybox", ["sh", "-c", "mkdir d && echo made > d/f"], name="done", workdir="/")
    assert engine.cp("done:/d", str(tmp_path / "d")).ok
    assert (tmp_path / "d" / "f").read_text() == "made\n"
    assert not (tmp_path / "d" / "d").exists()


def test_a_hostile_tar_stays_inside_the_container(engine, tmp_path):
    engine.create("busybox", ["true"], name="box")
    marker = f"dockersim-escape-{os.getpid()}"
    hostile = _tar([
        ("file", f"../../../../tmp/{marker}-dotdot", "x"),
        ("file", f"/tmp/{marker}-absolute", "x"),
        ("sym", "evil", "/tmp"),
        ("file", f"evil/{marker}-through-link", "x"),
    ])
    step = engine.cp("-", "box:/", out=_stdin(tmp_path, hostile))
    assert step.ok, step.stderr
    for name in ("dotdot", "absolute", "through-link"):
        assert not os.path.exists(f"/tmp/{marker}-{name}"), "a copy escaped the container"
    listing = engine.diff("box").stdout.splitlines()
    assert f"A /tmp/{marker}-dotdot" in listing and f"A /tmp/{marker}-through-link" in listing
    assert "A /evil" in listing


def test_a_link_to_an_absolute_path_means_the_containers_path(engine, tmp_path):
    engine.run("busybox", ["ln", "-s", "/etc", "link"], name="linked", workdir="/")  # relative: the process tier
    (tmp_path / "note").write_text("mine\n")
    assert engine.cp(str(tmp_path / "note"), "linked:/link/").ok
    assert not os.path.exists("/etc/note") or open("/etc/note").read() != "mine\n"
    assert "A /etc/note" in engine.diff("linked").stdout.splitlines()
    assert engine.cp("linked:/link/note", str(tmp_path / "again")).ok
    assert (tmp_path / "again").read_text() == "mine\n"
