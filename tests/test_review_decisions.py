"""Matching decisions to facts by fingerprint, and applying them before mapping:
no graph is built here (the build-review-rebuild test is test_review_rebuild.py)."""

from __future__ import annotations

import pytest

from qharmony.ingest.decisions import apply_decisions
from qharmony.ingest.fingerprints import fact_fingerprint
from qharmony.ingest.mapping import map_extraction, threshold_iri
from qharmony.ingest.records import Extraction, Relation
from qharmony.ontology.namespaces import QH, entity
from qharmony.queries.review import Decision, DecisionError, decision_quads, effective

TEXT = "Intro. Quantum computers with 34 or more physical qubits are controlled. Effective 1 April 2024."


def _threshold(value: float = 34.0, confidence: float = 0.9) -> Relation:
    start = TEXT.index("34")
    return Relation(
        "has_threshold",
        "ZZ:Q1.a",
        "ControlEntry",
        {"parameter": "physical_qubits", "op": ">=", "value": value, "unit": "count"},
        "Threshold",
        start,
        start + 2,
        confidence,
        "qharmony_thresholds_v1",
        (7, TEXT.index("Effective")),
    )


def _doc(*relations: Relation, text: str = TEXT) -> Extraction:
    return Extraction("zz-fictional-order", text, relations=list(relations))


def _decide(fp: str, action: str, at: str = "2026-01-01T00:00:00Z", **kw) -> Decision:
    return Decision(fp, action, "ana", kw.pop("reason", "checked against the text"), at=at, **kw)


def test_the_fingerprint_survives_edits_elsewhere_and_changes_with_the_fact():
    r = _threshold()
    fp = fact_fingerprint(_doc(r), r)
    shifted = "A new preamble sentence. " + TEXT
    moved = _threshold()
    moved.start += 25
    moved.end += 25
    moved.sentence = (moved.sentence[0] + 25, moved.sentence[1] + 25)
    moved.confidence = 0.4  # a new pipeline's confidence is not part of the fact
    assert fact_fingerprint(_doc(moved, text=shifted), moved) == fp
    assert fact_fingerprint(_doc(_threshold(35.0)), _threshold(35.0)) != fp
    other = Extraction("another-document", TEXT)
    assert fact_fingerprint(other, r) != fp


def test_a_correction_replaces_the_extracted_value_and_is_asserted():
    r = _threshold(confidence=0.3)
    ex = _doc(r)
    fp = fact_fingerprint(ex, r)
    d = _decide(fp, "correct", value={"value": "40", "op": ">"})
    outcome = apply_decisions([ex], [d])
    assert outcome.applied == [d] and not outcome.orphaned
    assert ex.relations[0].object == {"parameter": "physical_qubits", "op": ">", "value": 40.0, "unit": "count"}
    assert outcome.replaced[d.id] == {"parameter": "physical_qubits", "op": ">=", "value": 34.0, "unit": "count"}
    quads, _ = map_extraction(ex, min_confidence=0.5)
    corrected = threshold_iri("ZZ:Q1.a", ex.relations[0].object)
    asserted = {(s.value, p.value, o.value) for s, p, o, _ in quads}
    assert (entity("entry", "ZZ", "Q1.a"), QH + "hasThreshold", corrected) in asserted
    assert (corrected, QH + "value", "40.0") in asserted
    assert not any(p.value == QH + "heldForReview" for _, p, _, _ in quads)
    # the evidence keeps the fingerprint of the fact as extracted, and the decision
    assert (QH + "fingerprint", fp) in {(p.value, o.value) for _, p, o, _ in quads}
    assert d.iri in {o.value for _, p, o, _ in quads if p.value == QH + "reviewDecision"}


@pytest.mark.parametrize(
    ("confidence", "action", "asserted"),
    [(0.3, "accept", True), (0.9, "reject", False), (0.3, None, False), (0.9, None, True)],
)
def test_accepted_is_asserted_whatever_its_confidence_and_rejected_never(confidence, action, asserted):
    r = _threshold(confidence=confidence)
    ex = _doc(r)
    decisions = [_decide(fact_fingerprint(ex, r), action)] if action else []
    apply_decisions([ex], decisions)
    quads, _ = map_extraction(ex, min_confidence=0.5)
    has = any(p.value == QH + "hasThreshold" and s.value.endswith("/Q1.a") for s, p, _, _ in quads)
    assert has is asserted
    held = any(p.value == QH + "heldForReview" for _, p, _, _ in quads)
    assert held is (action is None and confidence < 0.5)


def test_the_latest_decision_is_in_force_and_a_decision_without_its_fact_is_orphaned():
    r = _threshold()
    ex = _doc(r)
    fp = fact_fingerprint(ex, r)
    first = _decide(fp, "reject", at="2026-01-01T00:00:00Z")
    second = _decide(fp, "accept", at="2026-01-02T00:00:00Z")
    lost = _decide("0" * 24, "correct", value={"value": 1})
    flag = _decide(fp, "flag", at="2026-01-03T00:00:00Z", reason="")
    assert effective([second, first, flag])[fp] is second
    outcome = apply_decisions([ex], [first, second, lost, flag])
    assert outcome.applied == [second]
    assert outcome.orphaned == [lost]
    assert outcome.superseded == [first]
    assert ex.relations[0].review.action == "accept"
    status = outcome.status()
    assert status[lost.id] == "orphaned" and status[first.id] == "superseded"
    # the audit graph keeps every decision, the later one a revision of the earlier
    quads = decision_quads([first, second, lost], status)
    revisions = [(s.value, o.value) for s, p, o, _ in quads if p.value.endswith("wasRevisionOf")]
    assert revisions == [(second.iri, first.iri)]
    assert (lost.iri, "orphaned") in {(s.value, o.value) for s, p, o, _ in quads if p.value == QH + "reviewStatus"}


def test_a_correction_that_does_not_fit_its_fact_is_reported_not_applied():
    r = _threshold()
    ex = _doc(r)
    d = _decide(fact_fingerprint(ex, r), "correct", value={"unit": "furlongs"})
    outcome = apply_decisions([ex], [d])
    assert outcome.failed and "furlongs" in outcome.failed[0][1]
    assert ex.relations[0].review is None and ex.relations[0].object["unit"] == "count"


def test_a_date_correction_can_change_its_precision():
    start = TEXT.index("1 April")
    r = Relation("effective_on", "ZZ:Order", "Instrument", "2024-04-01", "Date", start, start + 12, 0.9, "field")
    ex = _doc(r)
    apply_decisions(
        [ex], [_decide(fact_fingerprint(ex, r), "correct", value={"date": "2024-05", "precision": "month"})]
    )
    got = ex.relations[0]
    assert (got.type, got.object, got.object_type) == ("effective_in_month", "2024-05", "Month")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"action": "approve"}, "unknown action 'approve'"),
        ({"reason": " "}, "needs a reason"),
        ({"action": "correct"}, "needs the new value"),
        ({"reviewer": ""}, "name of its reviewer"),
    ],
)
def test_a_decision_says_what_is_missing(kw, message):
    args = {"fingerprint": "ab" * 12, "action": "reject", "reviewer": "ana", "reason": "wrong entry"} | kw
    with pytest.raises(DecisionError, match=message):
        Decision(**args)


def test_the_queue_filters_by_document_jurisdiction_relation_and_confidence():
    from qharmony.queries.review_queue import Fact, Filters, jurisdiction_of

    assert jurisdiction_of(entity("entry", "GB", "PL9014.a")) == "GB"
    assert jurisdiction_of(entity("technology", "x")) == ""
    fact = Fact(
        "f" * 24, "", entity("entry", "GB", "PL9014.a"), "PL9014.a", QH + "hasThreshold", "has threshold", "", "",
        [], {}, entity("document", "uk-2024"), "", "GB", 0.63, "rule", "", "34", "", True,
    )  # fmt: skip
    assert Filters().keeps(fact, decided=False) and not Filters().keeps(fact, decided=True)
    assert Filters(show="decided").keeps(fact, decided=True)
    assert Filters(document="uk-2024", jurisdiction="gb", relation="qh:hasThreshold").keeps(fact, False)
    assert not Filters(jurisdiction="JP").keeps(fact, False)
    assert not Filters(relation="qh:partOf").keeps(fact, False)
    assert Filters(max_confidence=0.7).keeps(fact, False) and not Filters(max_confidence=0.5).keeps(fact, False)
