"""``docker build`` as the classic builder does it: for each instruction, a container from the
image so far, a change, a commit; the intermediate container removed; a step whose parent and
instruction (and, for COPY/ADD, the files copied) match an earlier one is taken from the cache.

Metadata instructions (ENV, CMD, WORKDIR, ...) commit an empty layer (a ``#(nop)`` history
row); RUN, COPY and ADD commit a real layer. A failing RUN stops the build with Docker's
message; the steps already built stay, as intermediate images, and nothing is tagged.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import sys
import tarfile
from pathlib import Path

from .model import errors
from .model.dockerfile import Instruction, created_by, label_steps, parse, split_command
from .model.errors import DaemonError, DockerError, copy_not_found, copy_outside_context, run_step_failed
from .model.imageconfig import apply_instruction

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    from .engine import Engine, Output

__all__ = ["build"]


def _ignored(context: Path) -> list[str]:
    try:
        lines = (context / ".dockerignore").read_text().splitlines()
    except FileNotFoundError:
        return []
    return [line.strip().lstrip("/") for line in lines if line.strip() and not line.strip().startswith("#")]


def _excluded(rel: str, patterns: list[str]) -> bool:
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        p = pattern[1:] if negate else pattern
        if fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*"):
            excluded = not negate
    return excluded


def _context_size(context: Path, patterns: list[str]) -> int:
    """The size of the context as Docker's CLI tars it: a 512-byte header per entry, the
    content in 512-byte blocks, and the 1024-byte end."""
    size = 1024
    for path in context.rglob("*"):
        rel = path.relative_to(context).as_posix()
        if _excluded(rel, patterns):
            continue
        size += 512
        if path.is_file() and not path.is_symlink():
            size += -(-path.stat().st_size // 512) * 512
    return size


def _sources(context: Path, args: list[str], patterns: list[str], keyword: str) -> list[Path]:
    """The files a COPY/ADD names, inside the context and not ignored; Docker's errors else."""
    root = os.path.realpath(context)
    out = []
    for src in args:
        full = os.path.realpath(os.path.join(root, src))
        if full != root and not full.startswith(root + os.sep):
            raise copy_outside_context(keyword, src)
        rel = os.path.relpath(full, root)
        matches = [Path(p) for p in sorted(Path(root).glob(rel))] if any(c in rel for c in "*?[") else [Path(full)]
        matches = [m for m in matches if m.exists() and not _excluded(m.relative_to(root).as_posix(), patterns)]
        if not matches:
            raise copy_not_found(keyword, src)
        out += matches
    return out


def _digest(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        for item in sorted([path, *path.rglob("*")] if path.is_dir() else [path]):
            sha.update(item.name.encode())
            if item.is_file():
                sha.update(item.read_bytes())
    kind = "multi" if len(paths) > 1 else ("dir" if paths[0].is_dir() else "file")
    return f"{kind}:{sha.hexdigest()}"


def _copy_into(root: Path, views: list[Path], sources: list[Path], dest: str, workdir: str, extract_tars: bool) -> None:
    """Put ``sources`` at ``dest`` in a container's file system: written into ``root`` (its
    read-write layer), with ``views`` (root and the layers below) telling what exists."""
    if not dest.startswith("/"):
        dest = os.path.join(workdir or "/", dest)
    rel = os.path.normpath(dest).lstrip("/")
    is_dir = any((view / rel).is_dir() for view in views) if rel else True
    into_dir = dest.endswith(("/", "/.")) or len(sources) > 1 or is_dir
    target = root / rel
    for src in sources:
        if extract_tars and src.is_file() and tarfile.is_tarfile(src):
            from .sandbox.tarcodec import unpack_layer

            unpack_layer(src, target)
            continue
        if src.is_dir():
            shutil.copytree(src, target, symlinks=True, dirs_exist_ok=True)
            continue
        final = target / src.name if into_dir else target
        final.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, final)


_STYLES = (("Step ", "bold cyan"), (" ---> Using cache", "green"), (" ---> Running in", "dim"),
           ("Removing intermediate", "dim"), (" ---> ", "bold"), ("Successfully", "bold green"))


def _printer(out: "Output"):
    """Print progress lines: the classic builder's bytes, styled with rich on a terminal."""
    try:
        terminal = not out.capture and os.isatty(out.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        terminal = False
    if not terminal:
        return lambda line: out.out(line + "\n")
    from rich.console import Console
    from rich.text import Text

    console = Console(file=sys.stdout, highlight=False, soft_wrap=True)

    def say(line: str) -> None:
        style = next((s for prefix, s in _STYLES if line.startswith(prefix)), "")
        console.print(Text(line.rstrip("\r"), style=style))

    return say


def build(engine: "Engine", out: "Output", context: str, *, tag: str | None = None, file: str | None = None,
          no_cache: bool = False, quiet: bool = False, build_args: list[str] = (), labels: list[str] = ()) -> int:
    from .model.objects import parse_image_ref
    from .model.present import human_size

    ctx = Path(context)
    dockerfile = Path(file) if file else ctx / "Dockerfile"
    if not dockerfile.is_absolute() and file:
        dockerfile = Path(file)
    try:
        text = dockerfile.read_text()
    except FileNotFoundError:
        raise errors.dockerfile_missing(str(dockerfile.resolve())) from None
    ref = parse_image_ref(tag) if tag else None
    patterns = _ignored(ctx)
    say = (lambda line: None) if quiet else _printer(out)
    size = _context_size(ctx, patterns)
    # sic: Docker's CLI ends this progress line with \r\r\n when it is not on a terminal
    shown = human_size(size) if size < 1000 else f"{size / 1000:.4g}kB"
    say(f"Sending build context to Docker daemon  {shown}\r\r")
    instructions = parse(text)
    if not instructions:
        raise errors.dockerfile_empty()
    instructions += label_steps(labels)
    args = dict(item.split("=", 1) if "=" in item else (item, os.environ.get(item, "")) for item in build_args)
    image_id = ""
    config: dict[str, Any] = {}
    declared: dict[str, str] = {}
    total = len(instructions)
    for number, ins in enumerate(instructions, 1):
        say(f"Step {number}/{total} : {ins.keyword} {ins.args}")
        if ins.keyword == "FROM":
            base = ins.args.split()[0]
            if base == "scratch":
                image_id, config = "", {"Env": None, "Cmd": None}
            else:
                image_id = engine._ensure_image(out, base)
                config = dict(engine.store.images.config(image_id).get("config") or {})
            say(f" ---> {image_id[7:19]}")  # scratch: nothing (Docker prints an empty id)
            continue
        if number == 1 and ins.keyword not in ("ARG",):
            raise errors.build_without_from()
        if ins.keyword == "ARG":  # a build argument: it changes what later steps see, not the image
            name, _, default = ins.args.partition("=")
            declared[name] = args.get(name, default)
        new_config = apply_instruction(dict(config), ins)
        digest = ""
        sources: list[Path] = []
        if ins.keyword in ("COPY", "ADD"):
            parts = ins.json_args() or ins.args.split()
            parts = [p for p in parts if not p.startswith("--")]
            sources = _sources(ctx, parts[:-1], patterns, ins.keyword)
            digest = _digest(sources)
        row = created_by(ins, digest)
        if ins.keyword == "RUN" and declared:
            pairs = [f"{k}={v}" for k, v in declared.items()]
            row = f"|{len(pairs)} {' '.join(pairs)} {row}"
        cached = None if no_cache else engine._cached_step(image_id, row)
        if cached:
            say(" ---> Using cache")
            image_id, config = cached, new_config
            say(f" ---> {image_id[7:19]}")
            continue
        image_id = _step(engine, out, say, ins, image_id, config, new_config, row, sources, declared)
        config = new_config
        say(f" ---> {image_id[7:19]}")
    if not image_id:
        raise errors.no_image_built()
    if quiet:
        out.out(image_id + "\n")
    else:
        say(f"Successfully built {image_id[7:19]}")
    if ref:
        with engine.store.lock():
            engine.store.images.tag(ref, image_id)
        engine._tell_image("tag", image_id, str(ref))
        say(f"Successfully tagged {ref}")
    return 0


def _step(engine: "Engine", out: "Output", say, ins: Instruction, parent: str, old: "dict[str, Any]",
          new: "dict[str, Any]", row: str, sources: list[Path], declared: dict[str, str]) -> str:
    """One instruction in an intermediate container; returns the committed image's id."""
    from .engine import Output

    env = [*(new.get("Env") or []), *(f"{k}={v}" for k, v in declared.items())]
    cmd = split_command(ins) if ins.keyword == "RUN" else ["/bin/sh", "-c", f"#(nop) {ins.keyword} {ins.args}"]
    record = engine._create(Output(), parent, cmd, env=env, workdir=old.get("WorkingDir") or None,
                            entrypoint="" if ins.keyword == "RUN" else None, user=old.get("User") or "")
    if ins.keyword != "COPY" and ins.keyword != "ADD":
        say(f" ---> Running in {record.id[:12]}")
    if ins.keyword == "RUN":
        offset = 0
        engine._tell("attach", record)  # as the classic builder attaches to each RUN's container
        try:
            started = engine._start(record, attached=True)
        except DaemonError as err:
            raise DockerError(err.detail) from None  # the daemon's refusal, bare, exit 1
        code = engine._attach(out, started, offset, False, proxy_signals=False)
        if code:
            raise run_step_failed(cmd, code)
    elif ins.keyword in ("COPY", "ADD"):
        parts = ins.json_args() or [p for p in ins.args.split() if not p.startswith("--")]
        root = engine.store.containers.dir(record.id) / ("rootfs" if record.runtime == "process" else "upper")
        views = [root] if record.runtime == "process" else [root, *engine._layers(record.image_id)]
        _copy_into(root, views, sources, parts[-1], old.get("WorkingDir") or "/", extract_tars=ins.keyword == "ADD")
    try:
        image_id = engine._commit_build(record, new, row, layer=ins.keyword in ("RUN", "COPY", "ADD"))
    except DaemonError as err:  # a full disk, say: told in the build's stream, bare, exit 1
        raise DockerError(err.detail) from None
    if ins.keyword not in ("COPY", "ADD"):
        say(f"Removing intermediate container {record.id[:12]}")
    with engine.store.lock():
        engine._remove(record.id)
    return image_id
