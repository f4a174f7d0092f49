"""``docker system df`` and ``docker system prune``: what the space is, and what prune says.

Pure: the engine measures (each layer once, each read-write layer) and hands over plain
rows; the sums, percentages, tables and prompts are the docker CLI's and daemon's rules.
An image's SHARED SIZE is what its layers hold that another image uses too, which is
the seed article's point about layers: stored once, used by many.
"""

from __future__ import annotations

from collections import namedtuple

from .present import human_size, tabulate

__all__ = ["ContainerUsage", "ImageUsage", "PruneFilters", "df_contexts", "df_table", "df_verbose", "system_prune_warning"]


class ImageUsage(namedtuple("ImageUsage", ["repository", "tag", "shown_id", "created_since", "size", "shared_size",
                                           "containers"])):
    """One image's row of ``system df -v``: ``size`` all its layers, ``shared_size`` those
    another image uses too, ``containers`` how many containers use it."""

    __slots__ = ()


class ContainerUsage(namedtuple("ContainerUsage", ["shown_id", "image", "command", "size_rw", "created_since",
                                                   "status", "names", "state"])):
    """One container's row: ``size_rw`` its read-write layer."""

    __slots__ = ()


def _active(state: str) -> bool:
    return state in ("running", "paused", "restarting")


def _reclaimable(reclaimable: int, total: int) -> str:
    if total > 0:
        return f"{human_size(reclaimable, 4)} ({reclaimable * 100 // total}%)"
    return human_size(reclaimable, 4)


def df_contexts(layers_size: int, images: list[ImageUsage], containers: list[ContainerUsage]) -> list[dict[str, str]]:
    """The four rows of ``system df`` as its ``--format`` sees them (Type, TotalCount,
    Active, Size, Reclaimable), in the order ``{{json .}}`` prints their fields."""
    used = sum(i.size - i.shared_size for i in images if i.containers)
    rw_total = sum(c.size_rw for c in containers)
    rw_idle = sum(c.size_rw for c in containers if not _active(c.state))

    def row(kind: str, total: int, active: int, size: str, reclaimable: str) -> dict[str, str]:
        return {"Active": str(active), "Reclaimable": reclaimable, "Size": size, "TotalCount": str(total), "Type": kind}

    return [
        row("Images", len(images), sum(1 for i in images if i.containers), human_size(layers_size, 4),
            _reclaimable(layers_size - used, layers_size)),
        row("Containers", len(containers), sum(1 for c in containers if _active(c.state)), human_size(rw_total, 4),
            _reclaimable(rw_idle, rw_total)),
        row("Local Volumes", 0, 0, "0B", "0B"),
        row("Build Cache", 0, 0, "0B", "0B"),
    ]


def df_table(contexts: list[dict[str, str]]) -> str:
    rows = [["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"]]
    rows += [[c["Type"], c["TotalCount"], c["Active"], c["Size"], c["Reclaimable"]] for c in contexts]
    return tabulate(rows) + "\n"


def df_verbose(images: list[ImageUsage], containers: list[ContainerUsage]) -> str:
    """``system df -v``: a table per kind of thing that takes space."""
    image_rows = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE", "CONTAINERS"]]
    image_rows += [[i.repository, i.tag, i.shown_id, i.created_since, human_size(i.size), human_size(i.shared_size, 4),
                    human_size(i.size - i.shared_size, 4), str(i.containers)] for i in images]
    container_rows = [["CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS", "NAMES"]]
    container_rows += [[c.shown_id, c.image, c.command, "0", human_size(c.size_rw), c.created_since, c.status, c.names]
                       for c in containers]
    return (
        "Images space usage:\n\n" + tabulate(image_rows) + "\n\n"
        "Containers space usage:\n\n" + tabulate(container_rows) + "\n\n"
        "Local Volumes space usage:\n\n" + tabulate([["VOLUME NAME", "LINKS", "SIZE"]]) + "\n\n"
        "Build cache usage: 0B\n\n"
        + tabulate([["CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE", "SHARED"]]) + "\n"
    )


PRUNE_KEYS = ("label", "label!", "until")


class PruneFilters:
    """``prune --filter``: ``label=k[=v]`` (all must hold), ``label!=k[=v]`` (none may),
    ``until=<time>`` (made before it; the engine turns the time into seconds)."""

    def __init__(self, specs: list[str]) -> None:
        from .filters import parse_filters

        self.values = parse_filters(specs, PRUNE_KEYS)

    def until(self) -> list[str]:
        return self.values.get("until", [])

    def keeps(self, labels: dict[str, str], created: float, before: float | None) -> bool:
        """Whether a container or image with ``labels``, made at ``created``, may be pruned."""
        from .filters import has_labels

        if before is not None and created >= before:
            return False
        if not has_labels(self.values.get("label", []), labels):
            return False
        return not any(has_labels([spec], labels) for spec in self.values.get("label!", []))


def system_prune_warning(all: bool, filters: list[str]) -> str:
    """The docker CLI's warning before ``system prune`` asks whether to go on."""
    warnings = ["all stopped containers", "all networks not used by at least one container",
                "all images without at least one container associated to them" if all else "all dangling images",
                "all build cache" if all else "unused build cache"]
    text = "WARNING! This will remove:\n" + "".join(f"  - {w}\n" for w in warnings)
    if filters:
        text += "\n  Items to be pruned will be filtered with:\n" + "".join(f"  - {f}\n" for f in filters)
    return text + "\n"
