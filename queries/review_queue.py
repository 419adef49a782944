"""The review queue: facts held for review, facts flagged by a reviewer, and facts
already decided, each with its sentence, rule, confidence and fingerprint; filters
by document, jurisdiction, relation and confidence. Also a fact's review status for
entity pages and exports (extracted, held, accepted, rejected, corrected)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from qharmony.ontology.namespaces import ID, UNIT, compact
from qharmony.ontology.units import UNITS

from .analysis.evidence import excerpt
from .catalog import get_query, select_pages
from .entity import term_label
from .results import Term, cell
from .review import CORRECTABLE, Decision, DecisionError, check_correction, effective
from .store import Store

#: kinds of entity whose IRI carries a jurisdiction code as its second segment
_WITH_JURISDICTION = ("entry", "list", "instrument", "exception", "jurisdiction", "threshold")


def jurisdiction_of(iri: str) -> str:
    """The jurisdiction code in one of our entity IRIs, or empty."""
    if not iri.startswith(ID):
        return ""
    parts = iri[len(ID) :].split("/")
    return parts[1] if len(parts) > 1 and parts[0] in _WITH_JURISDICTION else ""


@dataclass
class Fact:
    """One extracted fact and where it was read."""

    fingerprint: str
    evidence: str
    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    #: what a correction may set, empty when the fact cannot be corrected
    correctable: list[str]
    #: the extracted value of a threshold (parameter, op, value, unit), else empty
    threshold: dict
    document: str
    document_title: str
    jurisdiction: str
    confidence: float
    rule: str
    before: str
    span: str
    after: str
    held: bool
    #: the decision applied by the last build: accept, reject, correct; empty if none
    status: str = ""
    #: every decision made on this fact, latest first
    history: list[dict] = field(default_factory=list)

    @property
    def statement(self) -> str:
        return f"{self.subject_label} {self.predicate_label} {self.object_label}"

    def to_json(self) -> dict:
        return {**asdict(self), "statement": self.statement}


def _short(iri: str) -> str:
    return iri[len(ID) :] if iri.startswith(ID) else compact(iri)


def _object_kind(row: dict[str, Term]) -> str:
    if "parameter" in row:
        return "Threshold"
    o = row["o"]
    if o.type == "uri" and o.value.startswith(ID + "jurisdiction/"):
        return "Jurisdiction"
    if o.datatype and o.datatype.endswith(("#date", "#gYearMonth")):
        return "Month" if o.datatype.endswith("gYearMonth") else "Date"
    return ""


def _fact(row: dict[str, Term]) -> Fact:
    ex = excerpt(row)
    s, p, o = row["s"].value, row["p"].value, row["o"]
    threshold = {}
    if "parameter" in row:
        local = row["unit"].value.removeprefix(UNIT)
        unit = UNITS[local].normal if local in UNITS else local
        threshold = {"parameter": row["parameter"].value, "op": row["comparator"].value, "value": row["value"].value}
        threshold["unit"] = unit
    return Fact(
        fingerprint=row["fingerprint"].value,
        evidence=row["evidence"].value,
        subject=s,
        subject_label=cell(row, "sLabel") or _short(s),
        predicate=p,
        predicate_label=term_label(p),
        object=o.value,
        object_label=cell(row, "oLabel") or (_short(o.value) if o.type == "uri" else o.value),
        correctable=list(CORRECTABLE.get(_object_kind(row), ())),
        threshold=threshold,
        document=ex.document,
        document_title=ex.document_title,
        jurisdiction=jurisdiction_of(s),
        confidence=ex.confidence,
        rule=row["rule"].value,
        before=ex.before,
        span=ex.span,
        after=ex.after,
        held="held" in row,
        status=cell(row, "action"),
    )


@dataclass
class Filters:
    document: str = ""
    jurisdiction: str = ""
    relation: str = ""
    max_confidence: float | None = None
    #: which facts: "open" (held or flagged, not decided), "decided", or "all"
    show: str = "open"

    def keeps(self, f: Fact, decided: bool) -> bool:
        if self.show == "open" and decided or self.show == "decided" and not decided:
            return False
        if self.document and self.document not in (f.document, f.document.rsplit("/", 1)[-1]):
            return False
        if self.jurisdiction and f.jurisdiction.upper() != self.jurisdiction.upper():
            return False
        if self.relation and self.relation not in (f.predicate, compact(f.predicate), f.predicate_label):
            return False
        return self.max_confidence is None or f.confidence <= self.max_confidence


@dataclass
class ReviewQueue:
    """The facts to review, the filters applied, and the choices each filter has."""

    facts: list[Fact]
    filters: Filters
    documents: list[str] = field(default_factory=list)
    jurisdictions: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    #: decisions made since the last build, which the next build applies
    pending: int = 0


def fact_by_fingerprint(store: Store, fingerprint: str) -> Fact | None:
    """The fact with this fingerprint in the current graph, or None."""
    rows = store.select(get_query("review_fact").text, {"fingerprint": Term.literal(fingerprint)}).rows
    return _fact(rows[0]) if rows else None


def review_queue(store: Store, decisions: list[Decision], filters: Filters | None = None) -> ReviewQueue:
    """Held and flagged facts (and decided ones, as ``filters.show`` says), with the
    decisions made on each, latest first."""
    filters = filters or Filters()
    by_fp: dict[str, list[Decision]] = {}
    for d in sorted(decisions, key=lambda d: (d.at, d.id), reverse=True):
        by_fp.setdefault(d.fingerprint, []).append(d)
    facts: dict[str, Fact] = {}
    for row in select_pages(store, "review_facts"):
        facts.setdefault(row["fingerprint"].value, _fact(row))
    for fp in by_fp:
        if fp not in facts:
            found = fact_by_fingerprint(store, fp)
            if found:
                facts[fp] = found
    in_force = effective(decisions)
    kept = []
    for fp, f in facts.items():
        f.history = [d.to_json() for d in by_fp.get(fp, [])]
        if filters.keeps(f, decided=fp in in_force):
            kept.append(f)
    every = list(facts.values())
    return ReviewQueue(
        kept,
        filters,
        sorted({f.document for f in every}),
        sorted({f.jurisdiction for f in every if f.jurisdiction}),
        sorted({compact(f.predicate) for f in every}),
    )


def make_decision(
    store: Store, fingerprint: str, action: str, reviewer: str, reason: str, value: dict | None = None
) -> Decision:
    """A decision on a fact of the current graph, checked against it: the fact must
    exist, and a correction must fit its kind. Records what the fact read."""
    fact = fact_by_fingerprint(store, fingerprint)
    if fact is None:
        raise DecisionError(f"no fact with fingerprint {fingerprint!r} in the graph (see 'qharmony review list')")
    checked: dict = {}
    if action == "correct":
        if not fact.correctable:
            raise DecisionError(f"this fact ({fact.statement}) cannot be corrected, only accepted or rejected")
        kind = "Threshold" if fact.threshold else ("Jurisdiction" if "jurisdiction" in fact.correctable else "Date")
        checked = check_correction(kind, value or {})
    replaces = fact.threshold or ({"object": fact.object} if action == "correct" else {})
    return Decision(
        fingerprint,
        action,
        reviewer,
        reason,
        value=checked,
        statement=fact.statement,
        replaces=replaces,
        document=fact.document,
    )
