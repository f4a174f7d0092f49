"""Every (state, command) pair of the lifecycle, against what a Docker 20.10 engine answered."""

import pytest

from simulator.model.errors import Conflict, DockerError, NotRunning
from simulator.model.lifecycle import COMMANDS, STATES, ContainerRef, allowed, next_state

CID = "4d27cae6afa86ef391f4b07f2f08dca623c010657a815bb92bf47a8689d54139"
REF = ContainerRef(CID, "web", "web")

NOT_RUNNING = f"Error response from daemon: Container {CID} is not running"
NOT_PAUSED = f"Error response from daemon: Container {CID} is not paused"
KILL_NOT_RUNNING = f"Error response from daemon: Cannot kill container: web: Container {CID} is not running"

# state -> command -> resulting state, or the error text Docker prints.
EXPECTED = {
    "created": {
        "start": "running", "stop": "created", "restart": "running", "kill": KILL_NOT_RUNNING,
        "pause": NOT_RUNNING, "unpause": NOT_PAUSED, "rm": "removed", "rm_force": "removed",
        "exec": NOT_RUNNING, "top": NOT_RUNNING, "wait": "created",
    },
    "running": {
        "start": "running", "stop": "exited", "restart": "running", "kill": "running",
        "pause": "paused", "unpause": NOT_PAUSED,
        "rm": f"Error response from daemon: You cannot remove a running container {CID}. Stop the container before attempting removal or force remove",
        "rm_force": "removed", "exec": "running", "top": "running", "wait": "running", "die": "exited",
    },
    "paused": {
        "start": "Error response from daemon: cannot start a paused container, try unpause instead",
        "stop": "exited", "restart": "running", "kill": "running",
        "pause": f"Error response from daemon: Container {CID} is already paused", "unpause": "running",
        "rm": f"Error response from daemon: You cannot remove a paused container {CID}. Unpause and then stop the container before attempting removal or force remove",
        "rm_force": "removed",
        "exec": "Error response from daemon: Container web is paused, unpause the container before exec",
        "top": "paused", "wait": "paused", "die": "exited",
    },
    "exited": {
        "start": "running", "stop": "exited", "restart": "running", "kill": KILL_NOT_RUNNING,
        "pause": NOT_RUNNING, "unpause": NOT_PAUSED, "rm": "removed", "rm_force": "removed",
        "exec": NOT_RUNNING, "top": NOT_RUNNING, "wait": "exited",
    },
}

CASES = [(state, verb, outcome) for state, row in EXPECTED.items() for verb, outcome in row.items()]


@pytest.mark.parametrize("state,verb,outcome", CASES, ids=[f"{s}-{v}" for s, v, _ in CASES])
def test_every_state_and_command(state, verb, outcome):
    if outcome in STATES:
        assert next_state(state, verb, REF) == outcome
        assert allowed(state, verb)
    else:
        with pytest.raises(DockerError) as info:
            next_state(state, verb, REF)
        assert str(info.value) == outcome
        assert info.value.exit_code == 1
        assert not allowed(state, verb)


def test_the_table_covers_every_command_from_every_state():
    for state in ("created", "running", "paused", "exited"):
        for verb in COMMANDS:
            if verb in ("create", "die", "attach"):
                continue
            assert verb in EXPECTED[state], f"no expectation for {verb} from {state}"


def test_refusals_are_conflicts_with_status_hints():
    with pytest.raises(NotRunning) as info:
        next_state("created", "pause", REF)
    assert info.value.status == 409
    with pytest.raises(Conflict):
        next_state("paused", "pause", REF)


def test_a_dead_process_ends_a_running_container():
    assert next_state("running", "die") == "exited"
    assert next_state("paused", "die") == "exited"


def test_the_lookup_table_and_the_transitions_machine_agree():
    """Commands consult TABLE; the transitions Machine is built from the same declarations."""
    from transitions import MachineError

    from simulator.model.lifecycle import TABLE, machine

    class Probe:
        pass

    m = machine()
    for state in STATES:
        for verb in COMMANDS:
            probe = Probe()
            m.add_model(probe, initial=state)
            try:
                getattr(probe, verb)()
                outcome = probe.state
            except MachineError:
                outcome = None
            finally:
                m.remove_model(probe)
            assert TABLE.get((state, verb)) == outcome, (state, verb)
