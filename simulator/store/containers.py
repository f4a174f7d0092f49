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

import dataclasses
import os
import shutil
from pathlib import Path
from typing import Any

from ..model.names import name_conflict, resolve
from ..model.objects import ContainerRecord
from .atomic import read_json, write_json

__all__ = ["ContainerStore"]


class ContainerStore:
    def __init__(self, root: Path) -> None:
        self.root = root / "containers"
        self.root.mkdir(parents=True, exist_ok=True)

    def dir(self, cid: str) -> Path:
        return self.root / cid

    def _record_path(self, cid: str) -> Path:
        return self.root / cid / "container.json"

    def all(self) -> list[ContainerRecord]:
        """Every complete container, newest first (as ``docker ps`` lists them)."""
        out = []
        for entry in os.scandir(self.root):
            if entry.name.startswith("."):
                continue
            try:
                out.append(ContainerRecord.from_dict(read_json(Path(entry.path) / "container.json")))
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

    def add(self, record: ContainerRecord) -> Path:
        """Reserve the name and write the record; the caller holds the store lock."""
        for other in self.all():
            if other.name == record.name:
                raise name_conflict(record.name, other.id)
        d = self.dir(record.id)
        d.mkdir()
        write_json(d / "container.json", record.to_dict())
        return d

    def save(self, record: ContainerRecord) -> None:
        write_json(self._record_path(record.id), record.to_dict())

    def update(self, cid: str, **changes: Any) -> ContainerRecord:
        record = dataclasses.replace(self.get(cid), **changes)
        self.save(record)
        return record

    def remove(self, cid: str) -> None:
        d = self.dir(cid)
        trash = self.root / f".trash-{cid}"
        os.replace(d, trash)  # the record disappears in one step
        shutil.rmtree(trash, ignore_errors=True)
