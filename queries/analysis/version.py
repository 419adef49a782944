"""The graph version an answer relies on, so a memo can cite exactly what it read."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..catalog import select_all
from ..results import cell
from ..store import Store


@dataclass
class GraphVersion:
    """What a memo can cite: the content hash of the data and its SHACL conformance."""

    content_hash: str = ""
    conforms: bool | None = None
    pipeline: str = ""

    def to_json(self) -> dict:
        return asdict(self)


class Cited:
    """An answer that cites the graph version it was computed from: its JSON is its
    fields, with ``version`` named ``graph_version`` as exports and pages show it."""

    version: GraphVersion

    def to_json(self) -> dict:
        data = asdict(self)  # type: ignore[call-overload]
        data["graph_version"] = data.pop("version")
        return data


def graph_version(store: Store) -> GraphVersion:
    """The version recorded by the last build; empty when nothing was built."""
    rows = select_all(store, "graph_version").rows
    if not rows:
        return GraphVersion()
    r = rows[0]
    conforms = r["conforms"].value == "true" if "conforms" in r else None
    return GraphVersion(r["hash"].value, conforms, cell(r, "built"))
