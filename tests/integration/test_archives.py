"""save/load, export/import: real archives, untrusted input."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

pytestmark = pytest.mark.sandbox


def _tar(path, entries) -> None:
    with tarfile.open(path, "w") as t:
        for kind, name, extra in entries:
            info = tarfile.TarInfo(name)
            if kind == "file":
                data = extra.encode()
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                info.type = tarfile.SYMTYPE if kind == "sym" else tarfile.LNKTYPE
                info.linkname = extra
                t.addfile(info)


def _store_listing(engine) -> list[str]:
    root = engine.store.root
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "containers" not in p.parts and p.name != "lock")


def test_save_then_load_keeps_image_ids_and_layers(engine, tmp_path, data_root):
    engine.run("busybox", ["sh", "-c", "echo hi > x; rm bin/ls"], name="src", workdir="/")
    image_id = engine.commit("src", "mine:1").stdout.strip()
    archive = tmp_path / "mine.tar"
    assert engine.save("mine:1", output=str(archive)).ok
    names = tarfile.open(archive).getnames()
    assert "manifest.json" in names and f"{image_id[7:]}.json" in names
    engine.rm("src")
    engine.rmi("mine:1")
    assert engine.load(input=str(archive)).stdout == "Loaded image: mine:1\n"
    assert engine.store.images.resolve("mine:1") == image_id
    assert engine.run("mine:1", ["sh", "-c", "cat x; test -e bin/ls || echo gone"], rm=True, workdir="/").stdout == "hi\ngone\n"


def test_export_then_import_flattens_to_one_layer(engine, tmp_path, tier):
    engine.run("busybox", ["sh", "-c", "echo hi > x"], name="src", workdir="/")
    flat = tmp_path / "flat.tar"
    assert engine.export("src", output=str(flat)).ok
    names = set(tarfile.open(flat).getnames())
    assert {"x", "bin/busybox"} <= names
    if tier == "namespace":  # the init layer's files, as in Docker's export
        assert {".dockerenv", "etc/hostname"} <= names
    image_id = engine.import_(str(flat), "flat:1", changes=['CMD ["sh"]']).stdout.strip()
    config = engine.store.images.config(image_id)
    assert len(config["rootfs"]["diff_ids"]) == 1 and config["config"]["Cmd"] == ["sh"]
    assert config["history"] == [{"created": config["created"], "comment": "Imported from -"}]
    assert engine.run("flat:1", ["cat", "x"], rm=True, workdir="/").stdout == "hi\n"


def test_entries_with_dot_dot_or_absolute_paths_stay_inside_the_layer(engine, tmp_path):
    archive = tmp_path / "dotdot.tar"
    _tar(archive, [("file", "../../tmp/dockersim-escape-x", "a"), ("file", "/tmp/dockersim-escape-y", "b")])
    image_id = engine.import_(str(archive), "dotdot:1").stdout.strip()
    layer = engine.store.layers.chain(engine.store.images.config(image_id)["rootfs"]["diff_ids"])[0]
    assert (layer.diff_dir / "tmp" / "dockersim-escape-x").read_text() == "a"
    assert not os.path.exists("/tmp/dockersim-escape-x") and not os.path.exists("/tmp/dockersim-escape-y")


@pytest.mark.parametrize("entries,message", [
    ([("sym", "up", "/"), ("file", "up/tmp/dockersim-escape-z", "x")], "leads outside the layer"),
    ([("hard", "h", "../../etc/passwd")], "invalid hardlink"),
])
def test_a_hostile_archive_is_refused_and_changes_nothing(engine, tmp_path, entries, message):
    archive = tmp_path / "hostile.tar"
    _tar(archive, entries)
    before = _store_listing(engine)
    step = engine.import_(str(archive), "hostile:1")
    assert step.exit_code == 1 and message in step.stderr
    assert _store_listing(engine) == before
    assert not os.path.exists("/tmp/dockersim-escape-z")


def test_a_load_whose_layer_does_not_match_its_diff_id_is_refused(engine, tmp_path):
    engine.run("busybox", ["sh", "-c", "echo hi > x"], name="src", workdir="/")
    image_id = engine.commit("src", "mine:1").stdout.strip()
    good = tmp_path / "good.tar"
    engine.save("mine:1", output=str(good))
    bad = tmp_path / "bad.tar"
    with tarfile.open(good) as src, tarfile.open(bad, "w") as dst:
        for member in src:
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name.endswith("layer.tar"):
                data = data[:-1024] + b"x" * 1024  # a tampered layer
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    engine.rm("src")
    engine.rmi("mine:1", force=True)
    before = _store_listing(engine)
    step = engine.load(input=str(bad))
    assert step.exit_code == 1 and "does not match the diffID" in step.stderr
    assert _store_listing(engine) == before
    assert image_id not in engine.store.images.ids()


def test_layers_unpack_with_a_python_that_knows_no_tar_filters(tmp_path, monkeypatch):
    """Debian 12's Python 3.11.2 predates tarfile's filters (3.11.4): a layer still unpacks."""
    import types

    from simulator.sandbox import tarcodec

    extract = tarfile.TarFile.extract

    def without_filters(self, member, path="", set_attrs=True, *, numeric_owner=False, **unknown):
        assert not unknown, f"this Python's TarFile.extract() takes no {sorted(unknown)}"
        return extract(self, member, path, set_attrs=set_attrs, numeric_owner=numeric_owner)

    old_tarfile = types.SimpleNamespace(**{k: v for k, v in vars(tarfile).items() if not k.endswith("_filter")})
    monkeypatch.setattr(tarcodec, "tarfile", old_tarfile)
    monkeypatch.setattr(tarfile.TarFile, "extract", without_filters)
    _tar(tmp_path / "layer.tar", [("file", "hello.txt", "hello\n"), ("sym", "link", "hello.txt")])
    tarcodec.unpack_layer(tmp_path / "layer.tar", tmp_path / "diff")
    assert (tmp_path / "diff" / "hello.txt").read_text() == "hello\n"
    assert os.readlink(tmp_path / "diff" / "link") == "hello.txt"
