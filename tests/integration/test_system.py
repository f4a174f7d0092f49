"""system df measures for real: each layer once, each read-write layer; system prune frees it."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.sandbox


def _rows(engine) -> dict[str, dict[str, str]]:
    step = engine.system_df(format="{{json .}}")
    assert step.ok, step.stderr
    return {row["Type"]: row for row in map(json.loads, step.stdout.splitlines())}


def test_a_shared_layer_counts_once_and_a_read_write_layer_as_its_bytes(engine, tmp_path):
    base = sum(layer.size for layer in engine._layers_of(engine.store.images.resolve("busybox")))
    engine.run("busybox", ["sh", "-c", "head -c 5000 /dev/zero > big"], name="writer", workdir="/")
    assert engine.commit("writer", "child:1").ok  # busybox's layer plus one of 5000 bytes
    rows = _rows(engine)
    assert rows["Images"]["TotalCount"] == "2" and rows["Images"]["Active"] == "1"
    from simulator.model.present import human_size

    assert rows["Images"]["Size"] == human_size(base + 5000, 4)  # not 2 x base: the layer is shared
    assert rows["Containers"] == {"Active": "0", "Reclaimable": "5kB (100%)", "Size": "5kB", "TotalCount": "1",
                                  "Type": "Containers"}
    verbose = engine.system_df(verbose=True).stdout
    child = next(line for line in verbose.splitlines() if line.startswith("child"))
    assert child.split()[-4:] == [human_size(base + 5000), human_size(base, 4), "5kB", "0"]

    pruned = engine.system_prune(all=True, force=True)  # the container, then both images: nothing uses them
    assert pruned.ok and "untagged: child:1" in pruned.stdout and "untagged: busybox:latest" in pruned.stdout
    assert pruned.stdout.endswith(f"Total reclaimed space: {human_size(5000 + base + 5000, 4)}\n")
    rows = _rows(engine)
    assert rows["Containers"]["TotalCount"] == "0" and rows["Images"]["TotalCount"] == "0"
