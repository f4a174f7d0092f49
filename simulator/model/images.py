"""What ``docker rmi`` does to an image: untag it, delete it, or refuse, with Docker's words.

Pure: the caller says which tags the image has, whether child images stand on it and which
containers use it; ``plan_rmi`` says what to do.

>>> plan_rmi("busybox", "sha256:" + "7" * 64, ["busybox:latest", "bb:2"], False, [], False).untag
['busybox:latest']
"""

from __future__ import annotations

from collections import namedtuple

from .errors import Conflict, InvalidParameter
from .objects import parse_image_ref

__all__ = ["RmiPlan", "plan_rmi"]

RmiPlan = namedtuple("RmiPlan", ["untag", "delete"])


def _tag_named(typed: str, tags: list[str]) -> str | None:
    """The tag ``typed`` names, if it names one of ``tags`` (else it was an id)."""
    try:
        ref = str(parse_image_ref(typed))
    except InvalidParameter:
        return None
    return ref if ref in tags else None


def plan_rmi(typed: str, image_id: str, tags: list[str], has_children: bool,
             users: list[tuple[str, str]], force: bool) -> RmiPlan:
    """Docker 20.10's rules. ``users``: (container id, status) of containers on the image.

    >>> plan_rmi("7100288310a7", "sha256:7100288310a7" + "0" * 52, [], True, [], True)
    Traceback (most recent call last):
    ...
    simulator.model.errors.Conflict: Error response from daemon: conflict: unable to delete 7100288310a7 (cannot be forced) - image has dependent child images
    """
    short = image_id.removeprefix("sha256:")[:12]
    ref = _tag_named(typed, tags)
    running = [cid for cid, status in users if status in ("running", "paused")]
    if ref:
        if len(tags) > 1 or (force and (users or has_children)):
            return RmiPlan([ref], False)  # other names remain, or -f: the name goes, the image stays
        if users:
            raise Conflict(
                f'conflict: unable to remove repository reference "{typed}" (must force) - '
                f"container {users[0][0][:12]} is using its referenced image {short}"
            )
        return RmiPlan([ref], not has_children)
    if has_children:
        raise Conflict(f"conflict: unable to delete {short} (cannot be forced) - image has dependent child images")
    if running:
        kind = "cannot be forced" if force else "must be forced"
        raise Conflict(f"conflict: unable to delete {short} ({kind}) - image is being used by running container {running[0][:12]}")
    if users and not force:
        raise Conflict(f"conflict: unable to delete {short} (must be forced) - image is being used by stopped container {users[0][0][:12]}")
    if len(tags) > 1 and not force:
        raise Conflict(f"conflict: unable to delete {short} (must be forced) - image is referenced in multiple repositories")
    return RmiPlan(list(tags), True)
