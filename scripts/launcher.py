"""Write the ``dockersim`` command: a launcher that starts Python without ``site``.

Run by ``bootstrap.sh`` with the venv's interpreter, after pip has written its own
``bin/dockersim``, which it replaces. ``site`` costs about 1 ms of every command, yet all
it does for dockersim is add the venv's ``site-packages`` and the editable install's
folder to ``sys.path``; its other work (``help()``, ``exit()``, setuptools' distutils
shim) serves the REPL and builds. The launcher starts with ``-S`` and adds those folders
itself, as this interpreter's ``site`` found them now. Should pip write its script again
(``pip install -e .``), that one works too, only slower.

    python scripts/launcher.py .venv/bin/dockersim
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys

# Linux before 5.1 cuts a script's first line at 127 characters.
MAX_SHEBANG = 127

TEMPLATE = '''\
#!{python} -S
"""dockersim, started without `site` (written by scripts/launcher.py)."""
import sys

sys.path += {paths!r}
from simulator.cli import main

sys.exit(main())
'''


def site_paths(python: str) -> list[str]:
    """The ``sys.path`` entries ``site`` adds in ``python``, in its order."""

    def path(*flags: str) -> list[str]:
        shown = subprocess.run([python, *flags, "-c", "import sys; print(sys.path)"], cwd="/",
                               check=True, capture_output=True, text=True).stdout
        return ast.literal_eval(shown)

    bare = set(path("-S"))
    return [entry for entry in path() if entry not in bare]


def launcher(python: str, paths: list[str]) -> str | None:
    """The launcher's text, or None where its first line would be too long to run."""
    text = TEMPLATE.format(python=python, paths=paths)
    return None if len(text.partition("\n")[0]) > MAX_SHEBANG else text


def main(target: str) -> int:
    python = os.path.join(os.path.dirname(os.path.abspath(target)), "python")
    text = launcher(python, site_paths(python))
    if text is None:
        sys.stderr.write(f"launcher: {python} is too long a path for a first line; pip's script stays\n")
        return 0
    tmp = f"{target}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
