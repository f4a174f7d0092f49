"""``docker logs --tail N``: where in the json-file log the last N lines begin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.sandbox.logs import LOG_NAME, read_entries, tail_offset

LINES = [("stdout", "1\n"), ("stderr", "2\n"), ("stdout", "3\n"), ("stdout", "x")]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    (tmp_path / LOG_NAME).write_text("".join(
        json.dumps({"log": text, "stream": stream, "time": "2026-01-01T00:00:00Z"}) + "\n" for stream, text in LINES))
    return tmp_path


@pytest.mark.parametrize("lines, shown", [(0, []), (1, ["x"]), (3, ["2\n", "3\n", "x"]), (4, ["1\n", "2\n", "3\n", "x"]),
                                          (99, ["1\n", "2\n", "3\n", "x"])])
def test_the_last_lines_of_either_stream(bundle: Path, lines: int, shown: list[str]) -> None:
    assert [entry["log"] for entry in read_entries(bundle, tail_offset(bundle, lines))] == shown


def test_a_container_that_never_wrote_has_nothing_to_tail(tmp_path: Path) -> None:
    assert tail_offset(tmp_path, 3) == 0 and read_entries(tmp_path, 0) == []
