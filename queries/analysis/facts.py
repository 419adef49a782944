"""What the graph says about a jurisdiction, fetched once through named queries and
weighed per technology: its entries with their dates and confidence, the sources that
say it does not control something, and its holdings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..catalog import select_all
from ..results import Term
from ..store import Store
from .holdings import Holdings, holdings, holdings_for_all
from .regimes import jurisdiction_iri


@dataclass
class Facts:
    """What the graph says about one jurisdiction, fetched once and weighed per technology."""

    code: str
    entries: list[dict]
    statements: list[dict]
    holdings: Holdings
    by_technology: dict[str, list[dict]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for r in self.entries:
            self.by_technology.setdefault(r["technology"].value, []).append(r)


def facts_for(store: Store, code: str) -> Facts:
    """One jurisdiction's facts (two bound queries and its holdings)."""
    bound = {"jurisdiction": Term.iri(jurisdiction_iri(code))}
    entries = with_confidence(store, select_all(store, "determination_entries", bound).rows, bound)
    statements = best_statements(select_all(store, "not_controlled_statements", bound).rows)
    return Facts(code, entries, statements, holdings(store, code))


def best_statements(rows: list[dict]) -> list[dict]:
    """One row per statement (who says what is not controlled where), with the best
    confidence of its evidence records."""
    best: dict[tuple, dict] = {}
    for r in rows:
        key = (r["code"].value, r["how"].value, r["subject"].value, r["excluded"].value, r["instrument"].value)
        if key not in best or float(r["confidence"].value if "confidence" in r else 0) > float(
            best[key]["confidence"].value if "confidence" in best[key] else 0
        ):
            best[key] = r
    return list(best.values())


def with_confidence(store: Store, rows: list[dict], bound: dict) -> list[dict]:
    """Entry rows joined with how sure their sources are (``determination_confidence``)."""
    sure = {
        (r["entry"].value, r["controlled"].value): r for r in select_all(store, "determination_confidence", bound).rows
    }
    out = []
    for r in rows:
        extra = sure.get((r["entry"].value, r["controlled"].value), {})
        out.append({**r, **{k: v for k, v in extra.items() if k not in ("entry", "controlled")}})
    return out


def facts_for_all(store: Store, codes: list[str]) -> dict[str, Facts]:
    """Many jurisdictions' facts from one run of each query, for the matrix."""
    entries: dict[str, list[dict]] = defaultdict(list)
    for r in with_confidence(store, select_all(store, "determination_entries").rows, {}):
        entries[r["code"].value].append(r)
    statements: dict[str, list[dict]] = defaultdict(list)
    for r in best_statements(select_all(store, "not_controlled_statements").rows):
        statements[r["code"].value].append(r)
    held = holdings_for_all(store, codes)
    return {code: Facts(code, entries[code], statements[code], held[code]) for code in codes}
