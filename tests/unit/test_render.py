"""Figures from plain data: what they contain, not how they look."""

from __future__ import annotations

import re

from simulator.render import command_map, scene, step_figure
from simulator.render.step import changed_containers
from simulator.step import ContainerView, ImageView, LayerView, ProcessView, Snapshot, Step

BASE = LayerView("sha256:" + "1" * 64, "sha256:" + "1" * 64, 1_984_132, "Imported from -")
TOP = LayerView("sha256:" + "2" * 64, "sha256:" + "3" * 64, 1000, "RUN touch /x")
BUSYBOX = ImageView("sha256:" + "a" * 64, ("busybox:latest",), (BASE,), union=("bin", "etc"))
CHILD = ImageView("sha256:" + "b" * 64, ("app:1",), (BASE, TOP))


def container(cid: str, status: str, **kw) -> ContainerView:
    return ContainerView(cid * 64, f"c{cid}", status, BUSYBOX.id, "busybox", "sleep 1000", **kw)


def nodes(graph) -> list[str]:
    """Node ids, at any depth of subgraphs."""
    return [n for n in re.findall(r"^\t+(\S+) \[", graph.source, re.M) if n not in ("graph", "node", "edge")]


def test_a_layer_shared_by_two_images_is_drawn_once():
    g = scene(Snapshot((BUSYBOX, CHILD), ()))
    assert nodes(g).count("L" + "1" * 64) == 1
    assert "L" + "2" * 64 in nodes(g)
    assert f"L{'2' * 64} -> L{'1' * 64}" in g.source  # drawn downwards: the parent below


def test_containers_show_their_read_write_layer_and_only_live_ones_a_process_space():
    snap = Snapshot((BUSYBOX,), (
        container("1", "created", changes=("A /x",)),
        container("2", "running", processes=(ProcessView(1, 99, "sleep 1000"),)),
        container("3", "paused", processes=(ProcessView(1, 98, "sleep 1000"),)),
    ))
    g = scene(snap)
    assert "A /x" in g.source
    assert "P" + "1" * 64 not in nodes(g)
    assert "P" + "2" * 64 in nodes(g) and "P" + "3" * 64 in nodes(g)
    assert "every process frozen" in g.source  # paused says so in words, not colour alone
    assert "union view" in g.source and "/bin" in g.source


def test_a_crowded_scene_says_what_it_left_out():
    many = tuple(container(f"{i:x}", "created") for i in range(30))
    g = scene(Snapshot((BUSYBOX,), many))
    assert "22 containers" in g.source and "not shown" in g.source


def test_the_step_figure_draws_before_and_after_of_what_changed_only():
    idle = container("1", "created")
    before = Snapshot((BUSYBOX,), (idle, container("2", "created")))
    after = Snapshot((BUSYBOX,), (idle, container("2", "running", processes=(ProcessView(1, 9, "sleep"),))))
    assert changed_containers(before, after) == {"2" * 64}
    g = step_figure(Step("start c2", before=before, after=after, verb="start"))
    assert "cluster_before" in g.source and "cluster_after" in g.source
    assert "before_W" + "2" * 64 in nodes(g) and "after_W" + "2" * 64 in nodes(g)
    assert "W" + "1" * 64 not in "".join(nodes(g))  # the unchanged container is left out
    assert "isolated process space" in g.source  # the narration


def test_narration_and_labels_follow_the_language():
    after = Snapshot((BUSYBOX,), (container("2", "running"),))
    g = step_figure(Step("run busybox", after=after, verb="run"), lang="zh")
    assert "读写层" in g.source and "进程空间" in g.source and "run 就是 create 加 start" in g.source


def test_the_same_state_gives_the_same_source():
    snap = Snapshot((BUSYBOX, CHILD), (container("1", "exited", exit_code=3),))
    assert scene(snap).source == scene(snap).source


def test_the_command_map_highlights_the_last_command():
    plain = command_map().source
    g = command_map("pause").source
    assert "paused container" in g and g != plain
    edge = next(line for line in g.splitlines() if "label=pause" in line)
    assert "color" in edge


def test_a_long_command_wraps_instead_of_widening_the_figure():
    from html import unescape

    line = "create --name web busybox sh -c 'trap \"exit 0\" TERM; while true; do sleep 1; done'"
    source = step_figure(Step(line, after=Snapshot(), verb="create")).source
    pieces = [unescape(piece).strip() for piece in re.findall(r"<b>([^<]*)</b>", source)]
    assert len(pieces) >= 2 and all(len(piece) <= 60 for piece in pieces)
    assert " ".join(pieces) == f"$ docker {line}"


def test_the_command_map_names_the_forms_in_the_figure_language_and_marks_none_unasked():
    zh = command_map(lang="zh").source
    assert "静态容器" in zh and "运行态容器" in zh and "docker 命令" in zh
    image = [line for line in command_map().source.splitlines() if line.strip().startswith("image [")]
    assert "fillcolor=white" in image[-1]  # the last statement about a node is the one drawn


def test_render_reads_no_setting_the_step_passes_them(monkeypatch):
    step = Step("ps", after=Snapshot(), verb="ps")
    light = step_figure(step).source
    monkeypatch.setenv("DOCKERSIM_THEME", "dark")
    assert step_figure(step).source == light  # the same input, the same figure
    assert step.figure().source != light  # the front end's setting reaches it through Step.figure
    assert "graphviz-pure" in step_figure(step, drawn_by="graphviz-pure").source
