"""commit, history, tag, rmi on real layers, on both tiers."""

from __future__ import annotations

import io
import tarfile

import pytest

pytestmark = pytest.mark.sandbox


def test_commit_turns_the_read_write_layer_into_a_read_only_layer(engine):
    engine.run("busybox", ["sh", "-c", "echo hi > x; rm bin/ls; mkdir d"], name="src", workdir="/")
    image_id = engine.commit("src", "img:1", message="first").stdout.strip()
    config = engine.store.images.config(image_id)
    assert len(config["rootfs"]["diff_ids"]) == 2
    assert config["history"][-1]["created_by"] == "sh -c echo hi > x; rm bin/ls; mkdir d"
    layer = engine.store.layers.chain(config["rootfs"]["diff_ids"])[-1]
    names = tarfile.open(fileobj=io.BytesIO(layer.tar_path.read_bytes())).getnames()
    assert set(names) >= {"x", "d", "bin/.wh.ls"}  # a real tar diff with an OCI whiteout
    run = engine.run("img:1", ["sh", "-c", "cat x; test -e bin/ls || echo gone; test -d d && echo dir"], rm=True, workdir="/")
    assert run.stdout == "hi\ngone\ndir\n"
    history = engine.history("img:1").stdout.splitlines()
    assert history[0].split()[:2] == ["IMAGE", "CREATED"]
    assert history[1].startswith(image_id[7:19]) and history[1].rstrip().endswith("first")
    assert "Imported from -" in history[2]


def test_layers_are_shared_by_content_and_rmi_releases_them(engine):
    engine.run("busybox", ["sh", "-c", "echo hi > x"], name="src", workdir="/")
    first = engine.commit("src", "a:1").stdout.strip()
    second = engine.commit("src", "b:1").stdout.strip()
    chains = [engine.store.images.config(i)["rootfs"]["diff_ids"] for i in (first, second)]
    assert chains[0] == chains[1]
    assert engine.rmi("a:1").stdout.splitlines() == ["Untagged: a:1", f"Deleted: {first}"]  # the layer is b's too
    out = engine.rmi("b:1").stdout.splitlines()
    assert out[:2] == ["Untagged: b:1", f"Deleted: {second}"] and len(out) == 3  # now the layer goes


def test_tag_and_the_rules_of_rmi(engine):
    engine.create("busybox", ["true"], name="user")
    assert engine.tag("busybox", "bb:2").ok
    assert engine.rmi("bb:2").stdout == "Untagged: bb:2\n"
    refused = engine.rmi("busybox")
    assert refused.exit_code == 1 and "(must force) - container" in refused.stderr
    assert engine.rmi("nosuch").stderr == "Error response from daemon: No such image: nosuch:latest\n"


def test_images_q_prints_one_id_per_row_as_docker_does(engine):
    engine.tag("busybox", "bb:2")
    short = engine.images(quiet=True).stdout.split()
    assert len(short) == 2 and short[0] == short[1]  # two names, one image: listed twice
    assert len(set(engine.images(quiet=True, no_trunc=True).stdout.split())) == 1


def test_commit_c_changes_the_new_images_config(engine):
    engine.create("busybox", ["true"], name="src")
    image_id = engine.commit("src", "ch:1", changes=['CMD ["echo", "changed"]', "ENV A=1"]).stdout.strip()
    config = engine.store.images.config(image_id)
    assert config["config"]["Cmd"] == ["echo", "changed"] and config["config"]["Env"] == ["A=1"]
    assert config["container_config"]["Cmd"] == ["true"]
    assert engine.run("ch:1", rm=True).stdout == "changed\n"
