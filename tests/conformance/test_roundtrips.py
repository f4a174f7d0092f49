"""Archives across engines: what dockersim saves, Docker loads and runs, and the reverse."""

from __future__ import annotations


def test_dockersim_save_then_docker_load_and_run(engines, tmp_path):
    name, image = engines.name("saved"), engines.image()
    sim, ref = engines.sim, engines.ref
    assert sim("run", "--name", name, "-w", "/", "busybox", "sh", "-c", "echo hi > x; rm bin/ls").rc == 0
    assert sim("commit", name, image).rc == 0
    archive = tmp_path / "from-dockersim.tar"
    assert sim("save", "-o", str(archive), image).rc == 0
    loaded = ref("load", "-i", str(archive))
    assert (loaded.rc, loaded.stdout) == (0, f"Loaded image: {image}\n")
    assert ref("image", "inspect", "-f", "{{.Id}}", image).stdout == sim("images", "-q", "--no-trunc", image.split(":")[0]).stdout
    ran = ref("run", "--rm", image, "sh", "-c", "cat /x 2>/dev/null || cat x; ls /bin/ls")
    assert ran.stdout.startswith("hi\n") and "No such file" in ran.stderr


def test_docker_save_then_dockersim_load_and_run(engines, tmp_path):
    name, image = engines.name("theirs"), engines.image()
    sim, ref = engines.sim, engines.ref
    assert ref("run", "--name", name, "busybox", "sh", "-c", "echo from-docker > /y; rm /bin/cat").rc == 0
    assert ref("commit", name, image).rc == 0
    archive = tmp_path / "from-docker.tar"
    assert ref("save", "-o", str(archive), image).rc == 0
    loaded = sim("load", "-i", str(archive))
    assert (loaded.rc, loaded.stdout) == (0, f"Loaded image: {image}\n")
    assert sim("images", "-q", "--no-trunc", image.split(":")[0]).stdout == ref("image", "inspect", "-f", "{{.Id}}", image).stdout
    ran = sim("run", "--rm", "-w", "/", image, "sh", "-c", "head -1 y; ls bin/cat")
    assert ran.stdout == "from-docker\n" and "No such file" in ran.stderr


def test_export_then_import_on_both_engines(engines, tmp_path):
    name, image = engines.name("flat"), engines.image()
    for cli in (engines.sim, engines.ref):
        assert cli("run", "--name", name, "-w", "/", "busybox", "sh", "-c", "echo flat > f").rc == 0
        archive = tmp_path / f"{cli.label}.tar"
        assert cli("export", "-o", str(archive), name).rc == 0
        imported = cli("import", "-c", 'CMD ["sh"]', str(archive), image)
        assert imported.rc == 0 and imported.stdout.startswith("sha256:")
        history = cli("history", image).stdout.splitlines()
        assert len(history) == 2 and history[1].rstrip().endswith("Imported from -")
        assert cli("run", "--rm", "-w", "/", image, "cat", "f").stdout == "flat\n"
