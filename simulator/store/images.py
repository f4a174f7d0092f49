"""Image configs by id and the tags that name them.

Layout::

    images/<id hex>.json   the image config, byte for byte (its sha256 is the image id)
    repositories.json      {"busybox:latest": "sha256:<id>", ...}
"""

from __future__ import annotations

import json
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

from ..model.errors import AmbiguousReference, NoSuchImage
from ..model.objects import ImageRef, parse_image_ref
from .atomic import read_json, write_atomic, write_json

__all__ = ["ImageStore", "config_bytes"]


def config_bytes(config: dict[str, Any]) -> bytes:
    """Serialise an image config the way its id is computed from (compact JSON)."""
    return json.dumps(config, separators=(",", ":"), sort_keys=False).encode()


class ImageStore:
    def __init__(self, root: Path) -> None:
        self.dir = root / "images"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.tags_file = root / "repositories.json"

    # -- configs -------------------------------------------------------------
    def put(self, config: dict[str, Any]) -> str:
        return self.put_bytes(config_bytes(config))

    def put_bytes(self, data: bytes) -> str:
        """Store a config exactly as given (its sha256 is the image id: ``load`` keeps ids)."""
        import hashlib

        image_id = "sha256:" + hashlib.sha256(data).hexdigest()
        path = self.dir / f"{image_id[7:]}.json"
        if not path.exists():
            write_atomic(path, data)
        return image_id

    def config_raw(self, image_id: str) -> bytes:
        try:
            return (self.dir / f"{image_id.removeprefix('sha256:')}.json").read_bytes()
        except FileNotFoundError:
            raise NoSuchImage(image_id) from None

    def config(self, image_id: str) -> dict[str, Any]:
        try:
            return read_json(self.dir / f"{image_id.removeprefix('sha256:')}.json")
        except FileNotFoundError:
            raise NoSuchImage(image_id) from None

    def parent(self, image_id: str) -> str:
        """The image this one was committed or built from ("" for a base image)."""
        try:
            return read_json(self.dir / f"{image_id.removeprefix('sha256:')}.meta")["parent"]
        except (FileNotFoundError, KeyError):
            return ""

    def set_parent(self, image_id: str, parent: str) -> None:
        write_json(self.dir / f"{image_id.removeprefix('sha256:')}.meta", {"parent": parent})

    def children(self, image_id: str) -> list[str]:
        return [i for i in self.ids() if self.parent(i) == image_id]

    def ids(self) -> list[str]:
        return ["sha256:" + p.stem for p in self.dir.glob("*.json")]

    def delete(self, image_id: str) -> None:
        for suffix in (".meta", ".json"):
            (self.dir / f"{image_id.removeprefix('sha256:')}{suffix}").unlink(missing_ok=True)

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

    def untag(self, ref: ImageRef) -> None:
        tags = self.tags()
        tags.pop(str(ref), None)
        write_json(self.tags_file, tags)

    def tags_of(self, image_id: str) -> list[str]:
        return sorted(t for t, i in self.tags().items() if i == image_id)

    # -- lookup --------------------------------------------------------------
    def resolve(self, text: str) -> str:
        """The image id ``text`` names: a tag, a full id, or a unique id prefix."""
        if text.startswith("sha256:"):
            wanted = text
        else:
            ref = parse_image_ref(text)
            image_id = self.tags().get(str(ref))
            if image_id:
                return image_id
            if not all(c in "0123456789abcdef" for c in text):
                raise NoSuchImage(str(ref))
            wanted = "sha256:" + text
        matches = [i for i in self.ids() if i.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise AmbiguousReference(f"Multiple IDs found with provided prefix: {text}")
        raise NoSuchImage(text)
