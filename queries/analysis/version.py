"""The graph version an answer relies on, so a memo can cite exactly what it read."""

from __future__ import annotations

import threading
from collections import OrderedDict
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


#: graph versions already read, by store location and version stamp (see below)
_known: OrderedDict[tuple[str, str], GraphVersion] = OrderedDict()
_KNOWN_SLOTS = 16
_guard = threading.Lock()


def graph_version(store: Store) -> GraphVersion:
    """The version recorded by the last build; empty when nothing was built.

    A store with a ``version_stamp`` (the embedded store: its generation and when
    ``CURRENT`` was written, which every write changes) is asked once per stamp, so a
    warm answer knows the version it cites without a query. Callers read the result
    and do not change it."""
    stamp = getattr(store, "version_stamp", None)
    key = (store.location, stamp) if stamp is not None else None
    if key is not None:
        with _guard:
            if key in _known:
                return _known[key]
    found = _read_version(store)
    if key is not None:
        with _guard:
            _known[key] = found
            while len(_known) > _KNOWN_SLOTS:
                _known.popitem(last=False)
    return found


def _read_version(store: Store) -> GraphVersion:
    rows = select_all(store, "graph_version").rows
    if not rows:
        return GraphVersion()
    r = rows[0]
    conforms = r["conforms"].value == "true" if "conforms" in r else None
    return GraphVersion(r["hash"].value, conforms, cell(r, "built"))
