"""The docker-compatible command line parser: Docker's wording and exit codes."""

import pytest

from simulator.cli.commands import SPECS
from simulator.cli.flags import parse
from simulator.model.errors import UsageError


def test_run_stops_reading_flags_at_the_image():
    p = parse(SPECS["run"], ["-d", "--rm", "--name", "web", "-e", "A=1", "-eB=2", "busybox", "ls", "-l", "--name"])
    assert p.options["detach"] and p.options["rm"]
    assert p.options["name"] == "web"
    assert p.options["env"] == ["A=1", "B=2"]
    assert p.args == ["busybox", "ls", "-l", "--name"]


def test_combined_short_flags_and_values():
    p = parse(SPECS["run"], ["-it", "busybox", "sh"])
    assert p.options["interactive"] and p.options["tty"]
    p = parse(SPECS["stop"], ["-t1", "web"])
    assert p.options["timeout"] == 1
    p = parse(SPECS["stop"], ["web", "--time=3"])  # stop's flags may follow its arguments
    assert p.options["timeout"] == 3 and p.args == ["web"]


@pytest.mark.parametrize(
    "command,argv,first_line,code",
    [
        ("run", ["--nosuchflag", "busybox"], "unknown flag: --nosuchflag", 125),
        ("ps", ["-z"], "unknown shorthand flag: 'z' in -z", 125),
        ("run", ["--name"], "flag needs an argument: --name", 125),
        ("stop", ["-t", "abc", "web"], 'invalid argument "abc" for "-t, --time" flag: strconv.ParseInt: parsing "abc": invalid syntax', 125),
        ("run", [], "docker: 'docker run' requires at least 1 argument", 1),
        ("exec", ["web"], "docker: 'docker exec' requires at least 2 arguments", 1),
        ("ps", ["extra"], "docker: 'docker ps' accepts no arguments", 1),
        ("logs", ["a", "b"], "docker: 'docker logs' requires 1 argument", 1),
    ],
)
def test_bad_command_lines_are_refused_as_docker_does(command, argv, first_line, code):
    with pytest.raises(UsageError) as info:
        parse(SPECS[command], argv)
    lines = str(info.value).split("\n")
    assert lines[0] == first_line
    assert lines[2] == SPECS[command].usage_line()
    assert info.value.exit_code == code


def test_at_least_says_see_and_exact_says_run():
    with pytest.raises(UsageError) as info:
        parse(SPECS["start"], [])
    assert str(info.value).endswith("See 'docker start --help' for more information")
    with pytest.raises(UsageError) as info:
        parse(SPECS["diff"], [])
    assert str(info.value).endswith("Run 'docker diff --help' for more information")


def test_help_is_not_an_error():
    assert parse(SPECS["run"], ["--help"]).help
    assert "Usage:  docker run" in SPECS["run"].help_text()


def test_the_top_help_names_every_command():
    """Every command, at the top or (``container prune``) in its management command's help."""
    from simulator.cli import TOP_HELP
    from simulator.cli.commands import MANAGEMENT, SPECS, management_help

    top = [verb for verb in SPECS if " " not in verb] + list(MANAGEMENT)
    assert [verb for verb in top if f"\n  {verb} " not in TOP_HELP] == []
    grouped = [verb for verb in SPECS if " " in verb]
    assert grouped and [v for v in grouped if f"\n  {v.split()[1]} " not in management_help(v.split()[0])] == []


def test_every_front_end_answers_what_dockers_cli_answers_itself(monkeypatch):
    import io

    from simulator.cli.commands import understand

    unknown = understand(["nosuch"], "nosuch")
    assert (unknown.exit_code, unknown.stderr) == (
        1, "docker: unknown command: docker nosuch\n\nRun 'docker --help' for more information\n")
    monkeypatch.setattr("sys.stdin", io.StringIO())
    no_tty = understand(["run", "-it", "busybox", "sh"])
    assert (no_tty.exit_code, no_tty.stderr) == (1, "the input device is not a TTY\n")
    assert understand(["run", "-dit", "busybox", "sh"]).verb == "run"  # detached: no terminal needed
    assert understand(["create", "-it", "busybox", "sh"]).verb == "create"
    assert understand(["ps", "-a"]).options["all"] is True


def test_the_engine_says_of_every_cli_command_whether_it_can_change_state():
    from simulator.cli.commands import SPECS
    from simulator.engine import CHANGES_STATE

    assert set(SPECS) <= set(CHANGES_STATE)
    assert not any(CHANGES_STATE[v] for v in ("ps", "images", "inspect", "save", "export", "history", "diff"))
    assert all(CHANGES_STATE[v] for v in ("create", "start", "rm", "commit", "load", "import", "tag"))


def test_the_shells_help_reaches_the_management_commands(monkeypatch):
    from simulator.cli.shell import help_text

    monkeypatch.setenv("DOCKERSIM_DIAGRAMS", "off")
    assert "\n  container  Manage containers" in help_text([])
    assert "\n  prune       Remove all stopped containers" in help_text(["container"])
    assert help_text(["container", "list"]).startswith("Usage:  docker container ls [OPTIONS]")
    assert help_text(["image", "nosuch"]).startswith("Usage:  docker image COMMAND")


def test_rename_takes_exactly_two_names_under_either_spelling():
    from simulator.cli.commands import understand

    assert understand(["rename", "a", "b"]).args == ["a", "b"]
    for words in (["rename", "a"], ["container", "rename"], ["rename", "a", "b", "c"]):
        step = understand(words)
        assert step.exit_code == 1 and "requires 2 arguments" in step.stderr, words
    assert "Usage:  docker container rename CONTAINER NEW_NAME" in understand(["container", "rename"]).stderr


def test_image_and_container_inspect_are_inspect_of_one_type():
    from simulator.cli.commands import understand

    image, container = understand(["image", "inspect", "busybox"]), understand(["container", "inspect", "-s", "web"])
    assert (image.verb, container.verb) == ("image inspect", "container inspect")
    assert container.options["size"] is True
    with pytest.raises(UsageError):  # --type belongs to `docker inspect` alone
        parse(SPECS["image inspect"], ["--type", "image", "busybox"])
    assert parse(SPECS["inspect"], ["--type", "", "x"]).options["type"] == ""  # given empty: not the same as absent
    assert parse(SPECS["inspect"], ["x"]).options["type"] is None


def test_tag_reads_no_flags_after_its_first_argument():
    assert parse(SPECS["tag"], ["busybox", "-x"]).args == ["busybox", "-x"]
    with pytest.raises(UsageError):
        parse(SPECS["tag"], ["-x", "busybox", "y"])
