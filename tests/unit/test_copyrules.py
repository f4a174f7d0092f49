"""Where ``docker cp`` puts a copy: the docker CLI's rules, without a container."""

from __future__ import annotations

import pytest

from simulator.model.copyrules import CopyInfo, Placement, parse_cp_arg, place, source_name, split_dir_entry
from simulator.model.errors import DockerError


@pytest.mark.parametrize(("arg", "expected"), [
    ("web:/tmp/x", ("web", "/tmp/x")),
    ("web:", ("web", "")),
    ("/abs:with/colon", ("", "/abs:with/colon")),
    ("./rel:colon", ("", "./rel:colon")),
    ("plain", ("", "plain")),
    ("-", ("", "-")),
])
def test_which_side_is_a_container(arg, expected):
    assert parse_cp_arg(arg) == expected


def test_a_final_dot_is_a_directorys_contents():
    assert split_dir_entry("/a/b/.") == ("/a/b", ".")
    assert split_dir_entry("/a/b/") == ("/a", "b")
    assert source_name(CopyInfo("/a/b/.", True, True)) == "."
    assert source_name(CopyInfo("/target", True, False, "link")) == "link"


@pytest.mark.parametrize(("src", "dst", "expected"), [
    (CopyInfo("/f", True, False), CopyInfo("/d", True, True), Placement("/d", None)),
    (CopyInfo("/f", True, False), CopyInfo("/e", True, False), Placement("/", ("f", "e"))),
    (CopyInfo("/f", True, False), CopyInfo("/new"), Placement("/", ("f", "new"))),
    (CopyInfo("/dir", True, True), CopyInfo("/new/"), Placement("/", ("dir", "new"))),
    (CopyInfo("/dir/.", True, True), CopyInfo("/new"), Placement("/", (".", "new"))),
])
def test_where_the_tar_unpacks(src, dst, expected):
    assert place(src, dst) == expected


@pytest.mark.parametrize(("src", "dst", "message"), [
    (CopyInfo("/dir", True, True), CopyInfo("/file", True, False), "cannot copy directory"),
    (CopyInfo("/f", True, False), CopyInfo("/missing/"), "no such directory"),
])
def test_what_the_cli_refuses(src, dst, message):
    with pytest.raises(DockerError, match=message):
        place(src, dst)
