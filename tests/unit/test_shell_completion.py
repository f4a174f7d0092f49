"""What Tab offers in ``dockersim shell``: pure, no store, no terminal."""

import pytest

from simulator.cli.completion import Container, Names, complete

NAMES = Names(
    containers=[
        Container("4f2a91c0d3e8aa" + "0" * 50, "web", "running"),
        Container("4f77b2c0d3e8bb" + "0" * 50, "worker", "paused"),
        Container("9c0ffee0d3e8cc" + "0" * 50, "wasdone", "exited"),
    ],
    images=["busybox:latest", "busybox:v2", "web:1.0"],
    image_ids=["7d81c485a2d8", "aa0d3e8c1234"],
)


def offered(line: str) -> list[str]:
    return complete(line, NAMES)


@pytest.mark.parametrize("line,expected", [
    ("pa", ["pause"]),
    ("docker pa", ["pause"]),
    ("dockersim pa", ["pause"]),
    ("  pa", ["pause"]),
    ("do", ["docker"]),
    ("ex", ["exec", "exit", "export"]),
    ("docker ex", ["exec", "export"]),  # `exit` is the shell's, not docker's
    ("nosuch ", []),
])
def test_subcommands_come_first_after_an_optional_docker(line, expected):
    assert offered(line) == expected


def test_every_subcommand_is_offered_on_an_empty_line():
    words = offered("")
    assert {"run", "ps", "pause", "commit", "build", "help", "exit", "docker"} <= set(words)
    assert words == sorted(words)


@pytest.mark.parametrize("line,expected", [
    ("stop w", ["web", "worker"]),         # running and paused: what stop can stop
    ("unpause w", ["worker"]),             # only the paused one
    ("pause w", ["web"]),                  # Docker refuses to pause the paused one
    ("exec w", ["web"]),                   # or to exec into it
    ("start w", ["wasdone"]),              # only the stopped one
    ("start web", ["web"]),                # none stopped matches: fall back to every container
    ("rm w", ["wasdone", "web", "worker"]),
    ("rm -f w", ["wasdone", "web", "worker"]),
    ("stop -t 1 w", ["web", "worker"]),    # the flag's value is not an argument
    ("stop web w", ["web", "worker"]),     # stop takes several
    ("logs web ", []),                     # logs takes one
    ("rm 4f", ["4f2a91c0d3e8", "4f77b2c0d3e8"]),  # ids once the word could be one
    ("rm ", ["wasdone", "web", "worker"]),  # not ids on an empty word
])
def test_containers_where_a_command_takes_them(line, expected):
    assert offered(line) == expected


@pytest.mark.parametrize("line,expected", [
    ("run bu", ["busybox:latest", "busybox:v2"]),
    ("run -d --name x busybox:l", ["busybox:latest"]),
    ("create -e A=1 w", ["web:1.0"]),
    ("run busybox ", []),                  # the container's command: nothing to guess
    ("exec web ", []),
    ("rmi 7d", ["7d81c485a2d8"]),
    ("history busybox:v", ["busybox:v2"]),
    ("tag busybox:latest w", ["web:1.0"]),
    ("commit web ", ["busybox:latest", "busybox:v2", "web:1.0"]),
    ("commit w", ["wasdone", "web", "worker"]),
    ("inspect w", ["wasdone", "web", "web:1.0", "worker"]),
    ("images b", ["busybox"]),
    ("pull b", ["busybox"]),
])
def test_images_where_a_command_takes_them(line, expected):
    assert offered(line) == expected


@pytest.mark.parametrize("line,expected", [
    ("run --na", ["--name"]),
    ("run --n", ["--name", "--network"]),
    ("run -d --r", ["--rm"]),
    ("ps -", ["--all", "--filter", "--format", "--help", "--last", "--latest", "--no-trunc", "--quiet", "--size",
              "-a", "-f", "-l", "-n", "-q", "-s"]),
    ("docker stop web --t", ["--time"]),   # stop reads flags after its arguments
    ("run busybox ls -", []),              # after the image, -l belongs to ls
    ("exec web sh -", []),
    ("kill -s T", ["TERM"]),
    ("kill --signal k", ["KILL"]),
    ("run --name ", []),                   # a new name: nothing to offer
])
def test_flags_from_the_commands_spec(line, expected):
    assert offered(line) == expected


def test_run_offers_what_it_would_pull_on_a_fresh_machine():
    assert complete("run bu", Names()) == ["busybox"]
    assert complete("rmi bu", Names()) == []  # only run and create pull


def test_the_store_is_read_only_when_a_name_is_wanted():
    asked = []

    def names() -> Names:
        asked.append(1)
        return NAMES

    assert complete("pa", names) == ["pause"]
    assert complete("ps --a", names) == ["--all"]
    assert asked == []
    assert complete("stop we", names) == ["web"]
    assert asked == [1]


def test_an_open_quote_does_not_break_completion():
    assert offered("exec web sh -c 'echo ") == []
    assert offered("run -e 'A=1 B' bu") == ["busybox:latest", "busybox:v2"]
