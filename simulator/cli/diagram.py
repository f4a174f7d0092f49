"""``dockersim diagram``: draw the current state, or the command map, to a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .flags import CommandSpec, Flag, parse_or_answer

__all__ = ["SPEC", "main"]

FORMATS = ("svg", "png", "pdf")
SPEC = CommandSpec(
    "diagram", "[OPTIONS]", "Draw the current state of every image and container (or the command map)",
    (
        Flag("format", "f", "str", "svg, png or pdf", default="svg"),
        Flag("output", "o", "str", "Write to this file (default: diagram.<format> in the figure folder)"),
        Flag("open", help="Open the file with the desktop's viewer"),
        Flag("map", help="Draw the command map instead of the state"),
        Flag("lang", kind="str", help="en or zh (default: DOCKERSIM_LANG)"),
        Flag("theme", kind="str", help="light or dark (default: DOCKERSIM_THEME)"),
    ),
    0, 0,
)


def main(argv: list[str]) -> int:
    parsed = parse_or_answer(SPEC, argv)
    if isinstance(parsed, int):
        return parsed
    o = parsed.options
    fmt = o["format"].lower()
    if fmt not in FORMATS:
        sys.stderr.write(f"dockersim: unknown format {fmt!r}: use svg, png or pdf\n")
        return 1
    from ..engine import Engine
    from ..i18n import language, theme_name
    from ..render import command_map, scene
    from .figures import diagrams_dir

    from ..render.backend import renderer

    renderer()  # finds dot, or the pip-installed graphviz-pure
    engine = Engine(snapshots="none")
    lang = language(o["lang"])
    graph = command_map(lang=lang) if o["map"] else scene(engine.snapshot(), title="$ docker diagram", lang=lang, theme=theme_name(o["theme"]))
    target = Path(o["output"]) if o["output"] else (diagrams_dir(engine.store.root) or Path.cwd()) / f"diagram.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = graph.pipe(format=fmt)
    except Exception as err:  # noqa: BLE001 - no dot, or dot refused
        sys.stderr.write(f"dockersim: could not draw ({err}); install Graphviz (apt-get install graphviz)\n")
        return 1
    target.write_bytes(data)
    sys.stdout.write(f"{target}\n")
    if o["open"]:
        import subprocess

        opener = "open" if sys.platform == "darwin" else "xdg-open"
        try:
            subprocess.Popen([opener, str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, env=dict(os.environ))
        except FileNotFoundError:
            sys.stderr.write(f"dockersim: no {opener} here to open {target}\n")
    return 0
