"""Applying reviewers' decisions during a build.

Each relation extracted is fingerprinted (``fingerprints.py``) and matched to the
decision in force for it: an accepted fact is asserted whatever its confidence, a
rejected one never is, and a correction replaces the extracted value (a threshold's
comparator, value or unit; a jurisdiction; a date and its precision) before the
relation is mapped to RDF, so everything downstream (inference, SHACL, gaps,
exports) sees the corrected fact. A decision whose fingerprint no longer appears is
reported as orphaned, and stays in the audit graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from qharmony.queries.review import Decision, DecisionError, check_correction, effective

from .fingerprints import fact_fingerprint
from .records import Extraction, Relation, Reviewed
from .thresholds import QUDT_UNITS

#: a date relation and the one that says the same at another precision
_DATE_AT = {
    ("effective_on", "month"): ("effective_in_month", "Month"),
    ("effective_in_month", "day"): ("effective_on", "Date"),
}


@dataclass
class ReviewOutcome:
    """What the decisions did in one build."""

    applied: list[Decision] = field(default_factory=list)
    orphaned: list[Decision] = field(default_factory=list)
    superseded: list[Decision] = field(default_factory=list)
    #: decisions that could not be applied to the fact they matched, and why
    failed: list[tuple[Decision, str]] = field(default_factory=list)
    #: the extracted value each applied correction replaced, by decision id
    replaced: dict[str, dict] = field(default_factory=dict)

    def status(self) -> dict[str, str]:
        """Each decision's id and what this build found for it."""
        out = {d.id: "applied" for d in self.applied}
        out.update({d.id: "orphaned" for d in self.orphaned})
        out.update({d.id: "superseded" for d in self.superseded})
        out.update({d.id: "failed: " + why for d, why in self.failed})
        return out


def _corrected_date(r: Relation, value: dict) -> Relation:
    date = str(value.get("date") or r.object)
    precision = value.get("precision") or ("month" if r.object_type == "Month" else "day")
    if precision == "month":
        date = date[:7]
    elif len(date) != 10:
        raise DecisionError(f"a date at day precision is YYYY-MM-DD, got {date!r}")
    type_, object_type = _DATE_AT.get((r.type, precision), (r.type, "Month" if precision == "month" else "Date"))
    if object_type == "Month" and type_ != "effective_in_month":
        raise DecisionError(f"only an entry-into-force date can be month-precise; {r.type} needs a day")
    return replace(r, type=type_, object=date, object_type=object_type)


def corrected(r: Relation, value: dict) -> Relation:
    """The relation with the correction's values in place of the extracted ones."""
    value = check_correction(r.object_type, value)
    if r.object_type == "Threshold":
        unit = value.get("unit", r.object["unit"])
        if unit not in QUDT_UNITS:
            raise DecisionError(f"unknown unit {unit!r}; known: {', '.join(sorted(QUDT_UNITS))}")
        return replace(r, object={**r.object, **value})
    if r.object_type == "Jurisdiction":
        return replace(r, object=value["jurisdiction"])
    return _corrected_date(r, value)


def extracted_value(r: Relation) -> dict:
    """The value of a relation a correction would replace, as plain values."""
    if r.object_type == "Threshold":
        return {k: r.object[k] for k in ("parameter", "op", "value", "unit") if k in r.object}
    if r.object_type == "Jurisdiction":
        return {"jurisdiction": r.object}
    if r.object_type in ("Date", "Month"):
        return {"date": r.object, "precision": "month" if r.object_type == "Month" else "day"}
    return {"object": r.object}


class Review:
    """Decisions applied batch by batch (a build streams its documents): ``apply``
    each batch in place, then ``outcome`` once every document has been seen, since a
    decision is orphaned only if no document of the build holds its fact."""

    def __init__(self, decisions: Iterable[Decision]):
        self.decisions = list(decisions)
        self.in_force = effective(self.decisions)
        self.result = ReviewOutcome()
        self.result.superseded = [
            d for d in self.decisions if d.action != "flag" and self.in_force.get(d.fingerprint) is not d
        ]
        self.seen: set[str] = set()
        self.failed: set[str] = set()

    def apply(self, extractions: Iterable[Extraction]) -> None:
        outcome, in_force = self.result, self.in_force
        for ex in extractions:
            for i, r in enumerate(ex.relations):
                fp = fact_fingerprint(ex, r)
                self.seen.add(fp)
                decision = in_force.get(fp)
                if decision is None:
                    continue
                try:
                    new = corrected(r, decision.value) if decision.action == "correct" else r
                except DecisionError as exc:
                    outcome.failed.append((decision, str(exc)))
                    self.failed.add(decision.id)
                    continue
                if decision.action == "correct":
                    outcome.replaced[decision.id] = extracted_value(r)
                ex.relations[i] = replace(new, review=Reviewed(fp, decision.iri, decision.action))

    def outcome(self) -> ReviewOutcome:
        outcome, seen = self.result, self.seen
        for decision in self.in_force.values():
            if decision.fingerprint not in seen:
                outcome.orphaned.append(decision)
            elif decision.id not in self.failed:
                outcome.applied.append(decision)
        outcome.orphaned += [d for d in self.decisions if d.action == "flag" and d.fingerprint not in seen]
        return outcome


def apply_decisions(extractions: Iterable[Extraction], decisions: Iterable[Decision]) -> ReviewOutcome:
    """Apply the decision in force for each fact to the extracted relations, in place."""
    review = Review(decisions)
    review.apply(extractions)
    return review.outcome()
