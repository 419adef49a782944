"""The determination: for a jurisdiction, a technology kind and a date, is it
controlled, not controlled, unknown to the graph, or uncertain, and on what evidence?

A legal team acts on "not controlled", so silence is never read as it: the answer is
``not_controlled`` only when a source says so (an exclusion, a statement that the
jurisdiction has no equivalent, a removal) or the graph holds the jurisdiction's
complete list for the technology on that date. Gaps, the matrix, transfer checks,
treaty pages and entity pages all ask this one function.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from qharmony.ontology.namespaces import QH

from ..catalog import select_all
from ..dates import ADOPTION, ATTESTED, ENDED, IN_FORCE, MONTH_ONLY, NOT_YET, PROPOSED, InstrumentDates, in_force
from ..results import Term
from ..store import Store
from .evidence import evidence_for
from .holdings import Holdings, holdings, holdings_for_all
from .kinds import EXPORT_CONTROL, measure_kind_iri
from .regimes import jurisdiction_iri
from .version import GraphVersion, graph_version
from .vocabulary import Technology, technology_tree

CONTROLLED = "controlled"
NOT_CONTROLLED = "not_controlled"
NO_DATA = "no_data"
UNCERTAIN = "uncertain"
STATES = (CONTROLLED, NOT_CONTROLLED, NO_DATA, UNCERTAIN)

#: flags an answer carries, in the words pages and exports print
CODE_NOT_VERIFIED = "code not verified"
MONTH_PRECISION = "date known only to the month"
ADOPTION_STANDS_IN = "adoption date standing in for entry into force"
HEDGED = "hedged wording"
DATE_UNKNOWN = "in-force date unknown"
MAY_BE_SUPERSEDED = "national entry may be superseded by a union entry"


def confidence_level(value: float | None) -> str:
    """A word for a confidence, so unverified and likely facts look different."""
    if value is None:
        return "asserted"  # loaded by a user without evidence records
    return "high" if value >= 0.85 else "medium" if value >= 0.6 else "low"


@dataclass
class Basis:
    """One entry (or statement) weighed by a determination, with its own state."""

    entry: str
    code: str
    label: str
    jurisdiction: str  # whose law the entry is (EU for a union entry applied in DE)
    instrument: str
    instrument_label: str
    official_url: str
    state: (
        str  # "in force", "uncertain", "not yet in force", "no longer in force", "unknown", "excludes", "no equivalent"
    )
    since: str
    stated: str
    basis: str
    flags: list[str]
    confidence: float | None
    parent: str = ""
    controlled: str = ""  # the technology class the entry names (T or a broader one)

    def to_json(self) -> dict:
        return dict(self.__dict__)

    @property
    def cite(self) -> str:
        return self.code or self.label


@dataclass
class Determination:
    jurisdiction: str
    technology: str  # slug
    technology_iri: str
    technology_label: str
    as_of: str
    status: str
    confidence: float | None
    flags: list[str]
    reason: str
    measure_kind: str = EXPORT_CONTROL
    entries: list[Basis] = field(default_factory=list)
    pending: list[Basis] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    #: entries the analyses on thresholds may read when the technology is controlled:
    #: those in force and those only doubtfully so (hedged bands of a controlled entry)
    readable: dict[str, Basis] = field(default_factory=dict)

    @property
    def confidence_level(self) -> str:
        return confidence_level(self.confidence)

    @property
    def codes(self) -> list[str]:
        return [b.cite for b in self.entries]

    def to_json(self, version: GraphVersion | None = None) -> dict:
        data = {
            "jurisdiction": self.jurisdiction,
            "technology": self.technology,
            "technology_label": self.technology_label,
            "as_of": self.as_of,
            "status": self.status,
            "confidence": self.confidence,
            "confidence_level": self.confidence_level,
            "flags": self.flags,
            "entries": self.codes,
            "reason": self.reason,
            "measure_kind": self.measure_kind,
            "basis": [b.to_json() for b in self.entries],
            "pending": [b.to_json() for b in self.pending],
            "overlapping_measures": self.overlaps,
            "evidence": self.evidence,
        }
        if version is not None:
            data["graph_version"] = version.content_hash
        return data

    def row(self) -> dict:
        return {
            "jurisdiction": self.jurisdiction,
            "technology": self.technology,
            "status": self.status,
            "confidence": "" if self.confidence is None else f"{self.confidence:.2f}",
            "confidence_level": self.confidence_level,
            "flags": "; ".join(self.flags),
            "entries": "; ".join(self.codes),
            "reason": self.reason,
            "official_urls": " ".join(sorted({b.official_url for b in self.entries if b.official_url})),
        }


def _weakest(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _unique(items) -> list:
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _text(row: dict, key: str) -> str:
    return row[key].value if key in row else ""


def weigh_entry(row: dict, as_of: date) -> Basis:
    """An entry's state on ``as_of`` under the one in-force rule, with its flags.

    Definite: in force from a day-precise date, a month wholly past, or a consolidated
    text, on unhedged evidence. Uncertain: in force only by an adoption date, or on
    hedged evidence only, or undated, or starting in the very month asked about.
    """
    status = in_force(InstrumentDates.from_row(row), as_of)
    flags: list[str] = []
    if _text(row, "codeVerified") == "false":
        flags.append(CODE_NOT_VERIFIED)
    if status.basis == MONTH_ONLY:
        flags.append(MONTH_PRECISION)
    if status.basis == ADOPTION:
        flags.append(ADOPTION_STANDS_IN)
    if status.basis in ("", ATTESTED):
        flags.append(DATE_UNKNOWN)
    best = float(row["confidence"].value) if "confidence" in row else None
    weakest = float(row["weakest"].value) if "weakest" in row else best
    unhedged = float(row["unhedged"].value) if "unhedged" in row else None
    hedged = best is not None and not unhedged  # every sentence that states it hedges it
    if "hedgedCount" in row and int(row["hedgedCount"].value) > 0:
        flags.append(HEDGED)
    confidence = weakest
    if status.state == IN_FORCE:
        state = "uncertain" if (status.basis == ADOPTION or hedged) else "in force"
    elif status.state == NOT_YET and status.inside_stated_month:
        state = "uncertain"  # the month has begun; the day is not known
    elif status.state in (NOT_YET, ENDED, PROPOSED):
        state = status.state
    else:
        state = "unknown"
    return Basis(
        row["entry"].value,
        _text(row, "notation"),
        _text(row, "entryLabel") or row["entry"].value.rsplit("/", 1)[-1],
        _text(row, "instrumentCode") or _text(row, "code"),
        row["instrument"].value,
        _text(row, "instrumentLabel"),
        _text(row, "officialUrl"),
        state,
        status.since,
        status.stated,
        status.basis,
        flags,
        confidence,
        _text(row, "parent"),
        _text(row, "controlled"),
    )


def _statement(row: dict, as_of: date) -> Basis | None:
    """A source saying the jurisdiction does not control it, if it holds on ``as_of``."""
    status = in_force(InstrumentDates.from_row(row), as_of)
    if status.state != IN_FORCE:
        return None
    how = row["how"].value
    return Basis(
        row["subject"].value,
        _text(row, "notation"),
        _text(row, "subjectLabel"),
        _text(row, "code"),
        row["instrument"].value,
        _text(row, "instrumentLabel"),
        _text(row, "officialUrl"),
        "excludes" if how == "exclusion" else "no equivalent",
        status.since,
        status.stated,
        status.basis,
        [],
        float(row["confidence"].value) if "confidence" in row else None,
    )


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
    statements = select_all(store, "not_controlled_statements", bound).rows
    return Facts(code, entries, statements, holdings(store, code))


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
    for r in select_all(store, "not_controlled_statements").rows:
        statements[r["code"].value].append(r)
    held = holdings_for_all(store, codes)
    return {code: Facts(code, entries[code], statements[code], held[code]) for code in codes}


def decide(
    facts: Facts, tech: Technology, tree: dict[str, Technology], as_of: date, kind: str = EXPORT_CONTROL
) -> Determination:
    """The determination for one technology from a jurisdiction's facts."""
    kind_iri = measure_kind_iri(kind)
    covering = tree[tech.iri].ancestors
    rows = [
        r for r in facts.by_technology.get(tech.iri, []) if r["measureKind"].value == kind_iri and "proposed" not in r
    ]
    weighed = _best_per_entry(weigh_entry(r, as_of) for r in rows)
    children = {b.parent for b in weighed}
    definite = [b for b in weighed if b.state == "in force"]
    doubtful = [b for b in weighed if b.state in ("uncertain", "unknown")]
    ended = [b for b in weighed if b.state == ENDED]
    later = [b for b in weighed if b.state == NOT_YET]
    base = Determination(facts.code, tech.slug, tech.iri, tech.label, as_of.isoformat(), NO_DATA, None, [], "", kind)
    base.pending = later + doubtful if definite else later
    base.readable = {b.entry: b for b in definite + doubtful}
    if definite:
        leaves = [b for b in definite if b.entry not in children] or definite
        base.status, base.entries = CONTROLLED, leaves
        base.reason = "in force: " + ", ".join(
            f"{b.cite} ({b.jurisdiction}, from {b.stated or b.since})" for b in leaves
        )
        base.overlaps = _overlaps(leaves, facts.code)
    elif doubtful:
        base.status, base.entries = UNCERTAIN, doubtful
        base.reason = "only " + "; ".join(_why_doubtful(b) for b in doubtful)
    else:
        said = [s for s in (_statement(r, as_of) for r in facts.statements if r["excluded"].value in covering) if s]
        said += [
            Basis(**{**b.__dict__, "state": "removed", "flags": []}) for b in ended
        ]  # a repeal or removal is a source saying it stopped
        complete = facts.holdings.complete_for(tree, tech.iri, kind_iri, as_of)
        if said:
            base.status, base.entries = NOT_CONTROLLED, said
            base.reason = "a source says so: " + "; ".join(_why_not(b) for b in said)
        elif complete:
            base.status = NOT_CONTROLLED
            base.reason = (
                f"the graph holds {facts.code}'s complete list for this scope ({complete}) and no entry covers it"
            )
        else:
            base.reason = facts.holdings.silence(facts.code)
    base.flags = _unique(f for b in base.entries for f in b.flags)
    if base.overlaps:
        base.flags.append(MAY_BE_SUPERSEDED)
    base.confidence = _weakest([b.confidence for b in base.entries])
    return base


_RANK = {"in force": 0, "uncertain": 1, "unknown": 2, NOT_YET: 3, ENDED: 4, PROPOSED: 5}


def _best_per_entry(weighed) -> list[Basis]:
    """One basis per entry: an entry in two instruments counts once, by its best state."""
    best: dict[str, Basis] = {}
    for b in weighed:
        if b.entry not in best or _RANK.get(b.state, 9) < _RANK.get(best[b.entry].state, 9):
            best[b.entry] = b
    return list(best.values())


def _why_doubtful(b: Basis) -> str:
    if b.state == "unknown":
        return f"{b.cite}, whose in-force date is not known"
    return f"{b.cite} ({', '.join(b.flags) or b.basis})"


def _why_not(b: Basis) -> str:
    if b.state == "excludes":
        return f"{b.cite} ({b.instrument_label}) excludes it"
    if b.state == "removed":
        return f"{b.cite} stopped being in force"
    return f"{b.instrument_label} says its entry {b.cite} has no equivalent in {b.jurisdiction}"


def _overlaps(entries: list[Basis], code: str) -> list[str]:
    """A national entry and a union entry on the same item: both are reported, once each."""
    national = [b for b in entries if b.jurisdiction == code]
    union = [b for b in entries if b.jurisdiction != code]
    if not (national and union):
        return []
    return [
        f"{n.cite} ({code}, national) overlaps {u.cite} ({u.jurisdiction}); the national entry may be "
        "superseded unless a source says it was repealed"
        for n in national
        for u in union
    ]


@dataclass
class DeterminationReport:
    jurisdiction: str
    as_of: str
    measure_kind: str
    determinations: list[Determination]
    coverage: list[dict]
    version: GraphVersion

    def to_json(self) -> dict:
        return {
            "jurisdiction": self.jurisdiction,
            "as_of": self.as_of,
            "measure_kind": self.measure_kind,
            "graph_version": self.version.to_json(),
            "coverage": self.coverage,
            "rows": [d.to_json(self.version) for d in self.determinations],
        }

    def rows(self) -> list[dict]:
        return [
            d.row() | {"as_of": self.as_of, "graph_version": self.version.content_hash} for d in self.determinations
        ]


def determine(
    store: Store,
    jurisdiction: str,
    technology: str | None = None,
    as_of: date | None = None,
    kind: str = EXPORT_CONTROL,
    with_evidence: bool = True,
) -> DeterminationReport:
    """One determination per technology kind (or for ``technology`` only) of
    ``jurisdiction`` on ``as_of``, each with its entries, confidence, flags and evidence."""
    as_of = as_of or date.today()
    code = jurisdiction.upper()
    tree = technology_tree(store)
    facts = facts_for(store, code)
    techs = [tree[technology]] if technology else sorted(tree.values(), key=lambda t: t.label)
    found = [decide(facts, t, tree, as_of, kind) for t in techs]
    if with_evidence:
        for d in found:
            attach_evidence(store, d)
    return DeterminationReport(code, as_of.isoformat(), kind, found, facts.holdings.to_json(), graph_version(store))


def attach_evidence(store: Store, d: Determination, per_entry: int = 1) -> None:
    """The sentences behind a determination's entries, labelled by document kind."""
    for b in d.entries[:4]:
        wanted = (QH + "doesNotControl", QH + "noEquivalentIn") if b.state in ("excludes", "no equivalent") else None
        if wanted:
            d.evidence.extend(evidence_for(store, b.entry, per_entry, wanted=wanted))
        else:
            d.evidence.extend(evidence_for(store, b.entry, per_entry, b.controlled))
