"""Every container state x every command: dockersim must answer as Docker does.

States: created, running (``sleep 1000``), paused, exited 0, exited 3, and a name that does
not exist. For each (command, state) both engines get the same container (same name), run
the same command, and must agree on the exit code, stdout, stderr (ids and times
normalised) and the container's resulting ``Status ExitCode Running Paused``.
"""

from __future__ import annotations

import pytest

NAME = "{name}"

# How each state is reached; the setup commands' output is compared in test_setting_up_a_state.
STATES: dict[str, list[tuple[list[str], int]]] = {
    "created": [(["create", "--name", NAME, "busybox", "sleep", "1000"], 0)],
    "running": [(["run", "-d", "--name", NAME, "busybox", "sleep", "1000"], 0)],
    "paused": [(["run", "-d", "--name", NAME, "busybox", "sleep", "1000"], 0), (["pause", NAME], 0)],
    "exited0": [(["run", "--name", NAME, "busybox", "true"], 0)],
    "exited3": [(["run", "--name", NAME, "busybox", "sh", "-c", "exit 3"], 3)],
    "nonexistent": [],
}

# command -> (argv, what to compare: "all" = exit code, stdout, stderr; "top" = exit code,
# stderr and only the header line of stdout (the rows carry pids and times))
COMMANDS: dict[str, tuple[list[str], str]] = {
    "start": (["start", NAME], "all"),
    "stop-t1": (["stop", "-t", "1", NAME], "all"),
    "restart-t1": (["restart", "-t", "1", NAME], "all"),
    "kill": (["kill", NAME], "all"),
    # `sleep` as PID 1 has no TERM handler, so TERM leaves a running container running
    # (and a paused one running, unpaused); the trapping PID 1 is in test_conformance_scenarios.
    "kill-sTERM": (["kill", "-s", "TERM", NAME], "all"),
    "kill-sNOTASIGNAL": (["kill", "-s", "NOTASIGNAL", NAME], "all"),
    "pause": (["pause", NAME], "all"),
    "unpause": (["unpause", NAME], "all"),
    "rm": (["rm", NAME], "all"),
    "rm-f": (["rm", "-f", NAME], "all"),
    "exec-echo-hi": (["exec", NAME, "echo", "hi"], "all"),
    "exec-nosuchcmd": (["exec", NAME, "nosuchcmd"], "all"),
    "exec-d-true": (["exec", "-d", NAME, "true"], "all"),
    "exec-d-nosuchcmd": (["exec", "-d", NAME, "nosuchcmd"], "all"),
    "top": (["top", NAME], "top"),
    "logs": (["logs", NAME], "all"),
    "diff": (["diff", NAME], "all"),
    "wait": (["wait", NAME], "all"),
    "create-duplicate-name": (["create", "--name", NAME, "busybox", "true"], "all"),
    "attach": (["attach", NAME], "all"),
    # the figures that do not depend on the machine: a `sleep` is one process moving no bytes
    "stats-no-stream": (["stats", "--no-stream", "--format", "{{.Name}} {{.NetIO}} {{.BlockIO}} {{.PIDs}}", NAME], "all"),
}

# `wait` blocks while the container runs, `attach` while it runs: only the states where they
# return at once (tests/conformance/test_conformance_attach.py attaches to running ones).
SKIPPED = {("wait", "running"), ("wait", "paused"), ("attach", "running")}

CASES = [
    pytest.param(command, state, id=f"{command}-in-{state}")
    for command in COMMANDS
    for state in STATES
    if (command, state) not in SKIPPED
]


def _fill(argv: list[str], name: str) -> list[str]:
    return [a.replace(NAME, name) for a in argv]


@pytest.mark.parametrize("state", list(STATES))
def test_setting_up_a_state(engines, state):
    """The commands that bring a container into each state answer as Docker's do."""
    name = engines.name(state)

    def scenario(rec):
        for argv, _ in STATES[state]:
            rec.run(*_fill(argv, name))
        rec.state(name)

    engines.compare(scenario)


@pytest.mark.parametrize("command, state", CASES)
def test_command_in_state(engines, command, state):
    name = engines.name(state)
    argv, compare = COMMANDS[command]
    # A container whose command ends by itself (exited0/exited3) is compared once it ended again.
    settle = state in ("exited0", "exited3")

    def scenario(rec):
        for setup_argv, expected in STATES[state]:
            rec.setup(*_fill(setup_argv, name), expect=expected)
        rec.run(*_fill(argv, name), compare=compare)
        rec.state(name, settle=settle)

    engines.compare(scenario)
