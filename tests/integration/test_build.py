"""docker build on the real sandbox, both tiers (relative paths: see the process tier)."""

from __future__ import annotations

import io
import tarfile

import pytest

pytestmark = pytest.mark.sandbox

DOCKERFILE = """FROM busybox
WORKDIR /app
RUN echo hi > greeting
COPY hello.txt .
ADD bundle.tar unpacked/
ENV WHO=world
CMD ["cat", "greeting", "hello.txt", "unpacked/inside"]
"""


@pytest.fixture
def context(tmp_path):
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text(DOCKERFILE)
    (ctx / "hello.txt").write_text("hello\n")
    (ctx / "secret.key").write_text("do not copy\n")
    (ctx / ".dockerignore").write_text("*.key\n")
    with tarfile.open(ctx / "bundle.tar", "w") as tar:
        info = tarfile.TarInfo("inside")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"in\n"))
    return ctx


def test_build_runs_each_step_and_the_image_runs(engine, context):
    step = engine.build(str(context), tag="app:1")
    assert step.ok, step.stderr
    lines = step.stdout.replace("\r", "").splitlines()
    assert lines[1] == "Step 1/7 : FROM busybox" and lines[-1] == "Successfully tagged app:1"
    assert engine.run("app:1", rm=True).stdout == "hi\nhello\nin\n"
    history = engine.store.images.config(engine.store.images.resolve("app:1"))["history"]
    assert history[-1]["created_by"] == '/bin/sh -c #(nop)  CMD ["cat" "greeting" "hello.txt" "unpacked/inside"]'
    assert history[-1]["empty_layer"] is True
    assert engine.ps(all=True).stdout.count("\n") == 1  # every intermediate container removed


def test_the_cache_reuses_steps_until_a_copied_file_changes(engine, context):
    engine.build(str(context), tag="app:1")
    again = engine.build(str(context), tag="app:1").stdout
    assert again.count(" ---> Using cache") == 6
    (context / "hello.txt").write_text("changed\n")
    third = engine.build(str(context), tag="app:1").stdout
    assert third.count(" ---> Using cache") == 2  # WORKDIR and RUN; COPY sees new content
    assert "Using cache" not in engine.build(str(context), tag="app:1", no_cache=True).stdout


def test_ignored_and_outside_files_cannot_be_copied(engine, context):
    (context / "Dockerfile").write_text("FROM busybox\nCOPY secret.key /\n")
    step = engine.build(str(context))
    assert step.exit_code == 1
    assert "COPY failed: file not found in build context or excluded by .dockerignore: stat secret.key" in step.stderr
    (context / "Dockerfile").write_text("FROM busybox\nCOPY ../outside /\n")
    assert "forbidden path outside the build context: ../outside" in engine.build(str(context)).stderr


def test_a_failing_run_keeps_the_steps_built_and_tags_nothing(engine, context):
    (context / "Dockerfile").write_text("FROM busybox\nWORKDIR /app\nRUN exit 3\n")
    step = engine.build(str(context), tag="broken:1")
    assert step.exit_code == 3
    assert step.stderr.endswith("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n")
    assert "broken:1" not in engine.store.images.tags()
    assert "<none>" in engine.images(all=True).stdout  # the WORKDIR step stays, as an intermediate image


def test_user_is_looked_up_in_the_image_and_enforced(engine, context, tier):
    if tier == "process":
        pytest.skip("on the process tier the host's permissions on the data root decide what another user may run")
    (context / "Dockerfile").write_text(
        'FROM busybox\nRUN echo "app:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd\nUSER app\nCMD ["id", "-u"]\n')
    assert engine.build(str(context), tag="user:1").ok
    ran = engine.run("user:1", rm=True)
    assert ran.stdout == "1000\n", ran.stderr
    (context / "Dockerfile").write_text("FROM busybox\nUSER nobody\n")
    assert engine.build(str(context), tag="nobody:1").ok
    refused = engine.run("nobody:1", ["true"])
    assert refused.exit_code == 125
    assert refused.stderr.startswith("docker: Error response from daemon: unable to find user nobody: no matching entries in passwd file")


def test_exec_runs_as_the_containers_user(engine, context, tier):
    if tier == "process":
        pytest.skip("on the process tier the host's permissions on the data root decide what another user may run")
    (context / "Dockerfile").write_text('FROM busybox\nRUN echo "app:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd\nUSER app\n')
    assert engine.build(str(context), tag="user:2").ok
    engine.run("user:2", ["sleep", "1000"], name="as-app", detach=True)
    assert engine.exec("as-app", ["id", "-u"]).stdout == "1000\n"


def test_rmi_still_works_after_a_failed_build_from_scratch(engine, context):
    """The failed RUN leaves its container behind, standing on no image at all."""
    (context / "Dockerfile").write_text("FROM scratch\nRUN true\n")
    assert not engine.build(str(context)).ok
    assert engine.pull("busybox").ok
    engine.tag("busybox", "copy:1")
    engine.rmi("busybox")
    removed = engine.rmi("copy:1")
    assert removed.ok, removed.stderr
    assert "Deleted: sha256:" in removed.stdout
    assert engine.images().stdout.splitlines()[1:] == []
