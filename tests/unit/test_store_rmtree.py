"""The store removes what overlayfs leaves behind, whoever owns the data root."""

from __future__ import annotations

import os
import shutil
import tempfile

from simulator.store.atomic import rmtree

NOBODY = 65534


def _as_owner(path, action) -> int:
    """Run ``action()`` as the owner of ``path``'s files: root reads through any permission,
    a user does not, and the case at hand is a user's (a non-root namespace tier)."""
    if os.geteuid() != 0:
        action()
        return 0
    for dirpath, dirnames, filenames in os.walk(path):
        for name in (dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)):
            os.lchown(name, NOBODY, NOBODY)
    pid = os.fork()
    if pid == 0:
        try:
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
            action()
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_rmtree_removes_a_directory_its_owner_may_not_enter():
    # overlayfs leaves work/work with mode 000 in a read-write layer's scratch directory;
    # the folder is one another user can reach (pytest's own are private to their owner)
    top = tempfile.mkdtemp(prefix="dockersim-rmtree-")
    try:
        os.chmod(top, 0o777)
        tree = os.path.join(top, "container")
        inner = os.path.join(tree, "work", "work", "inner")
        os.makedirs(inner)
        with open(os.path.join(inner, "file"), "w") as f:
            f.write("x")
        os.chmod(inner, 0)
        os.chmod(os.path.dirname(inner), 0)
        assert _as_owner(tree, lambda: rmtree(tree)) == 0
        assert not os.path.exists(tree)
    finally:
        shutil.rmtree(top, ignore_errors=True)
