"""Labels, image filters, ``system df`` and ``system prune`` on both engines.

The reference engine is shared with other tests, so what these prune is chosen by a label
no one else uses, and ``system df`` is compared by its shape (the rows and headers), not by
the totals of everything else on that engine.
"""

from __future__ import annotations

import re
import secrets

DOCKERFILE = 'FROM busybox\nLABEL kind=lesson note="two words"\nRUN echo made > made\n'


def test_labels_from_the_image_the_command_line_and_a_build(engines, tmp_path):
    name, image = engines.name("lab"), engines.image()
    context = _context(tmp_path)

    def scenario(rec):
        rec.setup("build", "-q", "--label", "built=yes", "--label", "kind=override", "-t", image, context)
        rec.run("inspect", "-f", "{{json .Config.Labels}}", image)
        rec.run("history", "--format", "{{.CreatedBy}}", image, compare="diffset")
        rec.setup("create", "--name", name, "-l", "x=1", "--label", "flag", "--label", "kind=container", image)
        rec.run("inspect", "-f", "{{json .Config.Labels}}", name)
        for spec in ("label=x", "label=x=1", "label=x=2", "label=flag", "label=kind=container"):
            rec.run("ps", "-a", "--filter", f"name={name}", "--filter", spec, "--format", "{{.Names}}")
        rec.run("ps", "-a", "--filter", f"name={name}", "--format", "{{.Labels}}",
                compare="diffset")
        rec.run("create", "--label", "=nokey", "busybox")
        for spec in ("label=built=yes", "label=kind=override", "label=kind=lesson"):
            rec.run("images", "--filter", spec, "--filter", f"reference={image}", "--format", "{{.Repository}}:{{.Tag}}")

    engines.compare(scenario)


def test_image_filters(engines, tmp_path):
    first, second = engines.image("flt"), engines.image("flt")
    context = _context(tmp_path)

    def scenario(rec):
        rec.setup("tag", "busybox", first)
        rec.setup("build", "-q", "-t", second, context)
        stem = first.split("-")[0]
        rec.run("images", "--filter", f"reference={first}", "--format", "{{.Tag}}")
        rec.run("images", "--filter", f"reference={stem}-*", "--format", "{{.Repository}}", compare="diffset")
        rec.run("images", "--filter", f"since={first}", "--filter", f"reference={stem}-*", "--format", "{{.Tag}}")
        rec.run("images", "--filter", f"before={second}", "--filter", f"reference={stem}-*", "--format", "{{.Tag}}")
        rec.run("images", "--filter", "dangling=maybe")
        rec.run("images", "--filter", "nosuch=1")
        rec.run("images", "--filter", "since=nosuch-image-x")
        rec.run("images", "--filter", "dangling=false", "--filter", f"reference={second}", "-q")

    engines.compare(scenario)


def test_system_prune_removes_only_what_its_filter_names(engines, tmp_path):
    mark = f"dockersim-prune-{secrets.token_hex(4)}"
    stopped, running, image = engines.name("sp"), engines.name("sp"), engines.image()
    context = _context(tmp_path)

    def scenario(rec):
        rec.setup("create", "--name", stopped, "--label", f"mark={mark}", "busybox", "true")
        rec.setup("run", "-d", "--name", running, "--label", f"mark={mark}", "busybox", "sleep", "1000")
        rec.setup("build", "-q", "--label", f"mark={mark}", "-t", image, context)
        rec.setup("build", "-q", "--no-cache", "--label", f"mark={mark}", "-t", image, context)  # one dangling
        rec.run("system", "prune", "--filter", f"label=mark={mark}")  # no answer on stdin: nothing goes
        rec.run("ps", "-a", "--filter", f"label=mark={mark}", "--format", "{{.Names}}", compare="diffset")
        rec.run("system", "prune", "-f", "--filter", f"label=mark={mark}", compare="top")
        rec.run("ps", "-a", "--filter", f"label=mark={mark}", "--format", "{{.Names}}")
        rec.run("images", "--filter", f"label=mark={mark}", "--format", "{{.Repository}}")
        rec.run("system", "prune", "-a", "-f", "--filter", f"label=mark={mark}", compare="top")
        rec.run("images", "--filter", f"label=mark={mark}", "-q")
        rec.run("system", "prune", "-f", "--filter", "nosuch=1")
        rec.run("system", "prune", "-f", "--filter", f"label=mark={mark}-none")
        rec.run("container", "prune", "-f", "--filter", f"label=mark={mark}-none")
        rec.run("image", "prune", "-f", "--filter", f"label=mark={mark}-none")
        rec.setup("rm", "-f", running)

    engines.compare(scenario)


def _context(tmp_path) -> str:
    """A build context of its own: the test's folder also holds dockersim's data root."""
    (tmp_path / "context").mkdir()
    (tmp_path / "context" / "Dockerfile").write_text(DOCKERFILE)
    return str(tmp_path / "context")


def _shape(text: str) -> str:
    """A ``system df`` table without its numbers: each row's first cell, the header as is."""
    lines = text.splitlines()
    return "\n".join([lines[0], *(re.split(r"  +", line)[0] for line in lines[1:])]) if lines else ""


def test_system_df_has_dockers_rows_and_sections(engines):
    def scenario(rec):
        result = rec.cli("system", "df")
        rec.note("system df: exit code", result.rc)
        rec.note("system df: shape", _shape(result.stdout))
        verbose = rec.cli("system", "df", "-v")
        rec.note("system df -v: exit code", verbose.rc)
        rec.note("system df -v: headings and headers (their words: widths follow the rows)", "\n".join(
            " | ".join(re.split(r"  +", line)) for line in verbose.stdout.splitlines()
            if line.endswith(":") or line.startswith(("REPOSITORY", "CONTAINER ID", "VOLUME NAME", "CACHE ID", "Build cache"))))
        rec.run("system", "df", "--format", "{{.Type}}")
        rec.run("system", "df", "--format", "table {{.Type}}\t{{.TotalCount}}", compare="top")
        rec.run("system", "df", "--format", "{{.Nope}}")
        rec.run("system", "df", "extra")

    engines.compare(scenario)
