"""What each jurisdiction's regime holds on a date, read through named queries:
the entries in force per technology, their thresholds as boxes, favourable
treatment, arrangement commitments and the graph version an answer relies on.

The gap analysis, the transfer check and the change report are built on these.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from qharmony.ontology.namespaces import ID, compact
from qharmony.ontology.units import UnitError, normalise

from .bands import Box
from .catalog import get_query
from .dates import IN_FORCE, UNKNOWN, InstrumentDates, as_of_term, in_force, parse_day  # noqa: F401 (parse_day: re-exported until step 3)
from .errors import QueryError
from .results import SelectResult, Term
from .store import Store


def _select(store: Store, name: str, bindings: dict | None = None) -> SelectResult:
    """A named query's rows; an answer cut at the row cap would be a wrong answer here."""
    result = store.select(get_query(name).text, bindings or {})
    if result.truncated:
        raise QueryError(
            f"query '{name}' has more than {store.max_rows} rows; raise the "
            "row limit (QHARMONY_MAX_ROWS) to analyse a graph this large"
        )
    return result


def jurisdiction_iri(code: str) -> str:
    return ID + "jurisdiction/" + code.upper()


def _value(row: dict, key: str, default: str = "") -> str:
    return row[key].value if key in row else default


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

    def to_json(self) -> dict:
        return asdict(self)


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


def technologies(store: Store) -> dict[str, str]:
    """Technology kind IRI -> its name."""
    rows = _select(store, "technologies").rows
    return {r["technology"].value: r["label"].value for r in rows}


def resolve_technology(store: Store, text: str) -> str:
    """A technology kind from its slug, class name, prefixed name, IRI or label."""
    wanted = text.strip().lower().removeprefix("qh:")
    rows = _select(store, "technologies").rows
    for r in rows:
        iri = r["technology"].value
        names = {r["slug"].value.lower(), iri.lower(), iri.rsplit("#", 1)[-1].lower(), r["label"].value.lower()}
        if wanted in names:
            return iri
    known = ", ".join(sorted(r["slug"].value for r in rows))
    raise ValueError(f"unknown technology '{text}'; known: {known}")


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
        for r in _select(store, "controls", bindings).rows:
            status = in_force(InstrumentDates.from_row(r), as_of)
            if not status.in_force:
                continue
            code, tech, entry = r["code"].value, r["technology"].value, r["entry"].value
            if "parent" in r:
                out.parents.add(r["parent"].value)
            if (code, tech, entry) in seen:
                continue
            seen.add((code, tech, entry))
            ref = EntryRef(
                entry,
                _value(r, "notation"),
                _value(r, "entryLabel", compact(entry)),
                code,
                r["instrument"].value,
                _value(r, "instrumentLabel", compact(r["instrument"].value)),
                status.since,
                status.basis,
                r["controlled"].value,
            )
            out.by_place.setdefault(code, {}).setdefault(tech, []).append(ref)
    return out


def thresholds(store: Store, jurisdictions: list[str] | None = None) -> dict[str, Box]:
    """Each entry's thresholds, normalised, as a box."""
    boxes: dict[str, Box] = {}
    for place in jurisdictions or [None]:
        bindings = {"jurisdiction": Term.iri(jurisdiction_iri(place))} if place else {}
        for r in _select(store, "entry_thresholds", bindings).rows:
            entry = r["entry"].value
            if r["comparator"].value == "unstated":
                boxes.setdefault(entry, Box(entry)).unstated.add(r["parameter"].value)
                continue
            try:
                value, _unit = normalise(r["value"].value, r["unit"].value)
            except (UnitError, ValueError):
                continue
            boxes.setdefault(entry, Box(entry)).add(r["parameter"].value, r["comparator"].value, value)
    return boxes


@dataclass
class Treatment:
    giver: str
    receiver: str
    measure: str
    measure_label: str
    kind: str
    applies_from: str

    def to_json(self) -> dict:
        return asdict(self)


def treatment(store: Store, as_of: date) -> list[Treatment]:
    """Favourable treatment that applies on ``as_of``. A measure whose instrument has
    no date at all is kept (the graph says it exists and nothing says it ended)."""
    out = []
    for r in _select(store, "favourable_treatment").rows:
        status = in_force(InstrumentDates.from_row(r), as_of)
        if status.state not in (IN_FORCE, UNKNOWN):
            continue
        out.append(
            Treatment(
                r["giverCode"].value,
                r["receiverCode"].value,
                r["measure"].value,
                _value(r, "measureLabel", compact(r["measure"].value)),
                r["kind"].value,
                status.since,
            )
        )
    return out


@dataclass
class Commitment:
    arrangement: str
    name: str
    technology: str
    parties: list[str]


def commitments(store: Store, as_of: date, arrangement: str | None = None) -> list[Commitment]:
    bindings = {"asOf": as_of_term(as_of)}
    if arrangement:
        bindings["arrangement"] = Term.iri(arrangement)
    grouped: dict[tuple, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for r in _select(store, "arrangement_commitments", bindings).rows:
        key = (r["arrangement"].value, r["technology"].value)
        grouped[key].add(r["code"].value)
        names[key[0]] = _value(r, "name", compact(key[0]))
    return [Commitment(a, names[a], t, sorted(p)) for (a, t), p in sorted(grouped.items())]


@dataclass
class GraphVersion:
    """What a memo can cite: the content hash of the data and its SHACL conformance."""

    content_hash: str = ""
    conforms: bool | None = None
    pipeline: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def graph_version(store: Store) -> GraphVersion:
    rows = _select(store, "graph_version").rows
    if not rows:
        return GraphVersion()
    r = rows[0]
    conforms = r["conforms"].value == "true" if "conforms" in r else None
    return GraphVersion(r["hash"].value, conforms, _value(r, "built"))


def evidence_for(
    store: Store,
    entry: str,
    limit: int = 3,
    technology: str = "",
    wanted: tuple[str, ...] = ("controlsTechnology", "hasThreshold", "partOf"),
) -> list[dict]:
    """The source sentences behind an entry's control (of ``technology``, when given)
    and thresholds, best first; each says what kind of document it comes from, so
    only official text is ever quoted as a source's words."""
    rows = _select(store, "entity_evidence", {"entity": Term.iri(entry)}).rows
    if technology:
        rows = [r for r in rows if not r["p"].value.endswith("#controlsTechnology") or r["o"].value == technology]
    picked = sorted(
        (r for r in rows if r["p"].value.rsplit("#", 1)[-1] in wanted and "held" not in r),
        key=lambda r: (wanted.index(r["p"].value.rsplit("#", 1)[-1]), -float(r["confidence"].value)),
    )
    out = []
    for r in picked[:limit]:
        sentence, offset = r["sentence"].value, int(r["sentenceStart"].value)
        start, end = int(r["start"].value) - offset, int(r["end"].value) - offset
        out.append(
            {
                "entry": entry,
                "document": r["document"].value,
                "document_title": _value(r, "title"),
                "sentence": sentence,
                "span": sentence[max(0, start) : max(0, end)],
                "confidence": float(r["confidence"].value),
                "hedged": "hedged" in r,
                "document_kind": _value(r, "documentKind").rsplit("#", 1)[-1] or "Commentary",
                "official_url": _value(r, "officialUrl"),
            }
        )
    return out
