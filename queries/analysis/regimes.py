"""What each jurisdiction's regime holds on a date: the entries in force per
technology kind, read through the ``controls`` query and the one in-force rule.

The gap analysis, the matrix, the transfer check and the change report build on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from qharmony.ontology.namespaces import compact, entity

from ..catalog import select_all
from ..dates import in_force_of_row
from ..results import Term, cell
from ..store import Store


def jurisdiction_iri(code: str) -> str:
    """The IRI of a jurisdiction from its ISO 3166 code (or EU)."""
    return entity("jurisdiction", code.upper())


@dataclass
class EntryRef:
    """One entry as an answer cites it."""

    entry: str
    code: str
    label: str
    jurisdiction: str
    instrument: str
    instrument_label: str
    applies_from: str
    basis: str
    controlled: str = ""
    #: as the determination weighs it (see ``decided``): the start as precisely as the
    #: sources give it (2024-09 stays a month), its state, flags and weakest confidence
    stated: str = ""
    state: str = ""
    flags: list[str] = field(default_factory=list)
    confidence: float | None = None

    def to_json(self) -> dict:
        """The fields as a dict (by hand: ``asdict`` deep-copies, and a matrix has
        thousands of these)."""
        data = dict(self.__dict__)
        data["flags"] = list(self.flags)
        return data


@dataclass
class Regimes:
    """Entries in force on one date, by jurisdiction code and technology IRI."""

    as_of: date
    by_place: dict[str, dict[str, list[EntryRef]]] = field(default_factory=dict)
    parents: set[str] = field(default_factory=set)
    technologies: dict[str, str] = field(default_factory=dict)

    def entries(self, code: str, technology: str) -> list[EntryRef]:
        return self.by_place.get(code, {}).get(technology, [])

    def leaves(self, code: str, technology: str) -> list[EntryRef]:
        """Entries that are not just headings over narrower entries of the same kind."""
        found = self.entries(code, technology)
        return [e for e in found if e.entry not in self.parents] or found

    def places(self) -> list[str]:
        return sorted(self.by_place)

    def label(self, technology: str) -> str:
        """A technology kind's name, else its local name."""
        return self.technologies.get(technology, technology.rsplit("#", 1)[-1])


def technologies(store: Store) -> dict[str, str]:
    """Technology kind IRI -> its name."""
    rows = select_all(store, "technologies").rows
    return {r["technology"].value: r["label"].value for r in rows}


def resolve_technology(store: Store, text: str) -> str:
    """A technology kind from its slug, class name, prefixed name, IRI or label."""
    wanted = text.strip().lower().removeprefix("qh:")
    rows = select_all(store, "technologies").rows
    for r in rows:
        iri = r["technology"].value
        names = {r["slug"].value.lower(), iri.lower(), iri.rsplit("#", 1)[-1].lower(), r["label"].value.lower()}
        if wanted in names:
            return iri
    known = ", ".join(sorted(r["slug"].value for r in rows))
    raise ValueError(f"unknown technology '{text}'; known: {known}")


def _entry_ref(row: dict[str, Term], applies_from: str, basis: str) -> EntryRef:
    entry, instrument = row["entry"].value, row["instrument"].value
    return EntryRef(
        entry,
        cell(row, "notation"),
        row["entryLabel"].value if "entryLabel" in row else compact(entry),
        row["code"].value,
        instrument,
        row["instrumentLabel"].value if "instrumentLabel" in row else compact(instrument),
        applies_from,
        basis,
        row["controlled"].value,
    )


def regimes(
    store: Store, as_of: date, jurisdictions: list[str] | None = None, technology: str | None = None
) -> Regimes:
    """Every entry in force on ``as_of`` that controls a technology kind, in the named
    jurisdictions (all when None)."""
    out = Regimes(as_of, technologies=technologies(store))
    seen: set[tuple] = set()
    for place in jurisdictions or [None]:
        bindings = {}
        if place:
            bindings["jurisdiction"] = Term.iri(jurisdiction_iri(place))
        if technology:
            bindings["technology"] = Term.iri(technology)
        _add_in_force(out, select_all(store, "controls", bindings).rows, seen)
    return out


def _add_in_force(out: Regimes, rows, seen: set[tuple]) -> None:
    for r in rows:
        status = in_force_of_row(r, out.as_of)
        if not status.in_force:
            continue
        if "parent" in r:
            out.parents.add(r["parent"].value)
        key = (r["code"].value, r["technology"].value, r["entry"].value)
        if key in seen:
            continue
        seen.add(key)
        out.by_place.setdefault(key[0], {}).setdefault(key[1], []).append(_entry_ref(r, status.since, status.basis))


def regimes_of(
    rows: list[dict[str, Term]], as_of: date, names: dict[str, str], technology: str | None = None
) -> Regimes:
    """The regimes on ``as_of`` from entry rows already read (``determination_entries``,
    which holds every column of ``controls``), so the analyses read entries once. The
    rows are taken in the order of ``controls`` (jurisdiction, technology, entry), then
    by instrument, so an entry in two instruments is always cited by the same one."""
    out = Regimes(as_of, technologies=names)
    wanted = [r for r in rows if technology is None or r["technology"].value == technology]
    wanted.sort(key=lambda r: (r["code"].value, r["technology"].value, r["entry"].value, r["instrument"].value))
    _add_in_force(out, wanted, set())
    return out
