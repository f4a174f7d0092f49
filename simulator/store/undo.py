"""Taking back what a command added to the store when it fails half-way.

A commit adds a layer, then an image config, its parent note and maybe a tag, one atomic
file at a time; a ``load`` several of each. Should the disk fill up (or anything fail)
between two of them, the store must look as before the command: no layer that no image
uses, no image without its tag. ``Undo`` notes what it adds and, if the block fails,
removes it again, newest first, then puts back what the tags it moved named before. A
layer or a config that was stored already (shared by content) was not added, and stays.
Removing needs no space, and frees the room the tags file then needs.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from . import Store
    from .layers import Layer

__all__ = ["Undo"]


class Undo:
    """``with store.lock(), store.undo() as undo:`` (the lock held all along)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.layers: list[str] = []
        self.images: list[str] = []
        self.tags: dict[str, str | None] = {}  # tag -> the image it named before (None: none)

    def __enter__(self) -> Undo:
        return self

    def __exit__(self, kind: object, err: object, tb: object) -> None:
        if kind is None:
            return
        for image_id in reversed(self.images):
            self.store.images.delete(image_id)
        for chain_id in reversed(self.layers):
            self.store.layers.remove(chain_id)
        if self.tags:  # last: what was removed above has made room for the tags file
            tags = self.store.images.tags()
            for name, before in self.tags.items():
                if before is None:
                    tags.pop(name, None)
                else:
                    tags[name] = before
            self.store.images.set_tags(tags)

    def register(self, staged: Path, diff_id: str, parent_chain: str, size: int) -> Layer:
        """``LayerStore.register``, noted if the layer is new."""
        from ..model.objects import chain_ids

        chain_id = chain_ids([parent_chain, diff_id])[1] if parent_chain else diff_id
        new = not self.store.layers.exists(chain_id)
        if new:
            self.layers.append(chain_id)  # before: a half-registered layer goes too
        return self.store.layers.register(staged, diff_id, parent_chain, size)

    def put(self, config: dict[str, Any]) -> str:
        """``ImageStore.put``, noted if the image is new."""
        from .images import config_bytes

        return self.put_bytes(config_bytes(config))

    def put_bytes(self, data: bytes) -> str:
        """``ImageStore.put_bytes``, noted if the image is new."""
        import hashlib

        image_id = "sha256:" + hashlib.sha256(data).hexdigest()
        if not self.store.images.exists(image_id):
            self.images.append(image_id)  # before: a half-written config goes too
        return self.store.images.put_bytes(data)

    def tag(self, ref: Any, image_id: str) -> None:
        """``ImageStore.tag``, noting what the tag named before (a command may tag several)."""
        self.tags.setdefault(str(ref), self.store.images.tags().get(str(ref)))
        self.store.images.tag(ref, image_id)
