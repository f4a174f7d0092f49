"""A figure in words: its text alternative, for whoever cannot see it (a screen reader, a
page whose images did not load, a search).

The title is the command as typed; the description says what the figure draws, in the
figure's language: what happened, then each image (its layers) and each container (its
state, its read-write layer, its process space), before and after when the step changed
containers. Built from the same plain data as the drawing, so the two cannot disagree.

>>> from simulator.step import ContainerView, ImageView, LayerView, ProcessView, Snapshot, Step
>>> base = LayerView("sha256:" + "1" * 64, "sha256:" + "1" * 64, 10, "Imported from -")
>>> busybox = ImageView("sha256:" + "a" * 64, ("busybox:latest",), (base,))
>>> web = ContainerView("f" * 64, "web", "running", busybox.id, "busybox", "sleep 9",
...                     processes=(ProcessView(1, 99, "sleep 9"),))
>>> print(scene_text(Snapshot((busybox,), (web,))))
Image busybox:latest: 1 read-only layer. Container web, running, on busybox: read-write layer empty; process space: pid 1 sleep 9.
"""

from __future__ import annotations

from ..i18n import narrate, word

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from ..step import ContainerView, ImageView, Snapshot, Step

__all__ = ["scene_text", "step_text"]

MAX_LISTED = 8  # images or containers named one by one; the rest are counted
MAX_ITEMS = 6  # diff lines or processes named per container

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "image": "Image {tag}: {n} read-only layer{s}.",
        "container": "Container {name}, {state}, on {image}: {rw}{procs}.",
        "rw empty": "read-write layer empty",
        "rw": "read-write layer holds {changes}",
        "procs": "; process space{frozen}: {list}",
        "frozen": " (frozen)",
        "more": "and {n} more",
        "nothing": "No images and no containers.",
        "before": "Before: {text}",
        "after": "After: {text}",
        "none": "none.",
        "exit": "exit code {code}",
        "sep": ", ",
        "join": " ",
    },
    "zh": {
        "image": "镜像 {tag}：{n} 个只读层。",
        "container": "容器 {name}（{state}），基于 {image}：{rw}{procs}。",
        "rw empty": "读写层为空",
        "rw": "读写层包含 {changes}",
        "procs": "；进程空间{frozen}：{list}",
        "frozen": "（已冻结）",
        "more": "另有 {n} 项",
        "nothing": "没有镜像，也没有容器。",
        "before": "之前：{text}",
        "after": "之后：{text}",
        "none": "无。",
        "exit": "退出码 {code}",
        "sep": "，",
        "join": "",
    },
}


def _listing(items: list[str], limit: int, p: dict[str, str]) -> str:
    shown = items[:limit] + ([p["more"].format(n=len(items) - limit)] if len(items) > limit else [])
    return p["sep"].join(shown)


def _image(image: "ImageView", p: dict[str, str]) -> str:
    tag = ", ".join(image.tags) if image.tags else image.id.removeprefix("sha256:")[:12]
    n = len(image.layers)
    return p["image"].format(tag=tag, n=n, s="" if n == 1 else "s")


def _container(c: "ContainerView", p: dict[str, str], lang: str) -> str:
    state = word(c.status, lang) + (f" ({c.exit_code})" if c.status == "exited" else "")
    rw = p["rw"].format(changes=_listing(list(c.changes), MAX_ITEMS, p)) if c.changes else p["rw empty"]
    procs = ""
    if c.status in ("running", "paused") and c.processes:
        listed = _listing([f"pid {q.pid} {q.command}" for q in c.processes], MAX_ITEMS, p)
        procs = p["procs"].format(frozen=p["frozen"] if c.status == "paused" else "", list=listed)
    return p["container"].format(name=c.name, state=state, image=c.image, rw=rw, procs=procs)


def scene_text(snapshot: "Snapshot", lang: str = "en") -> str:
    """What a scene of ``snapshot`` draws, image by image and container by container."""
    p = PHRASES.get(lang, PHRASES["en"])
    parts = [_image(i, p) for i in snapshot.images[:MAX_LISTED]]
    parts += [_container(c, p, lang) for c in snapshot.containers[:MAX_LISTED]]
    hidden = max(0, len(snapshot.images) - MAX_LISTED) + max(0, len(snapshot.containers) - MAX_LISTED)
    if hidden:
        parts.append(p["more"].format(n=hidden) + ".")
    return p["join"].join(parts) or p["nothing"]


def step_text(step: "Step", lang: str = "en") -> tuple[str, str]:
    """The title and description of ``step``'s figure: the command, then what happened and
    what is drawn (before and after, for the containers a step changed)."""
    from ..step import Snapshot
    from .step import _focus, changed_containers

    p = PHRASES.get(lang, PHRASES["en"])
    title = f"$ docker {step.command}" + ("" if step.ok else f" ({p['exit'].format(code=step.exit_code)})")
    after = step.after or Snapshot()
    changed = changed_containers(step.before, after) if step.before is not None else frozenset()
    if changed:
        def side(snapshot: "Snapshot") -> str:
            focus = _focus(snapshot, changed)
            return p["join"].join(_container(c, p, lang) for c in focus.containers) or p["none"]

        shown = p["join"].join((p["before"].format(text=side(step.before)), p["after"].format(text=side(after))))
    else:
        shown = scene_text(after, lang)
    story = narrate(step.verb, lang)
    return title, p["join"].join((story, shown)) if story else shown
