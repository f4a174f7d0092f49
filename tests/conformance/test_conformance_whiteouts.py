"""Deleting and replacing what a layer holds, compared with Docker file by file.

Each case removes or replaces a file, an empty directory, a directory with files, a
directory made again (opaque), a file turned into a directory, or a directory turned into
a file; the thing comes from a lower layer or was made in the read-write layer itself; the
change is made by ``run``, by ``exec`` or by a build's ``RUN``. Compared: ``docker diff``,
the entries of the layer a commit (or the build step) makes, and what a new container of
that image sees.
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest

BASE_DOCKERFILE = "FROM busybox\nRUN mkdir -p /d/sub /e && echo x > /d/sub/f && echo x > /d/f\n"

# (what is made first, in the read-write layer: "" for the base image's lower layer; the change)
LOWER_CASES = {
    "file": "rm /d/f",
    "empty-dir": "rmdir /e",
    "dir": "rm -rf /d/sub",
    "dir-made-again": "rm -rf /d/sub && mkdir /d/sub && echo y > /d/sub/g",
    "file-to-dir": "rm /d/f && mkdir /d/f && echo y > /d/f/g",
    "dir-to-file": "rm -rf /d/sub && echo z > /d/sub",
}
RW_MADE = "mkdir -p /n/sub /n/e && echo x > /n/sub/f && echo x > /n/f"
RW_CASES = {name: change.replace("/d/", "/n/").replace("/e", "/n/e") for name, change in LOWER_CASES.items()}
CASES = [(f"lower-{n}", "", c) for n, c in LOWER_CASES.items()] + [(f"rw-{n}", RW_MADE, c) for n, c in RW_CASES.items()]
SEEN = 'find /d /e /n 2>/dev/null | sort | xargs stat -c "%n %F"'


def _top_layer_entries(cli, image: str, folder) -> str:
    """The entries (name and tar type) of ``image``'s top layer, from ``save``."""
    archive = folder / f"{cli.label}.tar"
    result = cli("save", "-o", str(archive), image)
    if result.rc != 0:
        return f"save failed: {result.rc} {result.stderr}"
    with tarfile.open(archive) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))
        layer = outer.extractfile(manifest[0]["Layers"][-1]).read()
    with tarfile.open(fileobj=io.BytesIO(layer)) as tar:
        return "\n".join(f"{m.name} {m.type.decode() or '0'}" for m in tar)


def _context(folder, dockerfile: str) -> str:
    """A build context both engines read (one path, so the records match)."""
    folder.mkdir()
    (folder / "Dockerfile").write_text(dockerfile)
    return str(folder)


def _compare_result(rec, tmp_path, image: str) -> None:
    rec.note("top layer's entries", _top_layer_entries(rec.cli, image, tmp_path))
    rec.run("run", "--rm", image, "sh", "-c", SEEN)


def _on_base(engines, tmp_path, steps, base: str = "") -> None:
    """Compare ``steps(rec, folder, base)`` on both engines, each with the base image built
    and a folder of its own for its archives."""
    base = base or engines.image("whbase")
    base_context = _context(tmp_path / "base", BASE_DOCKERFILE)

    def scenario(rec):
        folder = tmp_path / rec.cli.label
        folder.mkdir()
        rec.setup("build", "-q", "-t", base, base_context)
        steps(rec, folder, base)

    engines.compare(scenario)


@pytest.mark.parametrize(("case", "made", "change"), CASES, ids=[c[0] for c in CASES])
def test_whiteouts_by_run(engines, tmp_path, case, made, change):
    name, image = engines.name("wh"), engines.image()

    def steps(rec, folder, base):
        rec.run("run", "--name", name, base, "sh", "-c", f"{made} && {change}" if made else change)
        rec.run("diff", name, compare="diffset")
        rec.setup("commit", name, image)
        _compare_result(rec, folder, image)
        rec.setup("rm", name)

    _on_base(engines, tmp_path, steps)


@pytest.mark.parametrize(("case", "made", "change"), CASES, ids=[c[0] for c in CASES])
def test_whiteouts_by_exec(engines, tmp_path, case, made, change):
    name, image = engines.name("wh"), engines.image()

    def steps(rec, folder, base):
        rec.setup("run", "-d", "--name", name, base, "sleep", "1000")
        if made:
            rec.run("exec", name, "sh", "-c", made)
        rec.run("exec", name, "sh", "-c", change)
        rec.run("exec", name, "sh", "-c", SEEN)
        rec.run("diff", name, compare="diffset")
        rec.setup("commit", name, image)
        _compare_result(rec, folder, image)
        rec.setup("rm", "-f", name)

    _on_base(engines, tmp_path, steps)


@pytest.mark.parametrize(("case", "made", "change"), CASES, ids=[c[0] for c in CASES])
def test_whiteouts_by_build(engines, tmp_path, case, made, change):
    base, image = engines.image("whbase"), engines.image()
    step_context = _context(tmp_path / "step", f"FROM {base}\nRUN {f'{made} && {change}' if made else change}\n")

    def steps(rec, folder, base):
        rec.setup("build", "-q", "-t", image, step_context)
        _compare_result(rec, folder, image)

    _on_base(engines, tmp_path, steps, base)
