"""``--format`` for the listings (``ps``, ``images``) and for ``inspect``, as the docker CLI
applies it: a Go template per row, ``table`` for aligned columns under a header, ``\\t``
and ``\\n`` typed as two characters taken as a tab and a newline.

Pure: the engine hands over one dictionary per row.
"""

from __future__ import annotations

import re
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

from .gotemplate import ExecError, ParseError, Template, parse
from .present import tabulate

__all__ = ["CONTAINER_HEADERS", "IMAGE_HEADERS", "INSPECT_MAPS", "ListFormat", "ParseError", "ExecError",
           "parse_inspect_format"]

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
# The keys of `docker inspect` whose values are Go maps (printed `map[k:v]`, sorted), not structs.
INSPECT_MAPS = frozenset(("Labels", "Data", "ExposedPorts", "Volumes", "Ports", "Networks"))


class ListFormat:
    """A ``--format`` of a listing. ``row_type`` names the Go type Docker's error names
    (``*formatter.ContainerContext``) when a field is not there."""

    def __init__(self, format: str, headers: dict[str, str], row_type: str) -> None:
        self.table = format.startswith("table ") or format == "table"
        source = format[len("table"):] if self.table else format
        source = source.strip(" ").replace("\\t", "\t").replace("\\n", "\n")
        self.template: Template = parse(source)  # ParseError: the caller words it
        self.headers = headers
        self.row_type = row_type

    def needs(self, field: str) -> bool:
        """Whether the template reads ``field``, by name or through the whole row (``{{json
        .}}``): the CLI computes sizes only then."""
        return "." + field in self.template.source or re.search(r"(?<![\w.\]])\.(?![\w.])", self.template.source) is not None

    def _missing(self, value: Any, name: str) -> str:
        return f"can't evaluate field {name} in type {self.row_type}"

    def render(self, rows: list[dict[str, Any]]) -> str:
        """Every row through the template, each ending in a newline; with ``table``, a
        header first and the columns aligned as Go's tabwriter aligns them."""
        lines = [self.template.execute(row, self._missing) for row in rows]
        if not self.table:
            return "".join(line + "\n" for line in lines)
        header = self.template.execute({k: self.headers.get(k, "") for k in rows[0]} if rows else dict(self.headers),
                                       self._missing)
        return tabulate_text([header, *lines])

    def check(self, sample: dict[str, Any]) -> None:
        """Run the template once over a row of empty fields, so that a wrong field fails
        even when there is no row to list (``docker ps`` does so; ``images`` does not)."""
        self.template.execute({k: "" for k in sample}, self._missing)


def tabulate_text(lines: list[str]) -> str:
    """Go's tabwriter over lines whose cells are separated by tabs, as ``table`` formats are."""
    rows = [line.split("\t") for line in "\n".join(lines).split("\n")]
    width = max(len(r) for r in rows)
    if all(len(r) == width for r in rows):
        return tabulate(rows) + "\n"
    return "\n".join("   ".join(r) for r in rows) + "\n"


def parse_inspect_format(format: str) -> Template:
    """``docker inspect -f``: the template as typed (no ``table``, no ``\\t`` rewriting)."""
    return parse(format)
