"""Which program turns our DOT into pictures: Graphviz's ``dot`` where the system has it, else
``graphviz-pure`` (a pip-installable port, ``pip install graphviz-pure``) for pip-only places
such as a hosted notebook. The figure says when the fallback drew it.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

__all__ = ["renderer"]


def _which(program: str, path: str | None = None) -> str | None:
    """``shutil.which`` for a plain name, without importing shutil on every CLI call."""
    for folder in (path if path is not None else os.environ.get("PATH", os.defpath)).split(os.pathsep):
        candidate = os.path.join(folder, program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@functools.cache
def renderer() -> str:
    """"dot", "graphviz-pure" (then made reachable as ``dot``), or "" when neither is here."""
    if _which("dot"):
        return "dot"
    pure = _which("graphviz-pure") or _which("graphviz-pure", path=str(Path(sys.executable).parent))
    if not pure:
        return ""
    # the graphviz package runs a program called "dot": give it one
    shim = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dockersim" / "bin"
    shim.mkdir(parents=True, exist_ok=True)
    link = shim / "dot"
    if not link.exists():
        tmp = shim / f".dot.{os.getpid()}"
        tmp.symlink_to(pure)
        os.replace(tmp, link)
    os.environ["PATH"] = f"{shim}{os.pathsep}{os.environ.get('PATH', '')}"
    return "graphviz-pure"
