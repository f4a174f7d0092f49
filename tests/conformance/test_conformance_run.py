"""``run`` exit codes and errors, and the command line's own errors, as Docker gives them."""

from __future__ import annotations

import pytest

NAME = "{name}"


def _fill(argv: list[str], name: str) -> list[str]:
    return [a.replace(NAME, name) for a in argv]


def test_run_returns_the_exit_code_of_the_containers_command(engines):
    name = engines.name("exit5")

    def scenario(rec):
        rec.run("run", "--name", name, "busybox", "sh", "-c", "exit 5")
        rec.state(name)

    engines.compare(scenario)


def test_run_attached_passes_stdout_and_stderr_through(engines):
    name = engines.name("streams")

    def scenario(rec):
        rec.run("run", "--name", name, "busybox", "sh", "-c", "echo out; echo err >&2")
        rec.state(name)

    engines.compare(scenario)


RUN_ERRORS = {
    # command not found: 127, and a container is left behind in state "created"
    "command-not-found": ["run", "--name", NAME, "busybox", "nosuchcmd"],
    # not executable: 126, same
    "not-executable": ["run", "--name", NAME, "busybox", "/etc"],
    "bad-name": ["run", "--name", "bad name!", "busybox"],
    "create-bad-name": ["create", "--name", "bad name!", "busybox"],
    "unknown-flag": ["run", "--nosuchflag", "busybox"],
    "create-unknown-flag": ["create", "--nosuchflag", "busybox"],
}


@pytest.mark.parametrize("case", list(RUN_ERRORS))
def test_run_error(engines, case):
    name = engines.name("runerr")

    def scenario(rec):
        rec.run(*_fill(RUN_ERRORS[case], name))
        rec.state(name)
        if "bad name!" in RUN_ERRORS[case]:
            rec.state("bad name!")

    engines.compare(scenario)


def test_run_with_a_name_in_use_is_a_conflict(engines):
    name = engines.name("dup")

    def scenario(rec):
        rec.run("run", "--name", name, "busybox", "true")
        rec.run("run", "--name", name, "busybox", "true")
        rec.run("run", "-d", "--name", name, "busybox", "true")
        rec.state(name)

    engines.compare(scenario)


USAGE_ERRORS = {
    "create": ["create"],
    "run": ["run"],
    "start": ["start"],
    "stop": ["stop"],
    "restart": ["restart"],
    "kill": ["kill"],
    "pause": ["pause"],
    "unpause": ["unpause"],
    "rm": ["rm"],
    "exec": ["exec"],
    "exec-one-arg": ["exec", NAME],
    "logs": ["logs"],
    "logs-two-args": ["logs", NAME, NAME],
    "diff": ["diff"],
    "diff-two-args": ["diff", NAME, NAME],
    "wait": ["wait"],
    "top": ["top"],
    "inspect": ["inspect"],
    "ps-extra-arg": ["ps", "extra"],
    "unknown-subcommand": ["nosuchcommand"],
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_usage_error(engines, case):
    """Missing or extra arguments, an unknown subcommand: exit 1 and Docker's usage text."""
    name = engines.name("usage")

    def scenario(rec):
        rec.run(*_fill(USAGE_ERRORS[case], name))

    engines.compare(scenario)
