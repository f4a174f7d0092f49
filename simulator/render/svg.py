"""A figure's SVG, finished for every place it is shown: a notebook cell, the live page, the
gallery, a file opened on its own.

Graphviz writes the drawing's natural size in points (``width="1069pt"``) beside its
``viewBox``. Inline, those points are a fixed width, wider than a notebook cell, and the
cell crops the figure at its right edge. A finished SVG keeps the natural size (so an
``<img>`` of it has one, and a small figure is never blown up) and adds
``style="max-width:100%;height:auto"``: inline, it shrinks to the width it is given and
keeps its proportions through the viewBox. It also says what it shows: ``role="img"`` with
a ``<title>`` (the command) and a ``<desc>`` (what the figure shows) as its first children,
which is the SVG's text alternative; ``img_tag`` gives the same words to an ``<img>``.

Pure string work: nothing here runs ``dot``.
"""

from __future__ import annotations

import base64
import re
from html import escape, unescape

__all__ = ["FIT", "finish", "img_tag", "natural_size", "text_alternative"]

FIT = "max-width:100%;height:auto"  # shrink to the width given, keep the proportions

_OPEN = re.compile(r"<svg\b[^>]*>")
_LENGTH = re.compile(r'\b(width|height)="([0-9.]+)(pt|px)?"')
_PX_PER = {"pt": 4 / 3, "px": 1.0, None: 1.0}  # CSS: 96 px to the inch, 72 pt


def finish(svg: str, title: str, desc: str = "") -> str:
    """``svg`` (as Graphviz wrote it) made to fit the width it is shown in, with ``title`` and
    ``desc`` as its text alternative. Finishing twice changes nothing more.

    >>> out = finish('<svg width="900pt" height="300pt" viewBox="0 0 900 300"><g/></svg>', "$ docker start web", "a <figure>")
    >>> out.split("<g/>")[0]
    '<svg role="img" style="max-width:100%;height:auto" width="900pt" height="300pt" viewBox="0 0 900 300"><title>$ docker start web</title><desc>a &lt;figure&gt;</desc>'
    >>> finish(out, "$ docker start web", "a <figure>") == out
    True
    """
    opening = _OPEN.search(svg)
    if opening is None:
        raise ValueError("not an SVG document: no <svg> element")
    tag = opening.group(0)
    if 'role="img"' in tag:
        return svg
    text = f"<title>{escape(title, quote=False)}</title>" + (f"<desc>{escape(desc, quote=False)}</desc>" if desc else "")
    tag = tag.replace("<svg", f'<svg role="img" style="{FIT}"', 1)
    return svg[:opening.start()] + tag + text + svg[opening.end():]


def natural_size(svg: str) -> tuple[int, int]:
    """The drawing's natural width and height in CSS pixels (0, 0 when it states none)."""
    opening = _OPEN.search(svg)
    sizes = dict.fromkeys(("width", "height"), 0.0)
    for name, number, unit in _LENGTH.findall(opening.group(0) if opening else ""):
        sizes[name] = float(number) * _PX_PER[unit or None]
    return round(sizes["width"]), round(sizes["height"])


def text_alternative(svg: str) -> str:
    """The words a finished SVG gives as its text alternative: its title and description."""
    found = re.search(r"<svg\b[^>]*>\s*<title>(.*?)</title>(?:<desc>(.*?)</desc>)?", svg, re.S)
    if not found:
        return ""
    return ": ".join(unescape(part) for part in found.groups() if part)


def img_tag(svg: str, alt: str = "") -> str:
    """An ``<img>`` of ``svg`` (inline, as a data URL) that shrinks to fit as the SVG does,
    with ``alt`` (by default the SVG's own title and description) as its text alternative:
    the form HTML pages and notebook front ends give alternative text to."""
    width, height = natural_size(svg)
    size = f' width="{width}" height="{height}"' if width and height else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="dockersim-figure" alt="{escape(alt or text_alternative(svg))}"{size} style="{FIT}" '
            f'src="data:image/svg+xml;base64,{data}">')
