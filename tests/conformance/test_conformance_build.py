"""docker build with the classic builder, on both engines: steps, cache, history, failures."""

from __future__ import annotations

import re

DOCKERFILE = """FROM busybox
# a comment
ENV GREETING=hi
RUN echo $GREETING > /greeting && \\
    mkdir -p /app
COPY hello.txt /app/
WORKDIR /app
CMD ["cat", "hello.txt"]
"""
BANNER = re.compile(r"^(DEPRECATED: The legacy builder.*|\s+BuildKit is currently disabled.*|\s+environment-variable\.|)$")


def _context(tmp_path, dockerfile: str):
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text(dockerfile)
    (ctx / "hello.txt").write_text("hello\n")
    return ctx


def _record(cli, *args):
    result = cli(*args)
    err = "\n".join(line for line in result.stderr.splitlines() if not BANNER.match(line))
    return result.rc, cli.norm(result.stdout), cli.norm(err)


def test_build_twice_uses_the_cache_and_writes_the_same_history(engines, tmp_path):
    image = engines.image()
    ctx = _context(tmp_path, DOCKERFILE)
    engines.ref.env["DOCKER_BUILDKIT"] = "0"  # the classic builder, as the seed article describes
    for what in ("first build", "cached build"):
        sim, ref = _record(engines.sim, "build", "-t", image, str(ctx)), _record(engines.ref, "build", "-t", image, str(ctx))
        assert sim == ref, what
    sim_history = _record(engines.sim, "history", "--no-trunc", image)[1]
    ref_history = _record(engines.ref, "history", "--no-trunc", image)[1]
    cells = lambda text: [re.split(r"  +", row.strip())[2:] for row in text.splitlines()[1:]]  # noqa: E731
    assert cells(sim_history) == cells(ref_history)
    assert engines.sim("run", "--rm", image).stdout == engines.ref("run", "--rm", image).stdout == "hello\n"


def test_a_failing_run_stops_the_build_with_dockers_message(engines, tmp_path):
    ctx = _context(tmp_path, "FROM busybox\nRUN exit 3\n")
    engines.ref.env["DOCKER_BUILDKIT"] = "0"
    try:
        assert _record(engines.sim, "build", str(ctx)) == _record(engines.ref, "build", str(ctx))
    finally:  # the failed step's container stays, as in Docker
        for cli in (engines.ref, engines.sim):
            left = cli("ps", "-aq", "--filter", "status=exited").stdout.split()
            if left:
                cli("rm", *left)


def test_an_unknown_instruction_is_a_parse_error(engines, tmp_path):
    ctx = _context(tmp_path, "FROM busybox\nFOO bar\n")
    engines.ref.env["DOCKER_BUILDKIT"] = "0"
    assert _record(engines.sim, "build", str(ctx)) == _record(engines.ref, "build", str(ctx))


def test_a_build_from_scratch(engines, tmp_path):
    image = engines.image()
    ctx = _context(tmp_path, "FROM scratch\nCOPY hello.txt /hello.txt\n")
    engines.ref.env["DOCKER_BUILDKIT"] = "0"
    assert _record(engines.sim, "build", "-t", image, str(ctx)) == _record(engines.ref, "build", "-t", image, str(ctx))
    sim_rows = _record(engines.sim, "history", "--no-trunc", image)[1].splitlines()
    ref_rows = _record(engines.ref, "history", "--no-trunc", image)[1].splitlines()
    assert len(sim_rows) == len(ref_rows) == 2
    assert re.split(r"  +", sim_rows[1])[2:] == re.split(r"  +", ref_rows[1])[2:]
