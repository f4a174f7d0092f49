"""The two forms of a deletion (tar and unpacked) agree in every reader and writer of layers."""

from __future__ import annotations

import io
import os
import tarfile

from simulator.sandbox.changes import changes
from simulator.sandbox.process import CopySnapshotter, union_copy
from simulator.sandbox.tarcodec import tar_upper, unpack_layer
from simulator.sandbox.whiteouts import is_opaque, is_whiteout, make_whiteout, mark_opaque


def _tar(entries: list[tuple[str, bytes | None]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _lower(tmp_path):
    """A lower layer holding d/f and d/sub/f."""
    lower = tmp_path / "lower"
    (lower / "d" / "sub").mkdir(parents=True)
    (lower / "d" / "f").write_text("x")
    (lower / "d" / "sub" / "f").write_text("x")
    return lower


def test_an_opaque_marker_unpacks_to_the_user_attribute_a_userxattr_mount_reads(tmp_path):
    layer = tmp_path / "layer.tar"
    layer.write_bytes(_tar([("d", None), ("d/sub", None), ("d/sub/.wh..wh..opq", b""), ("d/sub/g", b"y"),
                            ("d/.wh.f", b"")]))
    unpack_layer(layer, tmp_path / "diff")
    assert os.getxattr(tmp_path / "diff" / "d" / "sub", "user.overlay.opaque") == b"y"
    assert is_whiteout(os.lstat(tmp_path / "diff" / "d" / "f"))
    assert not os.path.lexists(tmp_path / "diff" / "d" / "sub" / ".wh..wh..opq")


def test_a_read_write_layer_with_an_opaque_directory_tars_and_diffs_as_docker_does(tmp_path):
    lower = _lower(tmp_path)
    upper = tmp_path / "upper"
    (upper / "d" / "sub").mkdir(parents=True)
    os.setxattr(upper / "d" / "sub", "user.overlay.opaque", b"y")  # as a userxattr mount writes it
    (upper / "d" / "sub" / "g").write_text("y")
    make_whiteout(upper / "d" / "f")

    assert [str(c) for c in changes(upper, [lower])] == ["C /d", "D /d/f", "C /d/sub", "D /d/sub/f", "A /d/sub/g"]
    out = io.BytesIO()
    tar_upper(upper, out)
    with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as tar:
        assert tar.getnames() == ["d", "d/.wh.f", "d/sub", "d/sub/.wh..wh..opq", "d/sub/g"]


def test_the_union_view_and_the_copy_tier_diff_honour_an_opaque_directory(tmp_path):
    lower = _lower(tmp_path)
    top = tmp_path / "top"
    (top / "d" / "sub").mkdir(parents=True)
    mark_opaque(top / "d" / "sub")
    (top / "d" / "sub" / "g").write_text("y")
    assert is_opaque(top / "d" / "sub")

    union_copy([lower, top], tmp_path / "flat")
    assert sorted(os.listdir(tmp_path / "flat" / "d" / "sub")) == ["g"]  # f is hidden: export shows the same

    containers = tmp_path / "containers"
    snapshotter = CopySnapshotter(containers)
    snapshotter.prepare("c1", [lower, top])
    assert [str(c) for c in snapshotter.changes("c1", [lower, top])] == []


def test_the_copy_tier_tells_a_directory_made_again_from_one_only_changed(tmp_path):
    lower = _lower(tmp_path)
    snapshotter = CopySnapshotter(tmp_path / "containers")
    snapshotter.prepare("c2", [lower])
    root = snapshotter.upper("c2")
    (root / "d" / "new").write_text("y")  # d only changed
    for name in os.listdir(root / "d" / "sub"):
        os.unlink(root / "d" / "sub" / name)
    os.rmdir(root / "d" / "sub")
    os.mkdir(root / "d" / "sub")  # sub made again: it hides what the image held in it
    changes, opaque = snapshotter.diff("c2", [lower])
    assert opaque == {"d/sub"}
    assert [str(c) for c in changes] == ["C /d", "A /d/new", "C /d/sub", "D /d/sub/f"]
    out = io.BytesIO()
    from simulator.sandbox.tarcodec import tar_copy

    tar_copy(root, changes, out, opaque)
    with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as tar:
        assert tar.getnames() == ["d", "d/new", "d/sub", "d/sub/.wh..wh..opq"]
