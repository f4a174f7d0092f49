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
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path

from ..model.objects import chain_ids
from .atomic import rmtree

__all__ = ["Layer", "LayerStore"]


class Layer(namedtuple("Layer", ["chain_id", "diff_id", "parent", "size", "path"])):
    """A stored layer; ``path`` is its directory, as a string (see ``Store``)."""

    __slots__ = ()

    @property
    def diff_location(self) -> str:
        """The unpacked files, as a string."""
        return os.path.join(self.path, "diff")

    @property
    def diff_dir(self) -> Path:
        from pathlib import Path  # on demand: the sandbox needs it, listing does not

        return Path(self.diff_location)

    @property
    def tar_path(self) -> Path:
        from pathlib import Path  # on demand: only save reads the tar

        return Path(self.path, "layer.tar")


def _read(folder: str, name: str) -> str:
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        return f.read()


class LayerStore:
    """``location`` is a string; ``root`` the same as a ``Path``."""

    def __init__(self, root: Path | str) -> None:
        self.location = os.fspath(root)
        os.makedirs(self.location, exist_ok=True)

    @property
    def root(self) -> Path:
        from pathlib import Path  # on demand: the sandbox needs it, listing does not

        return Path(self.location)

    def _dir(self, chain_id: str) -> str:
        return os.path.join(self.location, chain_id.removeprefix("sha256:"))

    def get(self, chain_id: str) -> Layer:
        d = self._dir(chain_id)
        return Layer(
            chain_id=chain_id,
            diff_id=_read(d, "diff-id"),
            parent=_read(d, "parent"),
            size=int(_read(d, "size")),
            path=d,
        )

    def exists(self, chain_id: str) -> bool:
        return os.path.exists(os.path.join(self._dir(chain_id), "diff-id"))

    def chain(self, diff_ids: list[str]) -> list[Layer]:
        """The layers of an image, bottom first."""
        return [self.get(c) for c in chain_ids(diff_ids)]

    def staging(self) -> Path:
        """A fresh directory to build a layer in before ``register`` moves it into place."""
        tmp = self.root / f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
        tmp.mkdir()
        return tmp

    def staged(self) -> "_Staged":
        """``with layers.staged() as staged:`` a staging directory that is gone afterwards,
        moved into place by ``register`` or else removed, whatever went wrong."""
        return _Staged(self.staging())

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
        if os.path.exists(final):  # a half-registered leftover from a crash
            rmtree(final)
        os.replace(staged, final)
        return self.get(chain_id)

    def remove(self, chain_id: str) -> None:
        d = self._dir(chain_id)
        if os.path.exists(d):
            trash = os.path.join(self.location, f".trash-{os.path.basename(d)}-{os.urandom(4).hex()}")
            os.replace(d, trash)  # gone from view at once; the slow delete follows
            rmtree(trash)


class _Staged:
    """The context of ``LayerStore.staged`` (a class, not contextlib: the store stays light)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self.path.exists():
            rmtree(self.path)
