"""Archives: ``save``/``load`` (images with their layers, in Docker's format) and
``export``/``import`` (one flattened file system).

``save`` writes what ``docker load`` reads: ``manifest.json``, ``repositories``, each image's
config as ``<id>.json`` and each layer as ``<v1 id>/layer.tar`` (with ``VERSION`` and ``json``
beside it, as Docker 20.10 writes them). ``load`` reads the same, checks every layer against
the diffID its config names, and keeps image ids and diffIDs as they were.

Archives are untrusted: every layer is unpacked by ``tarcodec.unpack_layer``, which refuses
entries that lead outside the layer; a refused archive leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

from .tarcodec import EPOCH, HashingWriter

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import BinaryIO

    from ..store import Store

__all__ = ["ArchiveError", "load", "save"]


class ArchiveError(ValueError):
    """The archive is not one we can load; the message says why, in Docker's words."""


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, EPOCH
    tar.addfile(info, io.BytesIO(data))


def _add_dir(tar: tarfile.TarFile, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, EPOCH
    tar.addfile(info)


def save(store: "Store", images: list[tuple[str, list[str]]], out: "BinaryIO") -> None:
    """Write ``images`` ((image id, tags)) as a ``docker save`` archive to ``out``."""
    from ..model.objects import chain_ids

    manifest, repositories, written = [], {}, set()
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for image_id, tags in images:
            raw = store.images.config_raw(image_id)
            config = json.loads(raw)
            layers, parent_v1 = [], ""
            for chain in chain_ids(config["rootfs"]["diff_ids"]):
                layer = store.layers.get(chain)
                v1 = hashlib.sha256(f"{parent_v1} {chain}".encode()).hexdigest()
                if v1 not in written:
                    _add_dir(tar, f"{v1}/")
                    _add_bytes(tar, f"{v1}/VERSION", b"1.0")
                    _add_bytes(tar, f"{v1}/json", json.dumps({"id": v1, **({"parent": parent_v1} if parent_v1 else {}),
                                                              "created": "1970-01-01T00:00:00Z"}).encode())
                    with open(layer.tar_path, "rb") as f:
                        info = tarfile.TarInfo(f"{v1}/layer.tar")
                        info.size, info.mode, info.mtime = layer.tar_path.stat().st_size, 0o644, EPOCH
                        tar.addfile(info, f)
                    written.add(v1)
                layers.append(f"{v1}/layer.tar")
                parent_v1 = v1
            _add_bytes(tar, f"{image_id[7:]}.json", raw)
            manifest.append({"Config": f"{image_id[7:]}.json", "RepoTags": tags or None, "Layers": layers})
            for tag in tags:
                repo, _, name = tag.rpartition(":")
                repositories.setdefault(repo, {})[name] = parent_v1
        if repositories:
            _add_bytes(tar, "repositories", json.dumps(repositories).encode())
        _add_bytes(tar, "manifest.json", json.dumps(manifest).encode())


def load(store: "Store", archive: "BinaryIO") -> list[str]:
    """Load a ``docker save`` archive; return what Docker prints (``Loaded image: ...``)."""
    from ..model.objects import chain_ids, parse_image_ref
    from .tarcodec import unpack_layer

    work = store.layers.staging()
    try:
        with tarfile.open(fileobj=archive, mode="r|*") as tar:  # a stream: one pass, to disk
            for member in tar:
                name = member.name.lstrip("./")
                if not member.isfile() or ".." in name.split("/"):
                    continue
                target = work / "files" / name.replace("/", "__")
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as f:
                    shutil.copyfileobj(tar.extractfile(member), f)

        def file(name: str) -> Path:
            path = work / "files" / name.lstrip("./").replace("/", "__")
            if not path.exists():
                raise ArchiveError(f"open {name}: no such file or directory")
            return path

        try:
            manifest = json.loads(file("manifest.json").read_text())
        except ArchiveError:
            raise ArchiveError("open /var/lib/docker/tmp/docker-import/manifest.json: no such file or directory") from None
        # First everything is checked and unpacked aside; only then does anything enter the
        # store, so a refused archive changes nothing.
        staged: list[tuple[Path, str, str, int]] = []  # (directory, diffID, parent chain, size)
        images = []
        try:
            for entry in manifest:
                raw = file(entry["Config"]).read_bytes()
                config = json.loads(raw)
                diff_ids = config["rootfs"]["diff_ids"]
                if len(diff_ids) != len(entry["Layers"]):
                    raise ArchiveError("invalid manifest, layers length mismatch")
                chains = chain_ids(diff_ids)
                for i, (path, diff_id) in enumerate(zip(entry["Layers"], diff_ids)):
                    if store.layers.exists(chains[i]) or any(s[1] == diff_id and s[2] == (chains[i - 1] if i else "") for s in staged):
                        continue
                    layer_dir = store.layers.staging()
                    staged.append((layer_dir, diff_id, chains[i - 1] if i else "", 0))
                    with open(file(path), "rb") as src, open(layer_dir / "layer.tar", "wb") as dst:
                        writer = HashingWriter(dst)
                        shutil.copyfileobj(src, writer)
                    if writer.digest != diff_id:
                        raise ArchiveError(f"layer {path}: its content does not match the diffID {diff_id}")
                    try:
                        unpack_layer(layer_dir / "layer.tar", layer_dir / "diff")
                    except (ValueError, tarfile.TarError) as err:
                        raise ArchiveError(f"layer {path}: {err}") from None
                    size = sum(m.size for m in tarfile.open(layer_dir / "layer.tar") if m.isfile())
                    staged[-1] = (layer_dir, diff_id, staged[-1][2], size)
                images.append((raw, entry.get("RepoTags") or []))
        except BaseException:
            for layer_dir, *_ in staged:
                shutil.rmtree(layer_dir, ignore_errors=True)
            raise
        said = []
        with store.lock(), store.undo() as undo:  # a full disk half-way: as if never begun
            for layer_dir, diff_id, parent, size in staged:
                undo.register(layer_dir, diff_id, parent, size)
            for raw, tags in images:
                image_id = undo.put_bytes(raw)
                for tag in tags:
                    undo.tag(parse_image_ref(tag), image_id)
                    said.append(f"Loaded image: {tag}")
                if not tags:
                    said.append(f"Loaded image ID: {image_id}")
        return said
    finally:
        shutil.rmtree(work, ignore_errors=True)
