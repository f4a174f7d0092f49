"""The freezer's wait for the kernel ends when the cgroup goes away under it.

``docker kill`` of a paused container thaws it; the container's processes then die and its
shim removes the freezer cgroup, possibly while ``thaw`` is still reading its state file.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from simulator.sandbox.freezer import CgroupV1Freezer


def _freezer_in(folder: Path) -> CgroupV1Freezer:
    freezer = CgroupV1Freezer("c0ffee")
    freezer.path = folder
    return freezer


@pytest.mark.parametrize("code", [errno.ENODEV, errno.ENOENT])
def test_a_cgroup_removed_while_waiting_counts_as_thawed(tmp_path: Path, code: int) -> None:
    reads: list[int] = []

    def removed() -> str:
        reads.append(1)
        raise OSError(code, "cgroup removed")

    _freezer_in(tmp_path)._set("freezer.state", "THAWED", removed, "THAWED")
    assert (tmp_path / "freezer.state").read_text() == "THAWED"
    assert reads == [1]


def test_other_errors_still_surface(tmp_path: Path) -> None:
    def refused() -> str:
        raise PermissionError(errno.EACCES, "refused")

    with pytest.raises(PermissionError):
        _freezer_in(tmp_path)._set("freezer.state", "FROZEN", refused, "FROZEN")
