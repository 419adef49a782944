"""Official citations of control entries, in each jurisdiction's own convention, made
only from facts the graph holds (``entry_citation.rq``, ``instrument_citation.rq``): never a guessed date, number
or code. What the graph lacks is left out and said, not filled in.

- United States: "15 CFR part 774, Supp. No. 1, ECCN 4A906.a.1", then the rule that
  added it ("as added by 89 FR 72926").
- European Union: "Commission Delegated Regulation (EU) 2025/2003, OJ L, 2025/2003",
  then the list and entry. Since October 2023 the Official Journal is published act by
  act and an act's OJ reference is its own number, so "OJ L, YYYY/N" is read from an
  ELI that ends in ``/oj``; the publication date is added only when the graph has it.
- United Kingdom: "SI 2024/346", then the list and entry.
- Elsewhere: the instrument's bibliographic citation (or title), the list and entry.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache

from .catalog import select_all
from .results import Term, cell
from .store import Store

_EU_ACT = re.compile(r"((?:Commission |Council )?(?:Delegated |Implementing )?Regulation \(EU\) (\d{4})/(\d+))")
_ELI_OJ = re.compile(r"/eli/[a-z_]+/(\d{4})/(\d+)/oj$")


@dataclass(frozen=True)
class Citation:
    """How to cite one entry: the official citation, the instrument's URL, and what
    the citation could not say from the graph."""

    entry: str
    jurisdiction: str
    text: str
    url: str = ""
    instrument: str = ""
    instrument_label: str = ""
    caveats: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        return asdict(self) | {"caveats": list(self.caveats)}


def _eu_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day}.{d.month}.{d.year}"


def _entry_words(row: dict[str, Term], prefix: str = "entry") -> tuple[str, list[str]]:
    code, caveats = cell(row, "code"), []
    if cell(row, "verified") == "false":
        caveats.append("the entry's code is not verified against the official list")
    if code:
        return f"{prefix} {code}", caveats
    caveats.append("the source names this entry by its subject, not by a code")
    return f'entry "{cell(row, "label")}"', caveats


def _us(row: dict[str, Term]) -> tuple[str, list[str]]:
    words, caveats = _entry_words(row, "ECCN")
    listing = cell(row, "listLabel")
    where = re.search(r"\(([^)]*CFR[^)]*)\)", listing)
    head = where.group(1).replace("Supplement No.", "Supp. No.") if where else listing or cell(row, "cfr")
    text = f"{head}, {words}" if head else words
    if cell(row, "fr"):
        text += f" (as added by {cell(row, 'fr')})"
    return text, caveats


def _eu(row: dict[str, Term]) -> tuple[str, list[str]]:
    words, caveats = _entry_words(row)
    act = _EU_ACT.search(cell(row, "instrumentLabel")) or _EU_ACT.search(cell(row, "bibliographic"))
    parts = [act.group(1) if act else cell(row, "bibliographic") or cell(row, "instrumentLabel")]
    oj = _ELI_OJ.search(cell(row, "eli"))
    if oj and int(oj.group(1)) >= 2024:
        parts.append(f"OJ L, {oj.group(1)}/{oj.group(2)}")
    caveats.append("the graph does not record the Official Journal publication date")
    if cell(row, "listLabel"):
        parts.append(cell(row, "listLabel"))
    parts.append(words)
    return ", ".join(p for p in parts if p), caveats


def _gb(row: dict[str, Term]) -> tuple[str, list[str]]:
    words, caveats = _entry_words(row)
    head = cell(row, "bibliographic") or cell(row, "instrumentLabel")
    return ", ".join(p for p in (head, cell(row, "listLabel"), words) if p), caveats


def _generic(row: dict[str, Term]) -> tuple[str, list[str]]:
    words, caveats = _entry_words(row)
    head = cell(row, "bibliographic") or cell(row, "instrumentLabel")
    return ", ".join(p for p in (head, cell(row, "listLabel"), words) if p), caveats


_CONVENTIONS = {"US": _us, "EU": _eu, "GB": _gb}


def cite_row(entry: str, row: dict[str, Term], jurisdiction: str = "") -> Citation:
    """A citation from an ``entry_citation`` row and its instrument's ``instrument_citation`` row."""
    place = cell(row, "jurisdiction") or jurisdiction
    text, caveats = _CONVENTIONS.get(place, _generic)(row)
    if place == "EU" and cell(row, "adopted") and "of " not in text:
        caveats.append(f"adopted {_eu_date(cell(row, 'adopted'))}")
    return Citation(
        entry, place, text, cell(row, "url"), cell(row, "instrument"), cell(row, "instrumentLabel"), tuple(caveats)
    )


def cite_entry(store: Store, entry: str, jurisdiction: str = "", instrument_facts=None) -> Citation:
    """The official citation of one entry, from what the graph holds;
    ``instrument_facts(instrument)``: an instrument's ``instrument_citation`` row (or
    {}), when the caller keeps them (``citer``)."""
    rows = select_all(store, "entry_citation", {"entry": Term.iri(entry)}).rows
    if not rows:
        return Citation(entry, jurisdiction, entry, caveats=("the graph holds no citation facts for this entry",))
    row = dict(rows[0])
    instrument = row.get("instrument")
    if instrument is not None:
        row.update((instrument_facts or (lambda i: _instrument_facts(store, i)))(instrument))
    return cite_row(entry, row, jurisdiction)


def _instrument_facts(store: Store, instrument: Term) -> dict[str, Term]:
    facts = select_all(store, "instrument_citation", {"instrument": instrument}).rows
    return facts[0] if facts else {}


def citer(store: Store):
    """``cite_entry`` with each entry looked up once (a pack cites many twice) and
    each instrument once (a pack's entries share a few instruments)."""
    instrument_facts = lru_cache(maxsize=None)(lambda instrument: _instrument_facts(store, instrument))
    return lru_cache(maxsize=None)(
        lambda entry, jurisdiction="": cite_entry(store, entry, jurisdiction, instrument_facts)
    )
