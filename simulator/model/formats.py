"""``--format`` for the listings (``ps``, ``images``, ``stats``) and for ``inspect``, as the docker CLI
applies it: a Go template per row, ``table`` for aligned columns under a header, ``\\t``
and ``\\n`` typed as two characters taken as a tab and a newline.

Pure: the engine hands over one dictionary per row.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    from .objects import ContainerRecord

from .errors import DockerError
from .gotemplate import ExecError, ParseError, parse
from .usage import DEFAULT_FORMAT, STATS_HEADERS
from .present import command_column, created_at, human_duration, human_size, parse_time, status_text, tabulate

__all__ = ["CONTAINER_HEADERS", "HISTORY_HEADERS", "IMAGE_HEADERS", "InspectFormat", "ListFormat", "container_context",
           "history_context", "image_context", "stats_format"]

# The column titles of a `table` format, for each field of a row (the docker CLI's
# formatter package); a field that is not here has no header, as there.
CONTAINER_HEADERS = {
    "ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
    "RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE", "Status": "STATUS", "Size": "SIZE",
    "Names": "NAMES", "Labels": "LABELS", "Mounts": "MOUNTS", "Networks": "NETWORKS",
    "LocalVolumes": "LOCAL VOLUMES",
}
IMAGE_HEADERS = {
    "Containers": "CONTAINERS", "CreatedAt": "CREATED AT", "CreatedSince": "CREATED", "Digest": "DIGEST",
    "ID": "IMAGE ID", "Repository": "REPOSITORY", "SharedSize": "SHARED SIZE", "Size": "SIZE", "Tag": "TAG",
    "UniqueSize": "UNIQUE SIZE", "VirtualSize": "SIZE",
}
HISTORY_HEADERS = {
    "ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY", "Size": "SIZE",
    "Comment": "COMMENT",
}
DISK_USAGE_HEADERS = {"Type": "TYPE", "TotalCount": "TOTAL", "Active": "ACTIVE", "Size": "SIZE", "Reclaimable": "RECLAIMABLE"}
# The keys of `docker inspect` whose values are Go maps (printed `map[k:v]`, sorted), not structs.
INSPECT_MAPS = frozenset(("Labels", "Data", "ExposedPorts", "Volumes", "Ports", "Networks"))
# ... and those that are Go slices, which print [] when nil (null in the JSON).
INSPECT_SLICES = frozenset(("Env", "Cmd", "Entrypoint", "OnBuild", "Shell", "Args", "ExecIDs", "RepoTags", "RepoDigests",
                            "Layers", "Mounts"))

# Per listing: its headers, the Go type Docker's error names for a missing field, and how the
# docker CLI words a template that does not parse and one that fails on a row (each command
# its own way). `ps` also tries the template on a row of empty fields before listing anything.
_LISTINGS = {
    "ps": (CONTAINER_HEADERS, "*formatter.ContainerContext", "failed to parse template", "failed to execute template"),
    "images": (IMAGE_HEADERS, "*formatter.imageContext", "template parsing error", "template parsing error"),
    "history": (HISTORY_HEADERS, "*image.historyContext", "template parsing error", "template parsing error"),
    "system df": (DISK_USAGE_HEADERS, "*formatter.diskUsageImagesContext", "template parsing error",
                  "template parsing error"),
    "stats": (STATS_HEADERS, "*container.statsContext", "template parsing error", "template parsing error"),
}


def stats_format(format: str) -> "ListFormat":
    """``docker stats --format``: "" and "table" are the default table, "json" a JSON
    object per container, anything else a template.

    >>> stats_format("table {{.Name}}\\t{{.PIDs}}").render([{"Name": "web", "PIDs": "1"}])
    'NAME      PIDS\\nweb       1\\n'
    """
    if format in ("", "table"):
        format = DEFAULT_FORMAT
    elif format == "json":
        format = "{{json .}}"
    return ListFormat(format, "stats")


class ListFormat:
    """The ``--format`` of a listing (``ps`` or ``images``); Docker's error (a ``DockerError``)
    for a template that fails."""

    def __init__(self, format: str, listing: str) -> None:
        self.headers, self.row_type, parse_words, self.exec_words = _LISTINGS[listing]
        if format == "json":  # the docker CLI's shorthand for one JSON object per row
            format = "{{json .}}"
        self.table = format.startswith("table ") or format == "table"
        source = format[len("table"):] if self.table else format
        source = source.strip(" ").replace("\\t", "\t").replace("\\n", "\n")
        try:
            self.template = parse(source)
        except ParseError as err:
            raise DockerError(f"{parse_words}: {err}") from None
        # the template reads every field through the whole row ({{json .}}) or names it
        self.reads_all = re.search(r"(?<![\w.\]])\.(?![\w.])", source) is not None
        if listing == "ps":
            self._execute({k: "" for k in self.headers})

    def needs(self, field: str) -> bool:
        """Whether the template reads ``field`` (the CLI computes sizes only then)."""
        return self.reads_all or "." + field in self.template.source

    def _missing(self, value: Any, name: str) -> str:
        return f"can't evaluate field {name} in type {self.row_type}"

    def _execute(self, row: dict[str, Any]) -> str:
        try:
            return self.template.execute(row, self._missing)
        except ExecError as err:
            raise DockerError(f"{self.exec_words}: {err}") from None

    def render(self, rows: list[dict[str, Any]]) -> str:
        """Every row through the template, each ending in a newline; with ``table``, a
        header first and the columns aligned as Go's tabwriter aligns them."""
        lines = [self._execute(row) for row in rows]
        if not self.table:
            return "".join(line + "\n" for line in lines)
        header = self._execute({k: self.headers.get(k, "") for k in rows[0]} if rows else dict(self.headers))
        return tabulate_text([header, *lines])


class InspectFormat:
    """``docker inspect -f``: the template as typed (no ``table``, no ``\\t`` rewriting),
    over the JSON ``inspect`` prints. One that does not parse fails at once, with exit 64."""

    def __init__(self, format: str) -> None:
        try:
            self.template = parse(format)
        except ParseError as err:
            raise DockerError(f"template parsing error: {err}", exit_code=64) from None

    def render(self, obj: dict[str, Any]) -> str:
        try:
            return self.template.execute(obj, maps=INSPECT_MAPS, typed=False, slices=INSPECT_SLICES) + "\n"
        except ExecError as err:
            raise DockerError(f"template parsing error: {err}") from None


def container_context(r: ContainerRecord, now: float, no_trunc: bool, size: str) -> dict[str, Any]:
    """One container as ``docker ps --format`` sees it: the fields of the docker CLI's
    ContainerContext, in the order ``{{json .}}`` prints them (``size``: "" unless asked)."""
    return {
        "Command": command_column(r.config.argv(), truncate=not no_trunc),
        "CreatedAt": created_at(r.created),
        "ID": r.id if no_trunc else r.id[:12],
        "Image": r.config.image,
        "Labels": ",".join(f"{k}={v}" for k, v in r.config.labels.items()),
        "LocalVolumes": "0",
        "Mounts": "",
        "Names": r.name,
        "Networks": r.config.network_mode,
        "Platform": None,
        "Ports": "",
        "RunningFor": human_duration(now - parse_time(r.created)) + " ago",
        "Size": size,
        "State": r.status,
        "Status": status_text(r.status, r.exit_code, r.started_at, r.finished_at, now),
    }


def image_context(created: str, repository: str, tag: str, shown_id: str, since: str, size: int) -> dict[str, Any]:
    """One image as ``docker images --format`` sees it: the docker CLI's imageContext, in
    the order ``{{json .}}`` prints it."""
    return {
        "Containers": "N/A", "CreatedAt": created_at(created), "CreatedSince": since, "Digest": "<none>",
        "ID": shown_id, "Repository": repository, "SharedSize": "N/A", "Size": human_size(size), "Tag": tag,
        "UniqueSize": "N/A", "VirtualSize": human_size(size, 4),
    }


def history_context(shown_id: str, created: str, since: str, created_by: str, size: int, comment: str,
                    human: bool) -> dict[str, Any]:
    """One row of ``docker history --format``: the docker CLI's historyContext, in the order
    ``{{json .}}`` prints it. ``created``: RFC 3339 to the second; without ``human`` the
    times are that and the size is in bytes."""
    return {
        "Comment": comment, "CreatedAt": created, "CreatedBy": created_by,
        "CreatedSince": since if human else created, "ID": shown_id,
        "Size": human_size(size) if human else str(size),
    }


def tabulate_text(lines: list[str]) -> str:
    """Go's tabwriter over lines whose cells are separated by tabs, as ``table`` formats are."""
    rows = [line.split("\t") for line in "\n".join(lines).split("\n")]
    width = max(len(r) for r in rows)
    if all(len(r) == width for r in rows):
        return tabulate(rows) + "\n"
    return "\n".join("   ".join(r) for r in rows) + "\n"
