"""What the graph says about a jurisdiction, fetched once through named queries and
weighed per technology: its entries with their dates and confidence, the sources that
say it does not control something, and its holdings.

None of it depends on a date, so it is read once per graph version (``answers``)
and every determination, matrix and gap comparison on any date is weighed from it.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..catalog import select_all
from ..results import Term, in_total_order
from ..store import Store
from .answers import answer, is_known
from .entry_rows import read_entry_rows
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
    """One jurisdiction's facts: sliced from every jurisdiction's when those are
    known already, else read with bound queries (once per graph version)."""
    if is_known(store, "facts-all", ()):
        return facts_for_all(store, [code])[code]
    return answer(store, "facts", (code,), lambda: _read_facts(store, code))


def _read_facts(store: Store, code: str) -> Facts:
    bound = {"jurisdiction": Term.iri(jurisdiction_iri(code))}
    entries = in_order(with_confidence(store, read_entry_rows(store, bound), bound))
    statements = best_statements(select_all(store, "not_controlled_statements", bound).rows)
    return Facts(code, entries, statements, holdings(store, code))


def best_statements(rows: list[dict]) -> list[dict]:
    """One row per statement (who says what is not controlled where), with the best
    confidence of its evidence records."""
    best: dict[tuple, dict] = {}
    for r in in_total_order(rows):
        key = (r["code"].value, r["how"].value, r["subject"].value, r["excluded"].value, r["instrument"].value)
        if key not in best or float(r["confidence"].value if "confidence" in r else 0) > float(
            best[key]["confidence"].value if "confidence" in best[key] else 0
        ):
            best[key] = r
    return list(best.values())


def with_confidence(store: Store, rows: list[dict], bound: dict, sure_rows: list[dict] | None = None) -> list[dict]:
    """Entry rows joined with how sure their sources are (``determination_confidence``
    for a bound place or entry, ``all_confidence`` for every entry at once; or
    ``sure_rows``, that query's rows read already)."""
    if sure_rows is None:
        sure_rows = select_all(store, "determination_confidence" if bound else "all_confidence", bound).rows
    sure = {(r["entry"].value, r["controlled"].value): r for r in sure_rows}
    # the joined row's entry and controlled are the same terms as the entry row's
    return [{**r, **sure.get((r["entry"].value, r["controlled"].value), {})} for r in rows]


_UNBOUND = Term("literal", "")


def _order_key(r: dict) -> tuple:
    """An entry row's code, technology, entry, instrument, instrument label, entry
    label, notation and parent ("" where unbound); spelled out, as it runs per row."""
    get = r.get
    return (
        get("code", _UNBOUND).value,
        get("technology", _UNBOUND).value,
        get("entry", _UNBOUND).value,
        get("instrument", _UNBOUND).value,
        get("instrumentLabel", _UNBOUND).value,
        get("entryLabel", _UNBOUND).value,
        get("notation", _UNBOUND).value,
        get("parent", _UNBOUND).value,
    )


def in_order(rows: list[dict]) -> list[dict]:
    """Entry rows in one order whichever query read them (one jurisdiction's or
    every one's), so where a determination keeps the first of equals (an entry in two
    instruments, an instrument with two labels) it always keeps the same one."""

    # the order of (key, whole row): sorted by the key, then each run of equal keys
    # (rare: two labels, two dates) by the whole row, which is costly to build for all
    keys = [_order_key(r) for r in rows]
    order = sorted(range(len(rows)), key=keys.__getitem__)
    out: list[dict] = []
    start = 0
    for i in range(1, len(order) + 1):
        if i == len(order) or keys[order[i]] != keys[order[start]]:
            run = [rows[j] for j in order[start:i]]
            out.extend(sorted(run, key=_whole_row) if len(run) > 1 else run)
            start = i
    return out


def _whole_row(row: dict) -> tuple:
    return tuple(sorted((k, v.value) for k, v in row.items()))


@dataclass
class AllFacts:
    """Every jurisdiction's entry rows and statements, and every holding."""

    entries: dict[str, list[dict]]
    statements: dict[str, list[dict]]
    holdings: dict[str, Holdings]


def all_facts(store: Store) -> AllFacts:
    """Every jurisdiction's facts, read once per graph version."""
    return answer(store, "facts-all", (), lambda: _read_all(store))


def entry_rows(store: Store) -> list[dict]:
    """Every jurisdiction's entry rows (with their confidence), as read for the facts."""
    return [r for rows in all_facts(store).entries.values() for r in rows]


def facts_for_all(store: Store, codes: list[str]) -> dict[str, Facts]:
    """Many jurisdictions' facts from one run of each query, for the matrix."""
    every = all_facts(store)
    held = dict(every.holdings)
    missing = [code for code in codes if code not in held]
    if missing:  # places the graph has no entry or statement of: their holdings, asked once
        held.update(answer(store, "holdings", tuple(missing), lambda: holdings_for_all(store, missing)))
    return {
        code: Facts(code, every.entries.get(code, []), every.statements.get(code, []), held[code]) for code in codes
    }


def _read_all(store: Store) -> AllFacts:
    # the two largest reads, entries and their confidence, run side by side (the
    # engine works outside the GIL): a cold matrix waits for the longer, not the sum
    with ThreadPoolExecutor(1, thread_name_prefix="qharmony-facts") as pool:
        sure = pool.submit(select_all, store, "all_confidence")
        rows = read_entry_rows(store, {})
        sure_rows = sure.result().rows
    entries: dict[str, list[dict]] = defaultdict(list)
    for r in in_order(with_confidence(store, rows, {}, sure_rows)):
        entries[r["code"].value].append(r)
    statements: dict[str, list[dict]] = defaultdict(list)
    for r in best_statements(select_all(store, "not_controlled_statements").rows):
        statements[r["code"].value].append(r)
    codes = sorted({*entries, *statements})
    return AllFacts(dict(entries), dict(statements), holdings_for_all(store, codes))
