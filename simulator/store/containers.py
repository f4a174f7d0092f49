"""Container records and each container's own directory.

Layout::

    containers/<id>/
        container.json   the record (config and state), replaced atomically
        upper/ work/     the read-write layer and overlayfs' scratch directory
        init/            the init layer (mount points Docker hides from ``diff``)
        hostname hosts resolv.conf
        container-log.json   what the process wrote, one JSON line per chunk, as Docker's json-file
"""

from __future__ import annotations

import os
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

from ..model.names import name_conflict, resolve
from ..model.objects import ContainerRecord
from .atomic import read_json, rmtree, write_json

__all__ = ["ContainerStore"]


class ContainerStore:
    """``location`` and ``bundle()`` are strings; ``root`` and ``dir()`` the same as ``Path``."""

    def __init__(self, root: Path | str) -> None:
        self.location = os.path.join(root, "containers")
        os.makedirs(self.location, exist_ok=True)

    @property
    def root(self) -> Path:
        from pathlib import Path  # on demand: the sandbox needs it, listing does not

        return Path(self.location)

    def bundle(self, cid: str) -> str:
        """A container's own directory."""
        return os.path.join(self.location, cid)

    def dir(self, cid: str) -> Path:
        """``bundle(cid)`` as a ``Path``."""
        from pathlib import Path  # on demand: the sandbox needs it, listing does not

        return Path(self.bundle(cid))

    def _record_path(self, cid: str) -> str:
        return os.path.join(self.location, cid, "container.json")

    def all(self) -> list[ContainerRecord]:
        """Every complete container, newest first (as ``docker ps`` lists them)."""
        out = []
        for entry in os.scandir(self.location):
            if entry.name.startswith("."):
                continue
            try:
                out.append(ContainerRecord.from_dict(read_json(os.path.join(entry.path, "container.json"))))
            except FileNotFoundError:
                continue  # being created or removed right now
        out.sort(key=lambda r: r.created, reverse=True)
        return out

    def get(self, cid: str) -> ContainerRecord:
        return ContainerRecord.from_dict(read_json(self._record_path(cid)))

    def lookup(self, typed: str) -> ContainerRecord:
        """Find a container by full id, name or unique id prefix (Docker's order)."""
        records = self.all()
        cid = resolve(typed, [(r.id, r.name) for r in records])
        return next(r for r in records if r.id == cid)

    def staging_key(self, cid: str) -> str:
        """Where a new container is assembled before it appears (see ``add``)."""
        return f".new-{cid}"

    def add(self, record: ContainerRecord) -> Path:
        """Make the container assembled under ``staging_key`` appear, in one rename.

        The caller holds the store lock and has filled the staging directory (read-write
        layer, etc files); a crash before this leaves only a staging directory, which the
        next ``collect_garbage`` removes. Raises Docker's conflict if the name is taken.
        """
        self.ensure_name_free(record.name)
        staging = os.path.join(self.location, self.staging_key(record.id))
        os.makedirs(staging, exist_ok=True)
        write_json(os.path.join(staging, "container.json"), record.to_dict())
        os.replace(staging, self.bundle(record.id))
        return self.dir(record.id)

    def ensure_name_free(self, name: str) -> None:
        """Raise Docker's conflict if a container already has ``name``."""
        for other in self.all():
            if other.name == name:
                raise name_conflict(name, other.id)

    def collect_garbage(self) -> list[str]:
        """Remove what interrupted commands left: containers never finished, removals never
        finished. Only call it holding the store lock (then no such work is under way)."""
        removed = []
        for entry in os.scandir(self.location):
            if entry.name.startswith((".new-", ".trash-")):
                rmtree(entry.path)
                removed.append(entry.name)
        return removed

    def save(self, record: ContainerRecord) -> None:
        """Replace a container's record; on a full disk, in place: a container that ended
        must not be left "running" for want of a page (its shim cannot try again)."""
        write_json(self._record_path(record.id), record.to_dict(), in_place_if_full=True)

    def update(self, cid: str, **changes: Any) -> ContainerRecord:
        record = self.get(cid)._replace(**changes)
        self.save(record)
        return record

    def remove(self, cid: str) -> None:
        trash = os.path.join(self.location, f".trash-{cid}")
        os.replace(self.bundle(cid), trash)  # the record, layer and all disappear in one step
        rmtree(trash)
