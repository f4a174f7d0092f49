"""Docker's management commands (``docker container ls``, ``docker image rm``): the same
commands under the names modern tutorials use, with their own usage lines."""

from __future__ import annotations

import pytest


def test_container_subcommands_do_what_the_plain_commands_do(engines):
    name = engines.name("mgmt")

    def scenario(rec):
        rec.run("container", "create", "--name", name, "busybox", "sh", "-c", "echo hi; exit 2")
        rec.run("container", "start", "-a", name)
        rec.run("container", "ls", "-a", "--filter", f"name=^{name}$", "--format", "{{.Names}} {{.Status}}")
        rec.run("container", "list", "-a", "--filter", f"name=^{name}$", "-q")
        rec.run("container", "inspect", "-f", "{{.State.ExitCode}}", name)
        rec.run("container", "logs", name)
        rec.run("container", "rm", name)
        rec.state(name)

    engines.compare(scenario)


def test_image_subcommands_do_what_the_plain_commands_do(engines):
    tag = engines.image("mgmtimg")

    def scenario(rec):
        rec.run("image", "tag", "busybox", tag)
        rec.run("image", "ls", tag, "--format", "{{.Repository}}:{{.Tag}}")
        rec.run("image", "inspect", "-f", "{{.Os}}", tag)
        rec.run("image", "rm", tag)
        rec.run("image", "ls", tag, "-q")

    engines.compare(scenario)


@pytest.mark.parametrize("args", [
    ("container", "nosuch"), ("container", "ls", "--nope"), ("container", "list", "--nope"), ("container", "rm"),
    ("image", "rm"), ("image", "ls", "a", "b"), ("container", "ls", "--help"), ("image", "nosuch"),
    ("images", "a", "b"), ("commit", "a", "b", "c"), ("commit",), ("import", "nosuch-file-cf", "b", "c"),
], ids=" ".join)
def test_a_wrong_command_line_is_refused_as_docker_does(engines, args):
    """Each way of counting arguments wrong has its own words in Docker's CLI."""
    def scenario(rec):
        rec.run(*args, compare="top" if "--help" in args else "all")

    engines.compare(scenario)


def test_container_prune_removes_every_stopped_container(engines):
    """The reference engine may hold other stopped containers: a first prune (only its exit
    code compared) clears them. Docker lists the removed ids in no fixed order: a set."""
    created, written, running = engines.name("prc"), engines.name("prw"), engines.name("prr")

    def scenario(rec):
        rec.setup("container", "prune", "-f")
        rec.run("container", "prune")  # no answer on standard input: nothing happens
        rec.setup("create", "--name", created, "busybox", "true")
        rec.setup("run", "--name", written, "busybox", "sh", "-c", "echo 12345 > f")
        rec.setup("run", "-d", "--name", running, "busybox", "sleep", "1000")
        rec.run("container", "prune", "--force", compare="diffset")
        rec.run("ps", "-a", "--filter", f"name=^({created}|{written}|{running})$", "--format", "{{.Names}}")
        rec.run("container", "prune", "-f")

    engines.compare(scenario)


def test_image_prune_removes_dangling_images_and_with_a_every_unused_one(engines):
    """A container keeps busybox in use throughout, so ``-a`` leaves it (and its tag) alone."""
    keeper, source = engines.name("prkeep"), engines.name("prsrc")
    tag = engines.image("prtag")

    def scenario(rec):
        rec.setup("create", "--name", keeper, "busybox", "true")
        rec.setup("image", "prune", "-f")
        rec.setup("run", "--name", source, "busybox", "sh", "-c", "echo layer > f")
        rec.setup("commit", source)  # an image without a name: dangling
        rec.setup("commit", source, tag)
        rec.setup("rm", source)
        rec.run("image", "prune")
        rec.run("image", "prune", "-f", compare="diffset")
        rec.run("image", "ls", tag, "--format", "{{.Repository}}:{{.Tag}}")
        rec.run("image", "prune", "-a", "-f", compare="diffset")
        rec.run("image", "ls", tag, "-q")
        rec.run("image", "ls", "busybox", "--format", "{{.Repository}}")

    engines.compare(scenario)
