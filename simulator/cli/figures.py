"""Where each CLI step's figure goes: ``DOCKERSIM_DIAGRAMS`` (default ``<root>/diagrams``).

Files are numbered in the order the steps happened (``0007-pause.svg``) and the newest is
also ``latest.svg``, so a viewer that reloads one file follows the class.
"""

from __future__ import annotations

import os
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

if TYPE_CHECKING:
    from pathlib import Path

    from ..engine import Engine
    from ..step import Step

__all__ = ["after_answer", "diagrams_dir", "is_step_figure", "step_figures", "step_number", "write_step_figure"]

# Set by a daemon's worker (see daemon.py): background drawing waits here until the worker
# has answered its client, then runs in the worker itself; no process is forked for it.
after_answer: "list | None" = None


def diagrams_dir(root: Path | str) -> Path | None:
    """The figure folder for data root ``root``, or None when figures are off."""
    setting = os.environ.get("DOCKERSIM_DIAGRAMS", "")
    if setting.lower() == "off":
        return None
    from pathlib import Path  # not before: with figures off, `ps` never needs it

    return Path(setting).expanduser() if setting else Path(root, "diagrams")


def write_step_figure(engine: "Engine", step: "Step", background: bool = False,
                      folder: Path | None = None) -> Path | None:
    """Render the state after ``step`` to an SVG file in ``folder`` (default: the engine's
    figure folder); never fail the command for it.

    ``background``: the command's answer is already printed; a forked child takes the
    snapshot and draws while the learner's prompt comes back (drawing costs ~40 ms, more
    than most commands). ``DOCKERSIM_DIAGRAMS_WAIT=1`` waits for it (tests, scripts).
    """
    try:
        target = folder or diagrams_dir(engine.store.location)
        if target is None:
            return None
        from ..render.backend import renderer

        if not renderer():
            return None
        path = _reserve(engine, target, step.verb)
        wait = bool(os.environ.get("DOCKERSIM_DIAGRAMS_WAIT"))
        if not background:
            _draw(engine, step, path)
        elif after_answer is not None and not wait:
            after_answer.append(lambda: _draw(engine, step, path))
        else:
            _in_child(lambda: _draw(engine, step, path), wait=wait)
        return path
    except Exception as err:  # noqa: BLE001 - a figure is a by-product of the command
        import sys

        sys.stderr.write(f"dockersim: the figure of this step was not drawn: {err}\n")
        return None


def step_number(name: str) -> int:
    """The step a file of the figure folder belongs to (``0007-pause.svg``: 7), or 0."""
    head, dash, _ = name.partition("-")
    return int(head) if dash and len(head) >= 4 and head.isdigit() else 0


def is_step_figure(name: str) -> bool:
    """Whether ``name`` is a step's figure, ``NNNN-verb.svg`` or ``NNNN-container-prune.svg``
    (and so nothing else: the live page serves only such names)."""
    verb = name.partition("-")[2].removesuffix(".svg")
    words = verb.split("-")
    return bool(step_number(name)) and name.endswith(".svg") and all(w.isascii() and w.isalpha() for w in words)


def step_figures(folder: Path) -> list[Path]:
    """The folder's step figures, oldest first: by number, so step 10000 comes after 9999."""
    return sorted((p for p in folder.glob("[0-9]*-*.svg") if is_step_figure(p.name)), key=lambda p: step_number(p.name))


def _reserve(engine: "Engine", target: Path, verb: str) -> Path:
    """The next number in the folder, taken under the store lock (a placeholder holds it)."""
    target.mkdir(parents=True, exist_ok=True)
    with engine.store.lock():
        number = max((step_number(p.name) for p in target.iterdir()), default=0) + 1
        path = target / f"{number:04d}-{verb.replace(' ', '-')}.svg"  # container prune: one word
        path.with_suffix(".svg.part").touch()
    return path


def _draw(engine: "Engine", step: "Step", path: Path) -> None:
    from ..store import write_atomic

    import json

    from ..i18n import language, narrate

    step.after = engine.snapshot()
    svg = step.figure().pipe(format="svg")
    about = {"command": step.command, "exit_code": step.exit_code, "narration": narrate(step.verb, language())}
    write_atomic(path.with_suffix(".json"), json.dumps(about, ensure_ascii=False).encode())  # for the live page
    write_atomic(path, svg)
    path.with_suffix(".svg.part").unlink(missing_ok=True)
    with engine.store.lock():  # latest.svg shows the newest step, whichever finishes first
        if step_figures(path.parent)[-1] == path:
            write_atomic(path.parent / "latest.svg", svg)


def _in_child(work, wait: bool) -> None:
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if not wait and os.fork():  # the drawer is nobody's child: `dockersim shell`,
                os._exit(0)             # which lives for a whole lesson, gathers no zombies
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):  # a $(dockersim ps) must not wait for the drawing
                os.dup2(devnull, fd)
            if not wait:
                os.nice(10)  # the learner's next command comes first; the figure can wait
            work()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)  # at once unless ``wait``: the first child only forks the drawer
