"""Reviewers' decisions on extracted facts, as values and as RDF.

A decision accepts, rejects or corrects one fact, named by its fingerprint
(``ingest/fingerprints.py``), or flags it for review. Decisions are never edited or
deleted: a later decision on the same fact supersedes the earlier one, and both stay
in the audit graph (``REVIEW_GRAPH``) with PROV-O: who (``prov:wasAssociatedWith``),
when (``prov:endedAtTime``), why (``qh:reason``) and what it replaces (the value as
extracted, ``qh:replacedValue``; the earlier decision, ``prov:wasRevisionOf``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from qharmony.ontology.namespaces import PROV, QH, RDF, RDFS, REVIEW_GRAPH, XSD, entity
from qharmony.ontology.units import UnitError, lookup, normalise

from .catalog import get_query
from .results import Term, cell
from .store import Store

ACTIONS = ("accept", "reject", "correct", "flag")
#: what a correction may set, by the kind of fact
CORRECTABLE = {
    "Threshold": ("op", "value", "unit"),
    "Jurisdiction": ("jurisdiction",),
    "Date": ("date", "precision"),
    "Month": ("date", "precision"),
}
COMPARATORS = ("<", "<=", ">", ">=", "=")
PRECISIONS = ("day", "month")

Quad = tuple[Term, Term, Term, Term]


class DecisionError(ValueError):
    """A decision that cannot be made or read; the message names the bad value."""


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one fact."""

    fingerprint: str
    action: str
    reviewer: str
    reason: str
    at: str = field(default_factory=now)
    #: for a correction: the new value (``CORRECTABLE`` keys)
    value: dict = field(default_factory=dict)
    #: the fact as it read when decided (subject, predicate, object), for people
    statement: str = ""
    #: the value as extracted, which a correction replaces
    replaces: dict = field(default_factory=dict)
    document: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise DecisionError(f"unknown action {self.action!r}; known: {', '.join(ACTIONS)}")
        if not self.fingerprint.strip():
            raise DecisionError("a decision needs the fingerprint of the fact it is about")
        if not self.reviewer.strip():
            raise DecisionError("a decision needs the name of its reviewer")
        if self.action != "flag" and not self.reason.strip():
            raise DecisionError(f"a decision to {self.action} needs a reason")
        if self.action == "correct" and not self.value:
            raise DecisionError("a correction needs the new value")

    @property
    def iri(self) -> str:
        return entity("decision", self.id)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict, where: str = "the decision") -> Decision:
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DecisionError(f"{where}: unknown fields {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise DecisionError(f"{where}: {exc}") from None


def check_correction(object_type: str, value: dict) -> dict:
    """The correction with its values checked for the kind of fact, or an error
    naming the bad value and what is allowed."""
    allowed = CORRECTABLE.get(object_type)
    if allowed is None:
        raise DecisionError(f"a {object_type} fact cannot be corrected; correctable: {', '.join(CORRECTABLE)}")
    given = {k: v for k, v in value.items() if v not in (None, "")}
    bad = sorted(set(given) - set(allowed))
    if bad or not given:
        raise DecisionError(f"a {object_type} correction sets {', '.join(allowed)}; got {', '.join(bad) or 'nothing'}")
    if "op" in given and given["op"] not in COMPARATORS:
        raise DecisionError(f"comparator must be one of {' '.join(COMPARATORS)}, got {given['op']!r}")
    if "value" in given:
        try:
            given["value"] = float(given["value"])
        except (TypeError, ValueError):
            raise DecisionError(f"value must be a number, got {given['value']!r}") from None
    if "unit" in given:
        # stored as extraction stores it: in the normalised unit ("700 uW" is 0.0007 W)
        try:
            unit = lookup(str(given["unit"]))
        except UnitError as exc:
            raise DecisionError(str(exc)) from None
        if "value" in given:
            given["value"], given["unit"] = normalise(given["value"], unit.qudt)
        elif unit.factor != 1:
            raise DecisionError(f"give the value with the unit {given['unit']!r}, so it can be normalised")
        else:
            given["unit"] = unit.normal
    if "precision" in given and given["precision"] not in PRECISIONS:
        raise DecisionError(f"precision must be one of {', '.join(PRECISIONS)}, got {given['precision']!r}")
    if "jurisdiction" in given:
        given["jurisdiction"] = str(given["jurisdiction"]).strip().upper()
    return given


def effective(decisions: Iterable[Decision]) -> dict[str, Decision]:
    """The decision in force for each fact: the latest that is not a flag."""
    out: dict[str, Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.at, d.id)):
        if d.action != "flag":
            out[d.fingerprint] = d
    return out


def _lit(value: str, datatype: str | None = None) -> Term:
    return Term.literal(value, datatype)


def decision_quads(
    decisions: Iterable[Decision], status: dict[str, str] | None = None, replaced: dict[str, dict] | None = None
) -> list[Quad]:
    """The audit graph: each decision as a ``prov:Activity``; ``status`` (by decision
    id: applied, orphaned, superseded) as the last build found it, and ``replaced``
    the extracted value each applied correction replaced."""
    g = Term.iri(REVIEW_GRAPH)
    quads: list[Quad] = []
    ordered = sorted(decisions, key=lambda d: (d.at, d.id))
    previous: dict[str, Decision] = {}
    for d in ordered:
        s = Term.iri(d.iri)

        def add(p: str, o: Term, s: Term = s) -> None:
            quads.append((s, Term.iri(p), o, g))

        add(RDF + "type", Term.iri(QH + "ReviewDecision"))
        add(RDF + "type", Term.iri(PROV + "Activity"))
        add(QH + "fingerprint", _lit(d.fingerprint))
        add(QH + "reviewAction", _lit(d.action))
        add(PROV + "wasAssociatedWith", Term.iri(entity("reviewer", d.reviewer)))
        add(PROV + "endedAtTime", _lit(d.at, XSD + "dateTime"))
        add(QH + "reason", _lit(d.reason))
        add(RDFS + "label", _lit(f"{d.action} by {d.reviewer}: {d.statement}"[:300]))
        add(QH + "decisionRecord", _lit(json.dumps(d.to_json(), sort_keys=True, ensure_ascii=False)))
        if d.value:
            add(QH + "correctedValue", _lit(json.dumps(d.value, sort_keys=True)))
        was = (replaced or {}).get(d.id) or d.replaces
        if was:
            add(QH + "replacedValue", _lit(json.dumps(was, sort_keys=True)))
        if d.statement:
            add(QH + "statementText", _lit(d.statement))
        if d.fingerprint in previous:
            add(PROV + "wasRevisionOf", Term.iri(previous[d.fingerprint].iri))
        if status and d.id in status:
            add(QH + "reviewStatus", _lit(status[d.id]))
        previous[d.fingerprint] = d
    return quads


def stored_decisions(store: Store) -> list[Decision]:
    """The decisions in the store's audit graph, as the last build wrote them."""
    rows = store.select(get_query("review_decisions").text).rows
    return [Decision.from_json(json.loads(r["record"].value), f"audit graph {r['decision'].value}") for r in rows]


def decision_status(store: Store) -> dict[str, str]:
    """What the last build found for each decision id: applied, orphaned, superseded."""
    rows = store.select(get_query("review_decisions").text).rows
    return {r["decision"].value.rsplit("/", 1)[-1]: cell(r, "status") for r in rows}


def decisions_to_json(decisions: Iterable[Decision]) -> str:
    """Decisions as a JSON document, to move between installations."""
    records = [d.to_json() for d in sorted(decisions, key=lambda d: (d.at, d.id))]
    return json.dumps({"qharmony_review_decisions": 1, "decisions": records}, indent=2, ensure_ascii=False)


def decisions_from_json(text: str, source: str = "the file") -> list[Decision]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecisionError(f"{source}: not JSON ({exc.msg}, line {exc.lineno})") from None
    records = data.get("decisions") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise DecisionError(f"{source}: expected a list of decisions, or an object with 'decisions'")
    return [Decision.from_json(r, f"{source}: decision {i}") for i, r in enumerate(records, start=1)]


def decisions_from_trig(data: bytes, source: str = "the file") -> list[Decision]:
    """The decisions in an exported audit graph (TriG or N-Quads): each decision's
    ``qh:decisionRecord`` holds it whole."""
    import rdflib

    dataset = rdflib.Dataset()
    try:
        dataset.parse(data=data, format="trig")
    except Exception as exc:  # rdflib raises many kinds of parse error
        raise DecisionError(f"{source}: not TriG ({exc})") from None
    records = sorted(str(o) for _, _, o, _ in dataset.quads((None, rdflib.URIRef(QH + "decisionRecord"), None, None)))
    return [Decision.from_json(json.loads(r), f"{source}: decision record") for r in records]
