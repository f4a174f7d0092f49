"""Image configs by id and the tags that name them.

Layout::

    images/<id hex>.json   the image config, byte for byte (its sha256 is the image id)
    repositories.json      {"busybox:latest": "sha256:<id>", ...}
"""

from __future__ import annotations

import json
import os
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

from ..model.errors import AmbiguousReference, NoSuchImage
from ..model.names import resolve_image
from ..model.objects import ImageRef, parse_image_ref
from .atomic import read_json, write_atomic, write_json

__all__ = ["ImageStore", "config_bytes"]


def config_bytes(config: dict[str, Any]) -> bytes:
    """Serialise an image config the way its id is computed from (compact JSON)."""
    return json.dumps(config, separators=(",", ":"), sort_keys=False).encode()


class ImageStore:
    """Paths are strings (see ``Store``)."""

    def __init__(self, root: Path | str) -> None:
        self.location = os.path.join(root, "images")
        os.makedirs(self.location, exist_ok=True)
        self.tags_file = os.path.join(root, "repositories.json")

    def _file(self, image_id: str, suffix: str) -> str:
        """``images/<id hex><suffix>``: the config (``.json``) or the parent note (``.meta``)."""
        return os.path.join(self.location, image_id.removeprefix("sha256:") + suffix)

    # -- configs -------------------------------------------------------------
    def put(self, config: dict[str, Any]) -> str:
        return self.put_bytes(config_bytes(config))

    def put_bytes(self, data: bytes) -> str:
        """Store a config exactly as given (its sha256 is the image id: ``load`` keeps ids)."""
        import hashlib

        image_id = "sha256:" + hashlib.sha256(data).hexdigest()
        path = self._file(image_id, ".json")
        if not os.path.exists(path):
            write_atomic(path, data)
        return image_id

    def exists(self, image_id: str) -> bool:
        return os.path.exists(self._file(image_id, ".json"))

    def config_raw(self, image_id: str) -> bytes:
        try:
            with open(self._file(image_id, ".json"), "rb") as f:
                return f.read()
        except FileNotFoundError:
            raise NoSuchImage(image_id) from None

    def config(self, image_id: str) -> dict[str, Any]:
        try:
            return read_json(self._file(image_id, ".json"))
        except FileNotFoundError:
            raise NoSuchImage(image_id) from None

    def parent(self, image_id: str) -> str:
        """The image this one was committed or built from ("" for a base image)."""
        try:
            return read_json(self._file(image_id, ".meta"))["parent"]
        except (FileNotFoundError, KeyError):
            return ""

    def set_parent(self, image_id: str, parent: str) -> None:
        write_json(self._file(image_id, ".meta"), {"parent": parent})

    def children(self, image_id: str) -> list[str]:
        return [i for i in self.ids() if self.parent(i) == image_id]

    def ids(self) -> list[str]:
        """Every stored image's id, in directory order."""
        return ["sha256:" + name[:-5] for name in os.listdir(self.location)
                if name.endswith(".json") and not name.startswith(".")]

    def delete(self, image_id: str) -> None:
        for suffix in (".meta", ".json"):
            try:
                os.unlink(self._file(image_id, suffix))
            except FileNotFoundError:
                pass

    # -- tags ----------------------------------------------------------------
    def tags(self) -> dict[str, str]:
        try:
            return read_json(self.tags_file)
        except FileNotFoundError:
            return {}

    def tag(self, ref: ImageRef, image_id: str) -> None:
        tags = self.tags()
        tags[str(ref)] = image_id
        write_json(self.tags_file, tags)

    def set_tags(self, tags: dict[str, str]) -> None:
        """Every tag at once (``Undo`` puts back what a failed command changed)."""
        write_json(self.tags_file, tags)

    def untag(self, ref: ImageRef) -> None:
        tags = self.tags()
        tags.pop(str(ref), None)
        write_json(self.tags_file, tags)

    def tags_of(self, image_id: str) -> list[str]:
        return sorted(t for t, i in self.tags().items() if i == image_id)

    # -- lookup --------------------------------------------------------------
    def resolve(self, text: str) -> str:
        """The image id ``text`` names: a tag, a full id, or a unique id prefix."""
        return resolve_image(text, self.tags(), self.ids())
