"""Colours and fonts, in one table per theme (as transitions keeps its style_attributes).

The palette is Okabe and Ito's, which stays distinct for colour-blind viewers; each
meaning also has a shape or a word, never a colour alone (a paused process space says so).
"""

from __future__ import annotations

__all__ = ["THEMES", "theme"]

_FONT = "Noto Sans CJK SC,WenQuanYi Micro Hei,DejaVu Sans,Helvetica"

THEMES: dict[str, dict[str, str]] = {
    "light": {
        "font": _FONT,
        "mono": "DejaVu Sans Mono,Courier",
        "background": "white",
        "text": "#222222",
        "muted": "#666666",
        "layer": "#dcdcdc",
        "layer_border": "#7f7f7f",
        "rw": "#f7ef8a",  # Okabe-Ito yellow, lightened
        "rw_border": "#9a8a00",
        "process_space": "#d5ecfa",  # sky blue, lightened
        "process_border": "#56b4e9",
        "paused": "#a9cbe6",  # blue, lightened
        "paused_border": "#0072b2",
        "union": "#e3f4ea",  # bluish green, lightened
        "union_border": "#009e73",
        "static": "#f4f4f4",
        "container": "white",
        "highlight": "#d55e00",  # vermillion: what this step changed
        "edge": "#666666",
        "image_tag": "white",
    },
    "dark": {
        "font": _FONT,
        "mono": "DejaVu Sans Mono,Courier",
        "background": "#1e1e1e",
        "text": "#eeeeee",
        "muted": "#aaaaaa",
        "layer": "#4a4a4a",
        "layer_border": "#9a9a9a",
        "rw": "#6b6500",
        "rw_border": "#f0e442",
        "process_space": "#1f4a66",
        "process_border": "#56b4e9",
        "paused": "#0b3553",
        "paused_border": "#7fc4f0",
        "union": "#0f4536",
        "union_border": "#009e73",
        "static": "#2a2a2a",
        "container": "#262626",
        "highlight": "#ff8c3a",
        "edge": "#aaaaaa",
        "image_tag": "#333333",
    },
}


def theme(name: str | None = None) -> dict[str, str]:
    """The colours of theme ``name`` (light when none or unknown; the front ends read
    ``DOCKERSIM_THEME``, see ``i18n.theme_name``)."""
    return THEMES.get(name or "light", THEMES["light"])
