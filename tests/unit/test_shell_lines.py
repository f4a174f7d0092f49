"""How ``dockersim shell`` reads a line and shows its prompt: pure, no terminal."""

import pytest

from simulator.cli.commands import split_line, strip_comment
from simulator.cli.shell import prompt


def test_lines_are_split_as_sh_splits_them():
    assert split_line("run --rm busybox sh -c 'echo a#b; echo \"#c\"'") == [
        "run", "--rm", "busybox", "sh", "-c", 'echo a#b; echo "#c"']
    assert split_line("   # only a comment") == []
    assert split_line("ps -a # and a comment") == ["ps", "-a"]
    with pytest.raises(ValueError):
        split_line("ps 'open")


def test_comments_start_a_word_outside_quotes():
    assert strip_comment("echo a\\ #b") == "echo a\\ #b"  # an escaped space is part of the word
    assert strip_comment('echo "# not" # yes') == 'echo "# not" '


def test_the_prompt_shows_a_failed_status():
    assert prompt(0) == "docker> "
    assert prompt(1) == "docker [1]> "


def test_a_notebook_or_tour_line_may_end_in_a_comment_too():
    from simulator.cli.commands import run_line
    from simulator.step import Step

    step = run_line(None, "ps --nosuch   # a comment, not an argument")
    assert isinstance(step, Step) and step.command == "ps --nosuch" and "unknown flag: --nosuch" in step.stderr
