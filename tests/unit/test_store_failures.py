"""The store on a disk that fills up half-way, and what an OSError of the data root means."""

from __future__ import annotations

import errno
import os

import pytest

from simulator.model.errors import DaemonError, DataRootError
from simulator.store import Store, write_atomic
from simulator.store.oserrors import explain, layer_error

FULL = OSError(errno.ENOSPC, "No space left on device")


def _files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_a_write_that_fails_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "repositories.json"
    target.write_bytes(b"old")

    def full(fd, data):
        raise FULL

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["repositories.json"]


def _commit(store: Store, diff_id: str, config: dict, tag: str) -> None:
    """What a commit adds, in its order, inside the lock and an undo."""
    from simulator.model.objects import parse_image_ref

    with store.lock(), store.undo() as undo, store.layers.staged() as staged:
        (staged / "diff").mkdir()
        (staged / "layer.tar").write_bytes(b"")
        undo.register(staged, diff_id, "", 0)
        image_id = undo.put(config)
        store.images.set_parent(image_id, "")
        store.images.tag(parse_image_ref(tag), image_id)


@pytest.mark.parametrize("failing", ["put_bytes", "set_parent", "tag"])
def test_a_commit_that_fails_after_its_layer_takes_everything_back(tmp_path, monkeypatch, failing):
    store = Store(tmp_path / "root")
    _commit(store, "sha256:" + "1" * 64, {"a": 1}, "base:latest")  # what was there before
    before = _files(tmp_path / "root")

    def full(*args, **kwargs):
        raise FULL

    monkeypatch.setattr(type(store.images), failing, full)
    with pytest.raises(OSError):
        _commit(store, "sha256:" + "2" * 64, {"a": 2}, "new:latest")
    assert _files(tmp_path / "root") == before  # no layer, no config, no parent note, no tag


def test_what_was_stored_before_stays_when_a_commit_sharing_it_fails(tmp_path, monkeypatch):
    store = Store(tmp_path / "root")
    _commit(store, "sha256:" + "1" * 64, {"a": 1}, "base:latest")
    before = _files(tmp_path / "root")
    monkeypatch.setattr(type(store.images), "tag", lambda *a: (_ for _ in ()).throw(FULL))
    with pytest.raises(OSError):
        _commit(store, "sha256:" + "1" * 64, {"a": 1}, "again:latest")  # the same layer and config
    assert _files(tmp_path / "root") == before
    assert store.images.tags() == {"base:latest": store.images.ids()[0]}


def test_explain_tells_the_root_from_the_rest():
    root = "/srv/dockersim"
    refused = explain(PermissionError(errno.EACCES, "Permission denied", f"{root}/lock"), root)
    assert isinstance(refused, DataRootError) and str(refused) == (
        f"dockersim: cannot use {root} as the data root ({root}/lock: Permission denied): "
        "set DOCKERSIM_ROOT to a folder you can write")
    read_only = explain(OSError(errno.EROFS, "Read-only file system", root), root)
    assert "(Read-only file system)" in str(read_only)
    above = explain(NotADirectoryError(errno.ENOTDIR, "Not a directory", "/srv"), root)
    assert isinstance(above, DataRootError)
    # a container file gone under a command's feet is no fault of the root: seen as it is
    assert explain(FileNotFoundError(errno.ENOENT, "No such file", f"{root}/containers/x"), root) is None
    assert explain(PermissionError(errno.EACCES, "Permission denied", "/etc/shadow"), root) is None
    secret = f"{root}/containers/{'a' * 64}/rootfs/tmp/secret"  # chmod 000 inside a container
    assert explain(PermissionError(errno.EACCES, "Permission denied", secret), root) is None
    assert explain(PermissionError(errno.EPERM, "mount: Operation not permitted"), root) is None
    copy = explain(OSError(errno.ENOSPC, "No space left on device", "/usr/bin/busybox", None, f"{root}/x/busybox"), root)
    assert str(copy) == f"Error response from daemon: write {root}/x/busybox: no space left on device"
    full = explain(OSError(errno.ENOSPC, "No space left on device"), root)
    assert isinstance(full, DaemonError) and str(full) == f"Error response from daemon: write {root}: no space left on device"


def test_a_full_disk_names_the_file_of_the_layer_as_docker_does(tmp_path):
    staged = tmp_path / ".tmp-1"
    (staged / "diff" / "data").mkdir(parents=True)
    unpacking = OSError(errno.ENOSPC, "No space left on device", str(staged / "diff" / "data" / "big"))
    assert str(layer_error(unpacking, str(staged))) == (
        "Error response from daemon: Error processing tar file(exit status 1): write /data/big: no space left on device")
    copying = OSError(errno.ENOSPC, "No space left on device", "/usr/bin/busybox", None, str(staged / "diff" / "bin" / "busybox"))
    assert str(layer_error(copying, str(staged), pull=True)) == (
        "failed to register layer: Error processing tar file(exit status 1): write /bin/busybox: no space left on device")


def test_a_half_written_layer_tar_tells_which_file_did_not_fit(tmp_path):
    import io
    import tarfile

    staged = tmp_path / ".tmp-1"
    staged.mkdir()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, size in (("etc", 0), ("etc/big", 40000)):
            info = tarfile.TarInfo(name)
            info.size = size
            tar.addfile(info, io.BytesIO(b"x" * size))
    (staged / "layer.tar").write_bytes(buffer.getvalue()[:20000])  # cut inside etc/big
    assert "write /etc/big: no space" in str(layer_error(OSError(errno.ENOSPC, "full"), str(staged)))
    assert layer_error(OSError(errno.EIO, "I/O error"), str(staged)) is None  # only a full disk is worded so


def test_a_load_that_fails_at_its_second_tag_puts_the_first_back(tmp_path, monkeypatch):
    from simulator.model.objects import parse_image_ref

    store = Store(tmp_path / "root")
    _commit(store, "sha256:" + "1" * 64, {"a": 1}, "web:latest")  # web:latest names the old image
    tags, before = store.images.tags(), _files(tmp_path / "root")
    real_tag, calls = type(store.images).tag, []

    def second_fails(self, ref, image_id):
        calls.append(str(ref))
        if len(calls) == 2:
            raise FULL
        real_tag(self, ref, image_id)

    monkeypatch.setattr(type(store.images), "tag", second_fails)
    with pytest.raises(OSError):
        with store.lock(), store.undo() as undo:
            image_id = undo.put_bytes(b'{"a":2}')
            undo.tag(parse_image_ref("web:latest"), image_id)  # moved to the new image...
            undo.tag(parse_image_ref("db:latest"), image_id)  # ...then the disk is full
    assert calls == ["web:latest", "db:latest"]
    assert store.images.tags() == tags and _files(tmp_path / "root") == before
