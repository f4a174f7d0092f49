"""``--format`` (Go templates) and ``ps --filter``, against the reference engine: what a
tutorial's ``docker inspect -f '{{.State.Status}}'`` or ``docker ps --filter status=exited``
prints, and Docker's words when the template or the filter is wrong."""

from __future__ import annotations

import pytest

def _created_and_exited(rec, created: str, exited: str) -> None:
    """Two containers whose fields differ: one never started, one that exited with 3."""
    rec.setup("create", "--name", created, "busybox", "sleep", "1000")
    rec.setup("run", "--name", exited, "busybox", "sh", "-c", "exit 3", expect=3)


INSPECT_TEMPLATES = [
    "{{.State.Status}} {{.State.Running}} {{.State.ExitCode}} {{.Name}}",
    "{{.Config.Cmd}} {{json .Config.Cmd}} {{len .Config.Cmd}} {{index .Config.Cmd 0}} {{join .Config.Cmd \",\"}}",
    "{{range .Config.Cmd}}<{{.}}>{{end}} {{if .State.Running}}up{{else}}down{{end}} {{upper .Name | lower}}",
    "{{.Config.Labels}} {{json .Config.Labels}} {{.Args}} {{printf \"%s=%d\" .Name .State.ExitCode}}",
    "{{- .Config.Image -}}  {{/* a comment */}}",
]


@pytest.mark.parametrize("template", INSPECT_TEMPLATES, ids=range(len(INSPECT_TEMPLATES)))
def test_inspect_f_prints_the_template_for_each_container(engines, template):
    created, exited = engines.name("fmtc"), engines.name("fmtx")

    def scenario(rec):
        _created_and_exited(rec, created, exited)
        rec.run("inspect", "-f", template, created, exited)
        rec.run("inspect", "--format", template, exited)

    engines.compare(scenario)


@pytest.mark.parametrize("template", ["{{.Nope}}", "{{.State.Nope}}", "{{.Name", "{{nope .Name}}", "{{end}}",
                                      "{{if .Name}}", "{{index .Config.Cmd 5}}", "{{.Name.X}}"])
def test_inspect_f_with_a_wrong_template_fails_as_docker_does(engines, template):
    name = engines.name("fmtbad")

    def scenario(rec):
        rec.setup("create", "--name", name, "busybox", "true")
        rec.run("inspect", "-f", template, name)
        rec.run("inspect", "-f", template, name, "nosuch-object-cf")

    engines.compare(scenario)


def test_inspect_f_reads_an_image_too(engines):
    def scenario(rec):
        rec.run("inspect", "-f", "{{.Os}} {{.Architecture}} {{len .RootFS.Layers}} {{.RootFS.Type}}", "busybox")
        rec.run("inspect", "-f", "{{.State.Status}}", "busybox")

    engines.compare(scenario)


PS_TEMPLATES = [
    "{{.Names}} {{.Status}} {{.State}} {{.Image}} {{.Command}}",
    "table {{.Names}}\\t{{.Status}}\\t{{.Command}}",
    "{{.Names}}\\t{{.Labels}}|{{.Mounts}}|{{.Ports}}|{{.LocalVolumes}}\\n",
    "table {{.ID}} {{.Names}}",
    "{{.Names}} {{.Size}}",
    "table",
]


@pytest.mark.parametrize("template", PS_TEMPLATES, ids=range(len(PS_TEMPLATES)))
def test_ps_format_prints_the_template_for_each_container(engines, template):
    """Limited to this test's containers by a name filter: the reference engine may hold others."""
    created, exited = engines.name("psfc"), engines.name("psfx")

    def scenario(rec):
        _created_and_exited(rec, created, exited)
        rec.run("ps", "-a", "--filter", f"name=^({created}|{exited})$", "--format", template,
                compare="ps" if template == "table" else "all")

    engines.compare(scenario)


@pytest.mark.parametrize("args", [
    ("--format", "{{.Nope}}"), ("--format", "{{.Names"), ("--format", "{{.Names}}", "-q"),
    ("--filter", "bogus=1"), ("--filter", "status=bogus"), ("--filter", "nofilter"), ("--filter", "exited=x"),
    ("--filter", "=x"), ("--filter", "before=nosuch-container-cf"), ("-n", "x"),
], ids=lambda a: " ".join(a))
def test_ps_with_a_wrong_format_or_filter_fails_as_docker_does(engines, args):
    def scenario(rec):
        rec.run("ps", "--filter", "name=^nothing-is-called-this-cf$", *args)

    engines.compare(scenario)


def test_ps_filters_pick_containers_by_status_exit_code_name_age_and_image(engines):
    first, second, third = engines.name("psflta"), engines.name("psfltb"), engines.name("psfltc")
    mine = f"name=^({first}|{second}|{third})$"

    def scenario(rec):
        rec.setup("create", "--name", first, "busybox", "true")
        rec.setup("run", "--name", second, "busybox", "sh", "-c", "exit 3", expect=3)
        rec.setup("run", "--name", third, "busybox", "true")
        show = ("--format", "{{.Names}}")
        rec.run("ps", "--filter", mine, "--filter", "status=created", *show)  # a status filter lists stopped ones
        rec.run("ps", "--filter", mine, "--filter", "exited=3", *show)  # exited does not
        rec.run("ps", "-a", "--filter", mine, "--filter", "exited=3", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", "status=exited", "--filter", "status=created", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", f"before={second}", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", f"since={first}", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", "ancestor=busybox", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", "ancestor=no-such-image-cf", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", "label=x", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", "health=none", *show)
        rec.run("ps", "-a", "--filter", mine, "--filter", "name=^psflt[bc]-", *show)
        rec.run("ps", "--filter", mine, "-n", "2", *show)  # the last two created, whatever their state
        rec.run("ps", "--filter", mine, "-l", "-q")
        rec.run("ps", "--filter", mine, "-n", "0", *show)
        rec.run("ps", "--filter", mine, "-l", "-n", "2", *show)
        rec.run("ps", "--filter", mine, "-n", "1", "--filter", "status=created", *show)
        rec.run("ps", "-a", "--filter", "name=[", "-q")

    engines.compare(scenario)


@pytest.mark.parametrize("template", ["{{.Repository}}:{{.Tag}} {{.Size}} {{.Digest}} {{.Containers}}",
                                      "table {{.Repository}}\\t{{.Tag}}\\t{{.VirtualSize}}", "{{.Nope}}", "{{.ID"])
def test_images_format(engines, template):
    def scenario(rec):
        rec.run("images", "busybox", "--format", template)
        rec.run("images", "busybox", "-q", "--format", "{{.Tag}}")

    engines.compare(scenario)


def test_ps_s_adds_the_size_of_each_read_write_layer(engines):
    """``ps -s`` and ``{{.Size}}``: the bytes the container wrote (to a relative path: on the
    process tier an absolute one is the host's)."""
    written, created = engines.name("pssw"), engines.name("pssc")

    def scenario(rec):
        rec.setup("run", "--name", written, "busybox", "sh", "-c", "echo 123456789 > data")
        rec.setup("create", "--name", created, "busybox", "true")
        rec.run("ps", "-s", "-a", "--filter", f"name=^({written}|{created})$", compare="ps")
        rec.run("ps", "-a", "--filter", f"name=^{written}$", "--format", "{{.Names}} {{.Size}}")

    engines.compare(scenario)
