"""``container prune`` and ``image prune`` ask first, as Docker's do: the answer comes from
standard input, through the daemon as from a process of its own."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.sandbox

PROMPT = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "


@pytest.mark.parametrize("answer, removed", [("y\n", True), ("Y\n", True), ("n\n", False), ("yes\n", False), ("", False)])
def test_container_prune_goes_ahead_only_on_y(cli, answer: str, removed: bool) -> None:
    cli("create", "--name", "stopped", "busybox", "true", check=True)
    cli("run", "-d", "--name", "running", "busybox", "sleep", "1000", check=True)
    pruned = cli("container", "prune", input=answer)
    assert pruned.returncode == 0 and pruned.stdout.startswith(PROMPT)
    assert ("Deleted Containers:" in pruned.stdout) is removed
    assert cli("ps", "-a", "--format", "{{.Names}}").stdout.split() == (["running"] if removed else ["running", "stopped"])


def test_prune_through_the_api_without_input_removes_nothing(engine) -> None:
    engine.create("busybox", ["true"], name="kept")
    step = engine.container_prune()
    assert step.exit_code == 0 and step.stdout == PROMPT
    assert engine.container_prune(force=True).stdout.startswith("Deleted Containers:\n")
    assert engine.ps(all=True).stdout.count("\n") == 1  # the header alone


def test_image_prune_a_keeps_what_a_container_uses(engine) -> None:
    engine.run("busybox", ["sh", "-c", "echo layer > f"], name="source")
    engine.commit("source", "kept:1")
    engine.rm("source")
    engine.create("busybox", ["true"], name="keeper")
    pruned = engine.image_prune(all=True, force=True)
    assert "untagged: kept:1\n" in pruned.stdout and "busybox" not in pruned.stdout
    assert pruned.stdout.endswith("Total reclaimed space: 6B\n")
    assert engine.images(quiet=True).stdout.count("\n") == 1  # busybox, which keeper uses
