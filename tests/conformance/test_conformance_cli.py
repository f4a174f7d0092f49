"""Commands and flags of the docker CLI whose every answer is compared: ``rename``,
``history --format``, ``inspect`` by type (``image inspect``, ``container inspect``,
``--type``, ``-s``) and what ``rmi -f`` and ``rm -f`` do with names that are not there."""

from __future__ import annotations

import pytest


def test_rename_in_every_state_and_each_refusal(engines):
    """A container keeps its id and state under its new name; each refusal has the daemon's
    words and the CLI's own line after them."""
    first, second, running, new = (engines.name("rn") for _ in range(4))

    def scenario(rec):
        rec.setup("create", "--name", first, "busybox", "true")
        rec.setup("create", "--name", second, "busybox", "true")
        rec.setup("run", "-d", "--name", running, "busybox", "sleep", "1000")
        rec.run("rename", first, first)             # the same name
        rec.run("rename", first, second)            # a name in use: the conflict names its holder
        rec.run("rename", first, "bad/name")        # invalid: worded with its leading /
        rec.run("rename", first, "x")               # one character is not enough
        rec.run("rename", first, "_x")
        rec.run("rename", first, "")                # the CLI refuses before asking
        rec.run("rename", "  ", new)
        rec.run("rename", "nosuch-cf-rename", new)  # unknown container
        rec.run("rename", first)                    # arity
        rec.run("rename", first, new, "extra")
        rec.run("container", "rename")
        rec.run("rename", first, "-x")
        rec.run("rename", first, "/" + new)         # a leading / is Docker's own spelling
        rec.run("inspect", "-f", "{{.Name}} {{.State.Status}}", new)
        rec.run("inspect", "-f", "{{.Name}}", first)
        rec.run("container", "rename", running, first)  # a running container, to the freed name
        rec.state(first)
        rec.run("exec", first, "echo", "still running")

    engines.compare(scenario)


@pytest.mark.parametrize("args", [
    ("--format", "{{json .}}"), ("--format", "json"), ("--format", "table {{.ID}}\t{{.CreatedBy}}"),
    ("--format", "table"), ("--format", ""), ("--format", "{{.ID}} {{.Size}} {{.CreatedAt}} {{.CreatedSince}}", "-H=false"),
    ("--format", "{{.ID}}", "--no-trunc"), ("--format", "{{.ID}}", "-q"), ("-q", "--format", "table {{.ID}}"),
    ("--format", "{{.Nope}}"), ("--format", "{{.ID"), ("--format", "table {{.Comment}}|{{.Size}}"),
    ("--format", "table", "-H=false"), ("--format", "table", "-q"),
], ids=" ".join)
def test_history_format(engines, args):
    # the CREATED column is as wide as its "N minutes ago": the image's age decides, not the engine
    by_cells = args in (("--format", "table"), ("--format", ""))

    def scenario(rec):
        rec.run("history", "busybox", *args, compare="ps" if by_cells else "all")

    engines.compare(scenario)


def test_history_format_of_a_committed_image_and_of_no_image(engines):
    """Rows an image was made of: ``<missing>`` and the one committed; CreatedBy truncated
    but for ``--no-trunc``; a bad template of an unknown image: the image is looked up first."""
    name, tag = engines.name("hf"), engines.image("hfimg")

    def scenario(rec):
        rec.setup("run", "--name", name, "busybox", "sh", "-c", "echo a long line of text > /note; true")
        rec.setup("commit", "-m", "a note", name, tag)
        rec.run("history", tag, "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}")
        rec.run("history", tag, "--format", "{{.CreatedBy}}", "--no-trunc")
        rec.run("history", "nosuch-cf-image", "--format", "{{.ID")

    engines.compare(scenario)


INSPECTS = [
    ("inspect", "{missing}"), ("image", "inspect", "{missing}"), ("container", "inspect", "{missing}"),
    ("inspect", "{missing}", "{missing}2"), ("image", "inspect", "{missing}", "{missing}2"),
    ("inspect", "-f", "{{{{.Id}}}}", "{missing}"),
    ("inspect", "-f", "{{{{.Name}}}}", "{name}", "{missing}"), ("image", "inspect", "-f", "{{{{.Os}}}}", "busybox", "{missing}"),
    ("container", "inspect", "-f", "{{{{.Name}}}}", "{missing}", "{name}"),
    ("image", "inspect", "{name}"), ("container", "inspect", "busybox"),
    ("inspect", "--type", "image", "{missing}"), ("inspect", "--type", "container", "{missing}"),
    ("inspect", "--type", "image", "{name}"), ("inspect", "--type", "container", "busybox"),
    ("inspect", "--type=image", "-f", "{{{{.Os}}}}", "busybox"), ("inspect", "--type", "container", "-f", "{{{{.Name}}}}", "{name}"),
    ("inspect", "--type", "volume", "{missing}"), ("inspect", "--type", "network", "{missing}"),
    ("inspect", "--type", "foo", "{missing}"), ("inspect", "--type", "", "{missing}"),
    ("image", "inspect", "UPPER"), ("inspect", "UPPER"), ("image", "inspect", "busybox:nosuch"),
    ("image", "inspect", "bad name"), ("image", "inspect", ""), ("inspect", ""), ("container", "inspect", ""),
    ("inspect", "-s", "-f", "{{{{.SizeRw}}}} {{{{.SizeRootFs}}}}", "{name}"),
    ("container", "inspect", "-s", "-f", "{{{{.SizeRw}}}}", "{name}"),
    ("inspect", "--type", "image", "-s", "-f", "{{{{.Os}}}}", "busybox"), ("image", "inspect", "-s", "busybox"),
    ("image", "inspect"), ("container", "inspect"),
]


@pytest.mark.parametrize("args", INSPECTS, ids=lambda a: " ".join(a).replace("{", "").replace("}", ""))
def test_inspect_by_type_of_known_and_unknown_names(engines, args):
    name = engines.name("ins")
    missing = f"nosuch-{name}"

    def scenario(rec):
        rec.setup("create", "--name", name, "busybox", "true")
        rec.run(*(a.format(name=name, missing=missing) for a in args))

    engines.compare(scenario)


def test_a_container_that_deleted_its_working_directory_starts_again(engines):
    """Docker makes the working directory at every start, not only at create."""
    name = engines.name("wd")

    def scenario(rec):
        rec.run("run", "-w", "/tmp", "--name", name, "busybox", "sh", "-c", "rm -r /tmp")
        rec.run("start", "-a", name)
        rec.state(name)

    engines.compare(scenario)


@pytest.mark.parametrize("args", [
    ("exec", "-u", "1000", "{name}", "id", "-u"), ("exec", "--user", "nobody", "{name}", "true"),
    ("exec", "-d", "-u", "nobody", "{name}", "true"), ("exec", "-u", "1:nogroup", "{name}", "true"),
    ("run", "--rm", "-u", "1000", "busybox", "id", "-u"), ("run", "--rm", "--user", "nobody", "busybox", "true"),
    ("rm", "-v", "{missing}"),
], ids=lambda a: " ".join(a).replace("{", "").replace("}", ""))
def test_the_user_a_command_runs_as(engines, args, request):
    """``-u``: a uid runs as that uid; a name the image's passwd file does not know is the
    daemon's refusal, worded bare (not the OCI runtime's)."""
    if "process" in request.node.callspec.id and "1000" in args:
        pytest.skip("the process tier cannot yet run a command as another uid: its container root is not theirs")
    name = engines.name("usr")
    missing = f"nosuch-{name}"

    def scenario(rec):
        rec.setup("run", "-d", "--name", name, "busybox", "sleep", "1000")
        rec.run(*(a.format(name=name, missing=missing) for a in args))

    engines.compare(scenario)


@pytest.mark.parametrize("args", [
    ("rmi", "-f", "{missing}"), ("rmi", "{missing}"), ("rmi", "-f", "{missing}", "{missing}2"),
    ("rmi", "-f", "{missing}", "{tag}"), ("rmi", "-f", "UPPER"), ("rmi", "-f", "{missing}", "UPPER"),
    ("rm", "-f", "{missing}"), ("rm", "{missing}"), ("rm", "-f", "{missing}", "{name}"),
], ids=lambda a: " ".join(a).replace("{", "").replace("}", ""))
def test_forced_removal_of_what_is_not_there(engines, args):
    """With -f, a name that is not there is reported but does not fail the command; any
    other refusal still does."""
    name, tag = engines.name("rmf"), engines.image("rmfimg")
    missing = f"nosuch-{name}"

    def scenario(rec):
        rec.setup("create", "--name", name, "busybox", "true")
        rec.setup("tag", "busybox", tag)
        rec.run(*(a.format(name=name, missing=missing, tag=tag) for a in args))
        rec.state(name)

    engines.compare(scenario)
