"""The live page: a command in a terminal, its figure on the page (headless Chromium)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import urllib.request

import pytest

pytestmark = pytest.mark.sandbox


@pytest.fixture
def page(cli, tmp_path, monkeypatch):
    from simulator.serve import make_server

    figures = tmp_path / "figures"
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS", str(figures))
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS_WAIT", "1")
    server = make_server(figures, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


def test_the_page_lists_each_step_with_its_figure_and_narration(cli, page):
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed, so no figure is drawn")
    assert json.loads(_get(page + "/api/steps")) == []
    cli("run", "-d", "--name", "live", "busybox", "sleep", "1000", check=True)
    cli("pause", "live", check=True)
    steps = json.loads(_get(page + "/api/steps"))
    assert [s["command"] for s in steps] == ["run -d --name live busybox sleep 1000", "pause live"]
    assert steps[-1]["narration"].startswith("pause freezes every process")
    assert b"live" in _get(page + "/figures/" + steps[-1]["figure"])
    assert b"setInterval(refresh, 500)" in _get(page + "/")  # the page follows new steps twice a second


def test_chromium_shows_the_newest_figure(cli, page, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or shutil.which("dot") is None:
        pytest.skip("needs Debian's chromium and graphviz's dot (apt-get install chromium graphviz)")
    cli("run", "-d", "--name", "shown", "busybox", "sleep", "1000", check=True)
    cli("pause", "shown", check=True)
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium'}", "--virtual-time-budget=3000", "--dump-dom", page + "/"],
        capture_output=True, text=True, timeout=60,
    ).stdout
    assert "$ docker pause shown" in dom
    assert 'src="/figures/0002-pause.svg"' in dom
    assert "pause freezes every process" in dom


def test_the_live_figure_fits_the_page_and_says_what_it_shows(cli, page, tmp_path, monkeypatch):
    """At a laptop's width the newest figure shrinks into the page whole; on a projector it
    may grow; either way it keeps its proportions and carries the step's text alternative."""
    from simulator import serve
    from tests.integration.browser import chromium, fits, misfits, with_measure

    if chromium() is None or shutil.which("dot") is None:
        pytest.skip("needs Debian's chromium and graphviz's dot (apt-get install chromium graphviz)")
    monkeypatch.setattr(serve, "PAGE", with_measure(serve.PAGE, "main"))  # the page as served, measuring itself
    cli("run", "-d", "--name", "wide", "busybox", "sh", "-c", 'trap "exit 0" TERM; while true; do sleep 1; done', check=True)
    cli("exec", "-d", "wide", "sleep", "500", check=True)  # before and after side by side: the widest kind
    for width, grow in ((1000, False), (1920, True)):
        measured = fits(page + "/", width, tmp_path / f"profile-{width}")
        [figure] = measured["figures"]
        assert misfits(measured, grow=grow) == [], width
        assert figure["alt"].startswith("$ docker exec -d wide sleep 500: exec starts one more process")
        assert re.search(r"pid \d+ sh -c trap \"exit 0\" TERM; while true; do sleep 1; done", figure["alt"])  # uncut
    assert figure["natural"][0] > 1000  # wider than the laptop's page: it did shrink there
