"""Read-only layers, stored once by content.

Layout (one directory per layer, named by its chain id, as Docker's layerdb does)::

    layers/<chain-id hex>/
        diff-id      sha256 of the uncompressed tar diff
        parent       chain id of the layer below ("" for a base layer)
        size         bytes of the unpacked files
        layer.tar    the tar diff itself (what ``save`` ships and the diffID hashes)
        diff/        the unpacked files, used directly as an overlayfs lower directory

Two images that share a layer share the directory: nothing is copied.
"""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

from ..model.objects import chain_ids
from .atomic import rmtree

__all__ = ["Layer", "LayerStore"]


class Layer(namedtuple("Layer", ["chain_id", "diff_id", "parent", "size", "path"])):
    """A stored layer; ``path`` is its directory."""

    __slots__ = ()

    @property
    def diff_dir(self) -> Path:
        return self.path / "diff"

    @property
    def tar_path(self) -> Path:
        return self.path / "layer.tar"


class LayerStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _dir(self, chain_id: str) -> Path:
        return self.root / chain_id.removeprefix("sha256:")

    def get(self, chain_id: str) -> Layer:
        d = self._dir(chain_id)
        return Layer(
            chain_id=chain_id,
            diff_id=(d / "diff-id").read_text(),
            parent=(d / "parent").read_text(),
            size=int((d / "size").read_text()),
            path=d,
        )

    def exists(self, chain_id: str) -> bool:
        return (self._dir(chain_id) / "diff-id").exists()

    def chain(self, diff_ids: list[str]) -> list[Layer]:
        """The layers of an image, bottom first."""
        return [self.get(c) for c in chain_ids(diff_ids)]

    def staging(self) -> Path:
        """A fresh directory to build a layer in before ``register`` moves it into place."""
        tmp = self.root / f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
        tmp.mkdir()
        return tmp

    def register(self, staged: Path, diff_id: str, parent_chain: str, size: int) -> Layer:
        """Move a staged layer (``layer.tar`` and ``diff/`` inside) into place.

        If the same content is already stored, the staged copy is discarded: layers are
        shared by content. The caller holds the store lock.
        """
        chain_id = chain_ids([parent_chain, diff_id])[1] if parent_chain else diff_id
        final = self._dir(chain_id)
        if self.exists(chain_id):
            rmtree(staged)
            return self.get(chain_id)
        (staged / "parent").write_text(parent_chain)
        (staged / "size").write_text(str(size))
        (staged / "diff-id").write_text(diff_id)  # written last: marks the layer complete
        if final.exists():  # a half-registered leftover from a crash
            rmtree(final)
        os.replace(staged, final)
        return self.get(chain_id)

    def remove(self, chain_id: str) -> None:
        d = self._dir(chain_id)
        if d.exists():
            trash = d.with_name(f".trash-{d.name}-{os.urandom(4).hex()}")
            os.replace(d, trash)  # gone from view at once; the slow delete follows
            rmtree(trash)
