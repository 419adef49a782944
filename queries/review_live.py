"""A reviewer's decision in the graph at once, not only at the next build.

The decision's PROV-O record goes into the audit graph and its fact is changed in its
document's graph as a build would map it: an accepted fact is asserted and no longer
held, a rejected one is retracted, a correction replaces the threshold's comparator,
value and unit, or the statement's jurisdiction or date. It all lands in one
``Store.amend``, so a reader sees the whole decision or none of it. What a build
derives from facts (inferences, holdings) follows at the next build, which applies
every decision again from the review file and the audit graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

from qharmony.ontology.namespaces import ELI, QH, XSD, entity
from qharmony.ontology.units import NORMAL_UNITS

from .results import Term
from .review import Decision, DecisionError, decision_quads
from .review_queue import Fact
from .store import Quad, Store

Update = tuple[str, dict]

#: a date predicate and the one that says the same date at the other precision
_AT_PRECISION = {
    (ELI + "first_date_entry_in_force", "month"): QH + "effectiveMonth",
    (QH + "effectiveMonth", "day"): ELI + "first_date_entry_in_force",
}


@cache
def _update(name: str) -> str:
    """A SPARQL update of ``rq/NAME.ru`` (header as in the named queries)."""
    return resources.files("qharmony.queries.rq").joinpath(f"{name}.ru").read_text(encoding="utf-8")


def _lit(value: str, datatype: str | None = None) -> Term:
    return Term.literal(value, datatype)


def _iri(value: str) -> Term:
    return Term.iri(value)


def _threshold(fact: Fact, value: dict) -> Update:
    new = {**fact.threshold, **value}
    unit = NORMAL_UNITS.get(str(new["unit"]))
    if unit is None:
        raise DecisionError(f"unknown unit {new['unit']!r}; known: {', '.join(sorted(NORMAL_UNITS))}")
    number = float(new["value"])
    label = f"{new['parameter']} {new['op']} {number:g} {new['unit']}"
    return _update("review_threshold"), {
        "fingerprint": _lit(fact.fingerprint),
        "comparator": _lit(str(new["op"])),
        "value": _lit(repr(number), XSD + "double"),
        "unit": _iri(unit.iri),
        "label": Term.literal(label, lang="en"),
    }


def _restated(fact: Fact, value: dict) -> Update:
    """The statement with its corrected object: a jurisdiction, or a date (whose
    precision may move it to the other date predicate, as the build does)."""
    predicate = fact.predicate
    if "jurisdiction" in value:
        new = _iri(entity("jurisdiction", value["jurisdiction"]))
    else:
        was_month = fact.predicate == QH + "effectiveMonth"
        precision = value.get("precision") or ("month" if was_month else "day")
        date = str(value.get("date") or fact.object)
        predicate = _AT_PRECISION.get((fact.predicate, precision), fact.predicate)
        if precision == "month":
            if predicate != QH + "effectiveMonth":
                raise DecisionError("only an entry-into-force date can be month-precise; this date needs a day")
            new = _lit(date[:7], XSD + "gYearMonth")
        elif len(date) != 10:
            raise DecisionError(f"a date at day precision is YYYY-MM-DD, got {date!r}")
        else:
            new = _lit(date, XSD + "date")
    return _update("review_restate"), {
        "fingerprint": _lit(fact.fingerprint),
        "newPredicate": _iri(predicate),
        "newObject": new,
    }


def live_changes(fact: Fact, decision: Decision, earlier: Sequence[Decision] = ()) -> tuple[list[Quad], list[Update]]:
    """The audit quads and the updates that put ``decision`` on ``fact`` in the graph;
    ``earlier``: the decisions already made on the same fact (for PROV-O revisions).
    Raises DecisionError when a correction does not fit the fact."""
    mine = [d for d in earlier if d.fingerprint == decision.fingerprint and d.id != decision.id]
    status = {} if decision.action == "flag" else {decision.id: "applied"}
    replaced = {decision.id: fact.threshold or {"object": fact.object}} if decision.action == "correct" else {}
    quads = [q for q in decision_quads([*mine, decision], status, replaced) if q[0].value == decision.iri]
    if decision.action == "flag":
        return quads, []
    updates: list[Update] = [
        (
            _update("review_mark"),
            {"fingerprint": _lit(fact.fingerprint), "decision": _iri(decision.iri), "action": _lit(decision.action)},
        ),
        (_update("review_supersede"), {"fingerprint": _lit(fact.fingerprint), "decision": _iri(decision.iri)}),
    ]
    if decision.action == "correct":
        updates.append(_threshold(fact, decision.value) if fact.threshold else _restated(fact, decision.value))
    return quads, updates


def apply_live(store: Store, fact: Fact, decision: Decision, earlier: Sequence[Decision] = ()) -> None:
    """Put the decision in the graph in service now (one ``amend``: all or nothing)."""
    quads, updates = live_changes(fact, decision, earlier)
    store.amend(quads, updates)
