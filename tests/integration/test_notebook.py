"""Jupyter: the magics and a Step's inline figure (IPython stand-in; nbclient comes with the lessons)."""

from __future__ import annotations

import shutil

import pytest


pytestmark = pytest.mark.sandbox


class FakeIPython:
    """What ``%load_ext`` hands an extension: a place to register magics."""

    def __init__(self) -> None:
        self.magics: dict[tuple[str, str], object] = {}

    def register_magic_function(self, func, kind: str, name: str) -> None:
        self.magics[(kind, name)] = func


@pytest.fixture
def magics(engine, monkeypatch):
    import simulator
    from simulator import notebook

    monkeypatch.setattr(notebook, "_engine", engine)
    monkeypatch.setattr(notebook, "session", [])
    ipython = FakeIPython()
    simulator.load_ipython_extension(ipython)
    return ipython.magics


def test_the_line_and_cell_magics_run_docker_commands(magics, engine):
    step = magics[("line", "docker")]("run -d --name web busybox sleep 1000")
    assert step.ok and len(step.stdout.strip()) == 64
    steps = magics[("cell", "docker")]("", "pause web\n# a comment\nunpause web\nnosuch web\n")
    assert [s.exit_code for s in steps] == [0, 0, 1]
    assert steps[2].stderr.startswith("docker: unknown command: docker nosuch")


def test_the_magics_print_what_the_command_printed_as_it_was_typed(magics, capsys):
    step = magics[("line", "docker")]("run --rm busybox echo 'a  b'")
    assert step.command == "run --rm busybox echo 'a  b'"  # one argument, quotes kept
    assert capsys.readouterr().out == "a  b\n"
    magics[("line", "docker")]("rm nosuch")
    assert capsys.readouterr().err == "Error response from daemon: No such container: nosuch\n"


def test_a_step_shows_its_figure_inline(engine):
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed")
    engine.snapshots = "both"  # what Engine() does by default, and the fixture turns off
    step = engine.run("busybox", ["sleep", "1000"], name="shown", detach=True)
    bundle = step._repr_mimebundle_()
    assert bundle["text/plain"].startswith("$ docker run")
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml") and "shown" in bundle["image/svg+xml"]
    assert "image/svg+xml" not in step._repr_mimebundle_(exclude=["image/svg+xml"])


def test_diagram_writes_the_state_in_each_format(cli, tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed")
    cli("run", "-d", "--name", "drawn", "busybox", "sleep", "1000", check=True)
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        target = tmp_path / f"state.{fmt}"
        result = cli("diagram", "--format", fmt, "--output", str(target))
        assert result.returncode == 0 and result.stdout.strip() == str(target)
        assert target.read_bytes().startswith(magic)
    assert b"drawn" in (tmp_path / "state.svg").read_bytes()


def test_the_slider_replays_the_session(magics, engine):
    widgets = pytest.importorskip("ipywidgets", reason="the step slider needs ipywidgets (pip install ipywidgets)")
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed")
    from simulator.notebook import replay, session

    engine.snapshots = "both"
    magics[("line", "docker")]("create --name one busybox true")
    magics[("line", "docker")]("start one")
    box = replay()
    slider, caption, figure = box.children
    assert isinstance(slider, widgets.IntSlider) and (slider.min, slider.max, slider.value) == (1, 2, 2)
    assert "start one" in caption.value
    assert figure.value.startswith('<img class="dockersim-figure" alt="$ docker start one: ')  # fits, and says so
    slider.value = 1
    assert "create --name one" in caption.value
    assert len(session) == 2


def test_a_real_kernel_shows_each_step_inline(data_root, tier, tmp_path):
    """Through nbclient and an IPython kernel, as a student's notebook runs."""
    nbformat = pytest.importorskip("nbformat", reason="needs nbformat, nbclient and ipykernel (the test extra)")
    nbclient = pytest.importorskip("nbclient", reason="needs nbformat, nbclient and ipykernel (the test extra)")
    pytest.importorskip("ipykernel", reason="needs nbformat, nbclient and ipykernel (the test extra)")
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed")
    cells = [
        "%load_ext simulator",
        "%docker run -d --name nb busybox sleep 1000",
        "%%docker\npause nb\nunpause nb",
        "from simulator.notebook import engine\nengine().rm('nb', force=True)",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    run_outputs = notebook.cells[1].outputs
    assert any("image/svg+xml" in o.get("data", {}) for o in run_outputs), run_outputs
    assert len(run_outputs[0]["text"].strip()) == 64  # the output, then the figure
    cell_outputs = notebook.cells[2].outputs
    assert sum("image/svg+xml" in o.get("data", {}) for o in cell_outputs) == 2
    assert [o.output_type for o in cell_outputs].count("execute_result") == 0  # figures only, no list
    assert "$ docker pause nb\nnb\n" in "".join(o.get("text", "") for o in cell_outputs)
    assert notebook.cells[3].outputs[-1]["data"]["text/plain"].startswith("$ docker rm nb")
