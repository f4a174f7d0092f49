"""A layer being made is staged aside; whatever goes wrong, no half-made layer stays behind."""

from __future__ import annotations

import pytest

from simulator.store.layers import LayerStore


def test_a_staged_layer_is_removed_when_making_it_fails(tmp_path):
    layers = LayerStore(str(tmp_path / "layers"))
    with pytest.raises(RuntimeError):
        with layers.staged() as staged:
            (staged / "diff").mkdir()
            raise RuntimeError("the rootfs could not be built")
    assert list((tmp_path / "layers").iterdir()) == []


def test_a_registered_layer_stays(tmp_path):
    layers = LayerStore(str(tmp_path / "layers"))
    with layers.staged() as staged:
        (staged / "diff").mkdir()
        (staged / "layer.tar").write_bytes(b"")
        layer = layers.register(staged, "sha256:" + "1" * 64, "", 0)
    assert layers.exists(layer.chain_id) and [p.name for p in (tmp_path / "layers").iterdir()] != []
    assert not any(p.name.startswith(".tmp-") for p in (tmp_path / "layers").iterdir())
