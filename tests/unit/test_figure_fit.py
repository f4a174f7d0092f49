"""Figures fit where they are shown and say what they show: the finished SVG keeps its
natural size and viewBox but shrinks to the width it is given, and every form a figure
leaves in (SVG, ``<img>``, a Step's mimebundle) carries the command and what it draws."""

from __future__ import annotations

import base64
import re

import pytest

from simulator.render import command_map, scene, step_figure
from simulator.render.backend import renderer
from simulator.render.describe import scene_text, step_text
from simulator.render.svg import FIT, finish, img_tag, natural_size, text_alternative
from simulator.step import ContainerView, ImageView, LayerView, ProcessView, Snapshot, Step

LOOP = 'sh -c trap "exit 0" TERM; while true; do sleep 1; done'  # longer than a process row holds
BASE = LayerView("sha256:" + "1" * 64, "sha256:" + "1" * 64, 1_984_132, "Imported from -")
BUSYBOX = ImageView("sha256:" + "a" * 64, ("busybox:latest",), (BASE,), union=("bin", "etc"))
CREATED = ContainerView("f" * 64, "web", "created", BUSYBOX.id, "busybox", LOOP)
RUNNING = CREATED._replace(status="running", processes=(ProcessView(1, 4242, LOOP), ProcessView(2, 4243, "sleep 1")))
START = Step("start web", before=Snapshot((BUSYBOX,), (CREATED,), "namespace"),
             after=Snapshot((BUSYBOX,), (RUNNING,), "namespace"), verb="start")
RAW = ('<?xml version="1.0"?>\n<svg width="1069pt" height="386pt"\n viewBox="0.00 0.00 1068.80 385.80" '
       'xmlns="http://www.w3.org/2000/svg"><g id="graph0"><title>dockersim</title></g></svg>')

needs_dot = pytest.mark.skipif(not renderer(), reason="no Graphviz dot (nor graphviz-pure) to draw with")


def _open_tag(svg: str) -> str:
    return re.search(r"<svg\b[^>]*>", svg).group(0)


def test_a_finished_svg_shrinks_to_fit_and_keeps_its_natural_size_and_proportions():
    tag = _open_tag(finish(RAW, "$ docker start web", "what it shows"))
    assert f'style="{FIT}"' in tag and FIT == "max-width:100%;height:auto"
    assert 'width="1069pt"' in tag and 'height="386pt"' in tag  # an <img> of it keeps a natural size
    assert 'viewBox="0.00 0.00 1068.80 385.80"' in tag  # the proportions the height follows
    assert natural_size(RAW) == (1425, 515)  # points at 96 px to 72 pt


def test_a_finished_svg_opens_with_its_title_and_description_once():
    svg = finish(RAW, "$ docker run -d <web>", 'a "quoted" & <angled> text')
    assert 'role="img"' in _open_tag(svg)
    head = svg[svg.index(_open_tag(svg)) + len(_open_tag(svg)):]
    assert head.startswith("<title>$ docker run -d &lt;web&gt;</title><desc>a \"quoted\" &amp; &lt;angled&gt; text</desc>")
    assert finish(svg, "other", "words") == svg
    assert text_alternative(svg) == '$ docker run -d <web>: a "quoted" & <angled> text'
    with pytest.raises(ValueError):
        finish("<html></html>", "t", "d")


def test_the_img_form_carries_the_alternative_text_and_the_same_svg():
    svg = finish(RAW, "$ docker start web", "web runs")
    tag = img_tag(svg)
    assert 'alt="$ docker start web: web runs"' in tag
    assert 'width="1425" height="515"' in tag and f'style="{FIT}"' in tag
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', tag).group(1)
    assert base64.b64decode(data).decode() == svg
    assert 'alt="say &quot;this&quot;"' in img_tag(svg, alt='say "this"')


def test_the_description_names_the_command_and_everything_drawn_uncut():
    title, desc = step_text(START)
    assert title == "$ docker start web"
    assert desc.startswith("start gives the static container an isolated process space")
    assert "Before: Container web, created" in desc and "After: Container web, running" in desc
    assert f"pid 1 {LOOP}" in desc and "pid 2 sleep 1" in desc  # the figure cuts the command, the words do not
    failed = Step("rm web", exit_code=1, before=START.after, after=START.after, verb="rm")
    assert step_text(failed)[0] == "$ docker rm web (exit code 1)"
    assert "Container web, running" in step_text(failed)[1]  # nothing changed: the scene as it stands
    zh_title, zh_desc = step_text(START, "zh")
    assert zh_title == "$ docker start web" and "进程空间" in zh_desc and "之后" in zh_desc
    assert scene_text(Snapshot()) == "No images and no containers."


def test_a_cut_command_on_the_figure_says_it_was_cut():
    source = step_figure(START).source
    assert 'sh -c trap &quot;exit 0&quot; TERM; while tru…' in source
    assert "while true" not in source


def test_every_figure_knows_its_text_alternative():
    assert step_figure(START).alt == step_text(START)
    assert scene(START.after, title="$ docker ps").alt == ("$ docker ps", scene_text(START.after))
    title, desc = command_map("pause").alt
    assert title == "The command map" and "pause (running container → paused container)" in desc
    assert "pause, is highlighted" in desc and "highlighted" not in command_map().alt[1]


@needs_dot
def test_a_drawn_figure_comes_out_finished():
    svg = step_figure(START).pipe(format="svg", encoding="utf-8")
    tag = _open_tag(svg)
    width, height = natural_size(svg)
    box = [float(n) for n in re.search(r'viewBox="([^"]+)"', tag).group(1).split()]
    assert abs(width - box[2] * 4 / 3) < 2 and abs(height - box[3] * 4 / 3) < 2
    assert f'style="{FIT}"' in tag and text_alternative(svg) == ": ".join(step_text(START))
    assert step_figure(START).pipe(format="svg").startswith(b"<?xml")  # bytes, as graphviz gives them


@needs_dot
def test_a_step_shows_its_figure_as_svg_and_as_an_img_with_alt_text():
    bundle = START._repr_mimebundle_()
    assert sorted(bundle) == ["image/svg+xml", "text/html", "text/plain"]
    assert bundle["text/plain"].startswith("$ docker start web")
    assert "<title>$ docker start web</title>" in bundle["image/svg+xml"]
    assert bundle["text/html"].startswith('<img class="dockersim-figure" alt="$ docker start web: start gives')
    assert f'style="{FIT}"' in bundle["text/html"]
    assert sorted(START._repr_mimebundle_(exclude=["text/html"])) == ["image/svg+xml", "text/plain"]
    assert sorted(START._repr_mimebundle_(include=["text/html"])) == ["text/html"]
    assert START._repr_mimebundle_(exclude=["text/html", "image/svg+xml"]) == {"text/plain": START.summary()}
