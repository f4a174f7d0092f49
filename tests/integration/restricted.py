"""Run a command as a classroom machine would: a non-root user who cannot create user
namespaces (as in many JupyterHub pods).

Usage (as root): ``python restricted.py UID -- COMMAND...``. It makes a user namespace whose
ids map one to one onto the host's, forbids any further user namespace inside it
(``user.max_user_namespaces = 0``), becomes ``UID`` and runs the command. Nothing on the host
is changed.

That user can read nothing private to the test's own user, and a checkout may well be
private (a ``mktemp -d`` folder, a home of mode 0700): ``install`` gives it dockersim as a
class would have it, installed into an environment of its own, with an interpreter it may run.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from simulator.sandbox import linux  # noqa: E402

UID = 65534  # nobody: owns nothing, in no group; the one the tests become

# Left out of the copy: the editable install points into the checkout, and pip is not needed
# by a user who installs nothing.
_NOT_COPIED = ("__editable__*", "dockersim-*", "pip", "pip-*")
# Left out of a copy of the standard library: what neither dockersim nor a kernel imports.
_NOT_IN_STDLIB = ("site-packages", "test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "config-*")


def install(uid: int, place: Path, files: tuple[str, ...] = ()) -> Path:
    """Make in ``place`` a virtual environment that ``uid`` may run, with a copy of dockersim
    and of the dependencies of the environment running the tests, and copy there ``files``
    (paths relative to the checkout, e.g. the notebooks). Return its ``bin/python``.

    Files are hard-linked where the link is as good as a copy (same file system, already
    readable by anyone), so a session pays about a second. The interpreter is the one behind
    the tests' environment, or a copy of it (see ``_interpreters``). Raises ``LookupError``
    saying why when ``uid`` can run neither."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    venv = place / "venv"
    site = venv / "lib" / f"python{version}" / "site-packages"
    for source in dict.fromkeys(p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p)):
        _share(Path(source), site, skip=_NOT_COPIED)
    _share(REPO / "simulator", site / "simulator")
    for name in files:
        if (REPO / name).is_dir():
            _share(REPO / name, place / name)
        else:
            _share_file(REPO / name, place / name)
    (venv / "bin").mkdir()
    for folder, _, _ in os.walk(place):  # made under any umask; the files have their own modes
        os.chmod(folder, 0o755)
    python = venv / "bin" / "python"
    tried = []
    for candidate in _interpreters(place / "python"):
        python.unlink(missing_ok=True)
        python.symlink_to(candidate)
        (venv / "pyvenv.cfg").write_text(f"home = {os.path.dirname(candidate)}\ninclude-system-site-packages = false\n")
        os.chmod(venv / "pyvenv.cfg", 0o644)
        # a compiled extension, and the package with its pure-Python dependencies
        probe = run(uid, [str(python), "-c", "import psutil, simulator.engine"], cwd="/")
        if probe.returncode == 0:
            return python
        tried.append(f"{candidate}: {(probe.stderr.strip().splitlines() or [f'exit {probe.returncode}'])[-1]}")
    raise LookupError(f"no Python {version} that uid {uid} may run ({'; '.join(tried)})")


def scratch(prefix: str) -> Path:
    """A new folder of mode 0755 that another user can reach: in the temp dir, unless that is
    private (a ``TMPDIR`` in a home of mode 0700), then in /tmp."""
    base = Path(tempfile.gettempdir())
    if not all(os.stat(folder).st_mode & 0o001 for folder in (base, *base.parents)):
        base = Path("/tmp")
    made = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    os.chmod(made, 0o755)
    return made


def command(uid: int, argv: list[str]) -> list[str]:
    """The command line that runs ``argv`` as ``uid`` without user namespaces."""
    return [sys.executable, __file__, str(uid), "--", *argv]


def run(uid: int, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    """``argv`` as ``uid`` without user namespaces (output captured as text; ``kwargs`` as for
    ``subprocess.run``)."""
    return subprocess.run(command(uid, argv), capture_output=True, text=True, **kwargs)


def _interpreters(copy: Path) -> Iterator[str]:
    """The interpreter behind the tests' environment (its packages were installed for it),
    then, if it may not be run from where it is (a pyenv under a home of mode 0700), a copy
    of it made in ``copy``."""
    executable = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    yield executable
    base = Path(sys.base_prefix)
    if not Path(executable).is_relative_to(base):
        return
    stdlib = Path(sysconfig.get_path("stdlib"))
    _share(stdlib, copy / stdlib.relative_to(base), skip=_NOT_IN_STDLIB)
    libdir = sysconfig.get_config_var("LIBDIR") or ""
    library = Path(libdir, sysconfig.get_config_var("INSTSONAME") or "")
    if sysconfig.get_config_var("Py_ENABLE_SHARED") and library.is_file() and library.is_relative_to(base):
        _share_file(library, copy / library.relative_to(base))
    relocated = copy / Path(executable).relative_to(base)
    relocated.parent.mkdir(parents=True, exist_ok=True)
    binary = Path(executable).read_bytes()
    where = libdir.encode() + b"\0"  # an absolute RUNPATH would send the loader back to the original
    if libdir and binary.count(where) == 1:
        origin = b"$ORIGIN/" + os.path.relpath(libdir, os.path.dirname(executable)).encode()
        if len(origin) < len(where):
            binary = binary.replace(where, origin.ljust(len(where), b"\0"))
    relocated.write_bytes(binary)
    os.chmod(relocated, 0o755)
    for folder, _, _ in os.walk(copy):
        os.chmod(folder, 0o755)
    yield str(relocated)


def _share(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """Give ``target`` the files of the tree ``source`` that it lacks (the first tree given
    wins, as on ``sys.path``), but none named like ``skip`` at the top."""
    for folder, dirs, names in os.walk(source):
        if folder == str(source):
            dirs[:] = [d for d in dirs if not any(fnmatch.fnmatch(d, pattern) for pattern in skip)]
            names = [n for n in names if not any(fnmatch.fnmatch(n, pattern) for pattern in skip)]
        into = target / os.path.relpath(folder, source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            if not os.path.lexists(into / name):
                _share_file(Path(folder) / name, into / name)


def _share_file(source: Path, target: Path) -> None:
    """Hard-link ``source`` at ``target`` if anyone may read it already, else copy it and
    make the copy readable (never change the checkout's own file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        target.symlink_to(os.readlink(source))
        return
    mode = source.stat().st_mode
    if mode & 0o004:
        try:
            os.link(source, target)
            return
        except OSError:  # another file system, or links refused: copy
            pass
    shutil.copy2(source, target)
    os.chmod(target, mode | 0o444 | (0o111 if mode & 0o100 else 0))


def main(argv: list[str]) -> int:
    uid = int(argv[0])
    to_run = argv[argv.index("--") + 1:]
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(to_child_w)
        os.close(to_parent_r)
        linux.unshare(linux.CLONE_NEWUSER)
        os.write(to_parent_w, b"x")
        os.read(to_child_r, 1)  # the parent has written our id maps
        Path("/proc/sys/user/max_user_namespaces").write_text("0")
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        os.execvp(to_run[0], to_run)
    os.close(to_child_r)
    os.close(to_parent_w)
    os.read(to_parent_r, 1)
    Path(f"/proc/{pid}/uid_map").write_text("0 0 65536\n")
    Path(f"/proc/{pid}/gid_map").write_text("0 0 65536\n")
    os.write(to_child_w, b"x")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
