"""The Dockerfile parser and the history rows the classic builder writes."""

import pytest

from simulator.model.dockerfile import created_by, key_values, parse
from simulator.model.errors import DaemonError


def test_comments_continuations_and_case():
    text = "# top\nfrom busybox\nRUN echo a \\\n  # inside\n  && echo b\n\ncmd [\"sh\"]\n"
    assert [(i.keyword, i.args, i.line) for i in parse(text)] == [
        ("FROM", "busybox", 2), ("RUN", "echo a   && echo b", 3), ("CMD", '["sh"]', 7)]


def test_the_escape_directive():
    text = "# escape=`\nFROM busybox\nRUN echo a `\n  b\n"
    assert parse(text)[1].args == "echo a   b"


def test_an_unknown_instruction_is_a_parse_error_with_its_line():
    with pytest.raises(DaemonError) as info:
        parse("FROM busybox\n\nFOO bar\n")
    assert str(info.value) == "Error response from daemon: dockerfile parse error line 3: unknown instruction: FOO"
    with pytest.raises(DaemonError) as info:  # also when the file ends in a continuation
        parse("FROM busybox\nFOO bar \\")
    assert str(info.value).endswith("line 2: unknown instruction: FOO")


@pytest.mark.parametrize("line,row", [
    ('CMD ["cat", "hello.txt"]', '/bin/sh -c #(nop)  CMD ["cat" "hello.txt"]'),
    ("ENV GREETING=hi", "/bin/sh -c #(nop)  ENV GREETING=hi"),
    ('LABEL a=1 b="x y"', "/bin/sh -c #(nop)  LABEL a=1 b=x y"),
    ("EXPOSE 80 53/udp", "/bin/sh -c #(nop)  EXPOSE 53/udp 80"),
    ('ENTRYPOINT ["sh","-c"]', '/bin/sh -c #(nop)  ENTRYPOINT ["sh" "-c"]'),
    ("WORKDIR /app", "/bin/sh -c #(nop) WORKDIR /app"),
    ("RUN echo hi", "/bin/sh -c echo hi"),
])
def test_history_rows_are_dockers(line, row):
    """Each row as a Docker 20.10 classic build wrote it (note the two spaces after #(nop))."""
    assert created_by(parse(line)[0]) == row


def test_env_and_label_forms():
    assert key_values("A=1 B='two words'") == [("A", "1"), ("B", "two words")]
    assert key_values("A old form") == [("A", "old form")]
