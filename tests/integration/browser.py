"""Measure where a page's figures land in a real browser: Debian's headless Chromium, driven
by its command line alone (``--dump-dom``), with a script added to the page that writes
what it measured into the page.

``fits(url, width)`` opens ``url`` in a window ``width`` pixels wide, waits until its
images have loaded, and returns one record per figure (each ``<img>``, and each ``<svg>``
not inside another): its box, its natural size, the box of the element it is shown in
(``within``: the closest match of a CSS selector), its text alternative, and whether
the page scrolls sideways.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

__all__ = ["MEASURE", "chromium", "fits", "misfits"]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

MEASURE = """<script>
(function () {
  const within = %s, least = %d;
  function figures() {
    return [...document.querySelectorAll("img, svg")].filter(e => !e.parentElement.closest("svg"));
  }
  function report() {
    const found = figures();
    if (found.length < least || !found.every(e => e.tagName !== "IMG" || (e.complete && e.naturalWidth))) {
      setTimeout(report, 100);
      return;
    }
    const out = found.map(e => {
      const r = e.getBoundingClientRect(), box = (e.closest(within) || document.body).getBoundingClientRect();
      const cs = getComputedStyle(e), px = name => parseFloat(cs[name]) || 0;  // the drawing: inside border and padding
      const across = px("borderLeftWidth") + px("borderRightWidth") + px("paddingLeft") + px("paddingRight");
      const down = px("borderTopWidth") + px("borderBottomWidth") + px("paddingTop") + px("paddingBottom");
      const natural = e.tagName === "IMG" ? [e.naturalWidth, e.naturalHeight] : [e.width.baseVal.value, e.height.baseVal.value];
      const title = e.querySelector ? e.querySelector(":scope > title") : null;
      return {tag: e.tagName.toLowerCase(), left: r.left, right: r.right, width: r.width - across, height: r.height - down,
              natural: natural, within: [box.left, box.right], fit: getComputedStyle(e).objectFit,
              alt: e.getAttribute("alt") || (title ? title.textContent : "") || e.getAttribute("aria-label") || ""};
    });
    const pre = document.createElement("pre");
    pre.id = "dockersim-fit";
    pre.textContent = JSON.stringify({figures: out, sideways: document.documentElement.scrollWidth > innerWidth});
    document.body.appendChild(pre);
  }
  addEventListener("load", () => setTimeout(report, 100));
})();
</script>"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def with_measure(page: str, within: str, least: int = 1) -> str:
    """``page`` (HTML) with the measuring script added before ``</body>``."""
    script = MEASURE % (json.dumps(within), least)
    head, body, tail = page.rpartition("</body>")
    return head + script + body + tail if body else page + script


def fits(url: str, width: int, profile: Path, height: int = 900) -> dict:
    """What the measuring script (already in the page at ``url``) found, at ``width``."""
    dom = subprocess.run(
        [chromium(), *ARGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
         "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    ).stdout
    found = re.search(r'<pre id="dockersim-fit">(.*?)</pre>', dom, re.S)
    assert found, f"the page at {url} did not finish loading its figures"
    return json.loads(html.unescape(found.group(1)))


def misfits(measured: dict, grow: bool = False) -> list[str]:
    """Every way a figure failed to fit: cut at the right edge of what holds it, drawn wider
    than its natural size (unless it may ``grow``, as on a projector), or out of proportion
    (an ``object-fit: contain`` image keeps its proportions inside any box); and a page that
    scrolls sideways."""
    found = ["the page scrolls sideways"] if measured["sideways"] else []
    for figure in measured["figures"]:
        name = figure["alt"][:60] or figure["tag"]
        (natural_width, natural_height), (_, right) = figure["natural"], figure["within"]
        if figure["right"] > right + 0.5:
            found.append(f"{name}: its right edge at {figure['right']:.0f}px passes its cell's, {right:.0f}px")
        if not grow and figure["width"] > natural_width + 0.5:
            found.append(f"{name}: {figure['width']:.0f}px wide, past its natural {natural_width}px")
        if natural_width and natural_height and figure["height"] and figure["fit"] != "contain":
            ratio, natural = figure["width"] / figure["height"], natural_width / natural_height
            if abs(ratio / natural - 1) > 0.01:
                found.append(f"{name}: proportions {ratio:.3f}, not its own {natural:.3f}")
    return found
