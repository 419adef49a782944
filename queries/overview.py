"""The home page's picture of the graph: counts, jurisdictions, documents."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .catalog import get_query, list_queries
from .store import Store


@dataclass
class Overview:
    counts: dict[str, int] = field(default_factory=dict)
    jurisdictions: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    queries: list[dict] = field(default_factory=list)
    #: per jurisdiction: how many holdings the graph has, whether any is complete, the
    #: latest date one reflects; a jurisdiction without holdings is "no data" everywhere
    coverage: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def _plain(row: dict) -> dict:
    return {k: v.value for k, v in row.items()}


def overview(store: Store) -> Overview:
    """The home page's data, computed once per graph version (``analysis.answers``)."""
    from .analysis.answers import answer

    return answer(store, "overview", (), lambda: _overview(store))


def _overview(store: Store) -> Overview:
    counts = {r["kind"].value: int(r["count"].value) for r in store.select(get_query("graph_counts").text).rows}
    jurisdictions = [
        _plain(r)
        for r in store.select(get_query("jurisdictions").text).rows
        if int(r["entries"].value) or int(r["instruments"].value)
    ]
    documents = [_plain(r) for r in store.select(get_query("documents").text).rows]
    queries = [{"name": q.name, "title": q.title, "description": q.description} for q in list_queries()]
    return Overview(counts, jurisdictions, documents, queries, _coverage(store))


def _coverage(store: Store) -> dict[str, dict]:
    from .analysis.holdings import all_holdings

    out = {}
    for code, items in sorted(all_holdings(store).items()):
        held = [h for h in items if h.instrument]
        out[code] = {
            "holdings": len(held),
            "complete": any(h.complete for h in items),
            "latest": max((h.as_of for h in items if h.as_of), default=""),
        }
    return out
