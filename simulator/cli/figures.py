"""Where each CLI step's figure goes: ``DOCKERSIM_DIAGRAMS`` (default ``<root>/diagrams``).

Files are numbered in the order the steps happened (``0007-pause.svg``) and the newest is
also ``latest.svg``, so a viewer that reloads one file follows the class.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

if TYPE_CHECKING:
    from ..engine import Engine
    from ..step import Step

__all__ = ["diagrams_dir", "write_step_figure"]


def diagrams_dir(root: Path) -> Path | None:
    setting = os.environ.get("DOCKERSIM_DIAGRAMS", "")
    if setting.lower() == "off":
        return None
    return Path(setting).expanduser() if setting else root / "diagrams"


def write_step_figure(engine: "Engine", step: "Step") -> Path | None:
    """Render the state after ``step`` to an SVG file; never fail the command for it."""
    try:
        return _write(engine, step)
    except Exception as err:  # noqa: BLE001 - a figure is a by-product of the command
        import sys

        sys.stderr.write(f"dockersim: the figure of this step was not drawn: {err}\n")
        return None


def _write(engine: "Engine", step: "Step") -> Path | None:
    from ..store import write_atomic

    target = diagrams_dir(engine.store.root)
    if target is None or shutil.which("dot") is None:
        return None
    step.after = engine.snapshot()
    svg = step.figure().pipe(format="svg")
    target.mkdir(parents=True, exist_ok=True)
    with engine.store.lock():
        numbers = [int(m.group(1)) for p in target.iterdir() if (m := re.match(r"(\d{4,})-", p.name))]
        path = target / f"{max(numbers, default=0) + 1:04d}-{step.verb}.svg"
        write_atomic(path, svg)
        write_atomic(target / "latest.svg", svg)
    return path
