"""The live page: a command in a terminal, its figure on the page (headless Chromium)."""

from __future__ import annotations

import json
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
