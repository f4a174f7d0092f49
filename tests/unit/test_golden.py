"""Golden figures: the DOT source of a few fixed states, byte for byte.

A change to the drawing shows up here as a diff to review; after looking at the new
figure, refresh the files with ``DOCKERSIM_UPDATE_GOLDEN=1 make test``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.render import scene, step_figure
from simulator.step import ContainerView, ImageView, LayerView, ProcessView, Snapshot, Step

GOLDEN = Path(__file__).parent / "golden"

BASE = LayerView("sha256:" + "a1" * 32, "sha256:" + "a1" * 32, 1_984_132, "Imported from -")
TOP = LayerView("sha256:" + "b2" * 32, "sha256:" + "c3" * 32, 6, "/bin/sh -c #(nop) COPY file:x in /app/ ")
BUSYBOX = ImageView("sha256:" + "d4" * 32, ("busybox:latest",), (BASE,), union=("bin", "dev", "etc", "proc", "sys", "tmp"))
APP = ImageView("sha256:" + "e5" * 32, ("app:1",), (BASE, TOP))
WEB_CREATED = ContainerView("f6" * 32, "web", "created", BUSYBOX.id, "busybox", "sleep 1000")
WEB_RUNNING = WEB_CREATED._replace(status="running", changes=("C /tmp", "A /tmp/x"),
                                   processes=(ProcessView(1, 4242, "sleep 1000"),))
DB_PAUSED = ContainerView("07" * 32, "db", "paused", APP.id, "app:1", "sleep 1000",
                          processes=(ProcessView(1, 4343, "sleep 1000"),))

FIGURES = {
    "scene.gv": lambda: scene(Snapshot((BUSYBOX, APP), (WEB_RUNNING, DB_PAUSED), "namespace"), title="$ docker ps -a"),
    "step-start.gv": lambda: step_figure(Step("start web", before=Snapshot((BUSYBOX,), (WEB_CREATED,), "namespace"),
                                              after=Snapshot((BUSYBOX,), (WEB_RUNNING,), "namespace"), verb="start")),
    "step-start-zh.gv": lambda: step_figure(Step("start web", before=Snapshot((BUSYBOX,), (WEB_CREATED,), "namespace"),
                                                 after=Snapshot((BUSYBOX,), (WEB_RUNNING,), "namespace"), verb="start"),
                                            lang="zh"),
    "scene-dark.gv": lambda: scene(Snapshot((BUSYBOX,), (WEB_RUNNING,)), theme="dark"),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_figure_is_what_was_looked_at(name):
    source = FIGURES[name]().source
    path = GOLDEN / name
    if os.environ.get("DOCKERSIM_UPDATE_GOLDEN"):
        path.write_text(source)
    assert path.exists(), f"no golden file {path}: run with DOCKERSIM_UPDATE_GOLDEN=1 after looking at the figure"
    assert source == path.read_text()
