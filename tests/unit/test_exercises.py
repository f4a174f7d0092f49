"""The lessons' exercises, on hand-made Steps: what each measure reads, when a prediction
counts as right, and how a verdict shows itself."""

from __future__ import annotations

import pytest

from simulator.exercises import Verdict, count, exit_code, exited_with, field, judge, layers, lines, output, same, status
from simulator.step import ContainerView, ImageView, LayerView, Snapshot, Step

BUSYBOX = ImageView("sha256:b0", ("busybox:latest",), (LayerView("c1", "d1", 10),))
HELLO = ImageView("sha256:4e11", ("hello:v1",), (LayerView("c1", "d1", 10), LayerView("c2", "d2", 6)))
WEB = ContainerView("c0ffee" * 10 + "abcd", "web", "exited", "sha256:b0", "busybox", "sh", 137)
AFTER = Snapshot(images=(BUSYBOX, HELLO), containers=(WEB,))


def step(stdout: str = "", exit_code: int = 0, stderr: str = "", after: Snapshot | None = AFTER) -> Step:
    return Step("some command", exit_code=exit_code, stdout=stdout, stderr=stderr, after=after)


def test_measures_read_the_output_and_the_exit_code():
    assert output(step("  hello\n")) == "hello"
    assert lines(step("a\n\nb\n")) == 2 and lines(step("")) == 0
    assert exit_code(step(exit_code=125)) == 125
    assert count("Using cache")(step(" ---> Using cache\nx\n ---> Using cache\n")) == 2


def test_measures_read_the_state_after_the_command():
    assert status("web")(step()) == "exited"
    assert exited_with("c0ffee")(step()) == 137  # an id prefix will do, as in Docker
    assert layers("hello:v1")(step()) == 2
    assert layers("busybox")(step()) == 1  # busybox means busybox:latest
    assert layers("4e1")(step()) == 2  # the short id `docker images` prints will do too


def test_a_missing_object_is_named_not_guessed():
    with pytest.raises(LookupError, match="no container 'db'"):
        status("db")(step())
    with pytest.raises(LookupError, match="no image 'nosuch'"):
        layers("nosuch")(step())
    with pytest.raises(LookupError, match="no snapshot"):
        status("web")(step(after=None))


def test_field_reads_inspects_json_and_says_why_it_cannot():
    printed = '[{"Config": {"Cmd": ["sh"]}, "RootFS": {"Layers": ["sha256:a", "sha256:b"]}}]'
    assert field("Config.Cmd")(step(printed)) == ["sh"]
    assert field("RootFS.Layers", len)(step(printed)) == 2
    with pytest.raises(LookupError, match="No such object: web"):
        field("State.Status")(step("[]", exit_code=1, stderr="Error: No such object: web\n"))


@pytest.mark.parametrize(("answer", "actual", "right"), [
    ("exited", "exited", True),
    (" Exited ", "exited", True),                 # case and spacing do not count
    ("C /tmp\nA /tmp/x", "C  /tmp\nA /tmp/x\n", True),
    ("C /tmp", "C /tmp\nA /tmp/x", False),        # but every line does
    ("2", 2, True), (2, "2", True), (137.0, 137, True),
    ("two", 2, False), ("True", 1, False),
    (["sh"], ["sh"], True), ("sh", ["sh"], False),
    (None, 0, False),
])
def test_when_a_prediction_counts_as_right(answer, actual, right):
    assert same(answer, actual) is right


def test_a_verdict_says_right_or_wrong_and_why():
    right = judge(137, 137, why="SIGKILL: 128 + 9.")
    assert right and right.right
    assert str(right) == "✓ Right: 137. SIGKILL: 128 + 9."
    wrong = judge("running", "exited", why="stop ends the processes.")
    assert not wrong
    assert str(wrong) == "✗ Not quite: you predicted 'running', and it is 'exited'. stop ends the processes."
    assert repr(wrong) == "Verdict(answer='running', actual='exited', right=False)"


def test_a_verdict_speaks_chinese():
    assert str(judge(0, 0, why="进程自己结束了。", lang="zh")) == "✓ 对了：0。进程自己结束了。"
    assert str(judge(1, 0, lang="zh")) == "✗ 不对：你预测的是 1，实际是 0。"


def test_a_verdict_shows_itself_in_jupyter_as_html_and_text():
    verdict = judge("<b>", "<i>", why="a & b")
    bundle = verdict._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == str(verdict)
    html = bundle["text/html"]
    assert 'class="dockersim-verdict wrong"' in html
    assert "&lt;b&gt;" in html and "a &amp; b" in html and "<b>'" not in html
    assert set(verdict._repr_mimebundle_(exclude=["text/html"])) == {"text/plain"}
    assert set(verdict._repr_mimebundle_(include=["text/html"])) == {"text/html"}
    assert 'class="dockersim-verdict right"' in judge(1, 1)._repr_html_()


def test_a_verdict_shows_itself_in_rich():
    assert judge(1, 1, why="[x]").__rich__() == "[bold green]✓ Right: 1.[/] \\[x]"
    assert isinstance(judge(1, 2), Verdict)
