"""A decision reaches the graph at once: ``Store.amend`` on both backends (all or
nothing, never over a build that swapped meanwhile, snapshots keep their version),
and the changes ``queries/review_live.py`` makes for each kind of decision. The
graphs here are a few hand-written statements, so no corpus is built."""

from __future__ import annotations

import pytest

from qharmony.ontology.namespaces import ELI, ID, PROV, QH, REVIEW_GRAPH, XSD, entity
from qharmony.queries.analysis.evidence import review_of
from qharmony.queries.errors import StoreUnavailable
from qharmony.queries.results import Term
from qharmony.queries.review import Decision, DecisionError
from qharmony.queries.review_live import apply_live, live_changes
from qharmony.queries.review_queue import fact_by_fingerprint
from qharmony.queries.store import open_store

DOC = "https://w3id.org/qharmony/graph/doc/d"
ENTRY = ID + "entry/GB/PL9014.a"
T = ID + "threshold/GB/PL9014.a/physical_qubits-ge"
INSTRUMENT = ID + "instrument/GB/si-2024-346"
EV_T, EV_J, EV_D = ID + "evidence/d/1", ID + "evidence/d/2", ID + "evidence/d/3"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _evidence(iri: str, s: str, p: str, o: str, fp: str, held: bool = False) -> str:
    lines = [
        f"<{iri}> <{RDF}type> <{QH}Evidence>",
        f"<{iri}> <{RDF}subject> <{s}>",
        f"<{iri}> <{RDF}predicate> <{p}>",
        f"<{iri}> <{RDF}object> {o}",
        f'<{iri}> <{QH}fingerprint> "{fp}"',
        f"<{iri}> <{QH}sourceDocument> <{ID}document/d>",
        f'<{iri}> <{QH}charStart> "10"^^<{XSD}integer>',
        f'<{iri}> <{QH}charEnd> "12"^^<{XSD}integer>',
        f'<{iri}> <{QH}sentence> "controls 34 or more physical qubits"',
        f'<{iri}> <{QH}sentenceStart> "0"^^<{XSD}integer>',
        f'<{iri}> <{QH}confidence> "0.600"^^<{XSD}decimal>',
        f'<{iri}> <{QH}foundBy> "test"',
    ]
    if held:
        lines.append(f'<{iri}> <{QH}heldForReview> "true"^^<{XSD}boolean>')
    return "".join(f"{line} <{DOC}> .\n" for line in lines)


GRAPH = (
    f"<{ENTRY}> <{QH}hasThreshold> <{T}> <{DOC}> .\n"
    f'<{T}> <{QH}parameter> "physical_qubits" <{DOC}> .\n'
    f'<{T}> <{QH}comparator> ">=" <{DOC}> .\n'
    f'<{T}> <{QH}value> "34.0"^^<{XSD}double> <{DOC}> .\n'
    f"<{T}> <{QH}unit> <http://qudt.org/vocab/unit/NUM> <{DOC}> .\n"
    + _evidence(EV_T, ENTRY, QH + "hasThreshold", f"<{T}>", "fp-threshold")
    + _evidence(EV_J, INSTRUMENT, QH + "appliesIn", f"<{ID}jurisdiction/GB>", "fp-jurisdiction", held=True)
    + _evidence(EV_D, INSTRUMENT, ELI + "first_date_entry_in_force", f'"2024-04-01"^^<{XSD}date>', "fp-date")
    + f'<{INSTRUMENT}> <{ELI}first_date_entry_in_force> "2024-04-01"^^<{XSD}date> <{DOC}> .\n'
)


@pytest.fixture()
def served(tmp_path):
    """A store with the small graph, opened read-only as the explorer opens it."""
    writer = open_store(tmp_path / "store")
    writer.load(GRAPH.encode(), "nq")
    writer.close()
    return open_store(tmp_path / "store", read_only=True), tmp_path / "store"


def _rows(store, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in r.values()) for r in store.select(query).rows]


def _decide(store, fp: str, action: str, value: dict | None = None, earlier=(), at: str = "") -> Decision:
    fact = fact_by_fingerprint(store, fp)
    when = {"at": at} if at else {}  # decisions are ordered by time to the second, then by id
    decision = Decision(fp, action, "ana", "checked", value=value or {}, statement=fact.statement, **when)
    apply_live(store, fact, decision, earlier)
    return decision


def test_a_threshold_correction_is_in_sparql_at_once_with_its_audit_record(served):
    store, _ = served
    reader = store.snapshot()  # a page being answered while the decision lands
    decision = _decide(store, "fp-threshold", "correct", {"op": ">", "value": 36.0}, at="2026-01-01T00:00:00Z")
    assert _rows(
        store, f"SELECT ?op ?v WHERE {{ GRAPH <{DOC}> {{ <{T}> <{QH}comparator> ?op ; <{QH}value> ?v }} }}"
    ) == [(">", "36")]
    assert _rows(store, f"SELECT ?a WHERE {{ GRAPH <{DOC}> {{ <{EV_T}> <{QH}reviewAction> ?a }} }}") == [("correct",)]
    audit = f"SELECT ?s WHERE {{ GRAPH <{REVIEW_GRAPH}> {{ <{decision.iri}> <{QH}reviewStatus> ?s }} }}"
    assert _rows(store, audit) == [("applied",)]
    # the snapshot taken before keeps reading the version it started with
    assert _rows(reader, f"SELECT ?op WHERE {{ <{T}> <{QH}comparator> ?op }}") == [(">=",)]
    # a second decision supersedes the first, and says so
    second = _decide(store, "fp-threshold", "accept", earlier=[decision])
    assert _rows(store, audit) == [("superseded",)]
    revision = f"ASK {{ GRAPH <{REVIEW_GRAPH}> {{ <{second.iri}> <{PROV}wasRevisionOf> <{decision.iri}> }} }}"
    assert store.ask(revision)


def test_accept_asserts_a_held_fact_and_reject_retracts_it(served):
    store, _ = served
    statement = f"ASK {{ GRAPH <{DOC}> {{ <{INSTRUMENT}> <{QH}appliesIn> <{ID}jurisdiction/GB> }} }}"
    held = f"ASK {{ <{EV_J}> <{QH}heldForReview> ?h }}"
    assert not store.ask(statement) and store.ask(held)
    accepted = _decide(store, "fp-jurisdiction", "accept")
    assert store.ask(statement) and not store.ask(held)
    _decide(store, "fp-jurisdiction", "reject", earlier=[accepted])
    assert not store.ask(statement)


def test_a_jurisdiction_and_a_date_are_restated_as_the_build_maps_them(served):
    store, _ = served
    _decide(store, "fp-jurisdiction", "correct", {"jurisdiction": "IE"})
    applies = f"SELECT ?j WHERE {{ GRAPH <{DOC}> {{ <{INSTRUMENT}> <{QH}appliesIn> ?j }} }}"
    assert _rows(store, applies) == [(entity("jurisdiction", "IE"),)]
    _decide(store, "fp-date", "correct", {"date": "2024-09", "precision": "month"})
    month = f"SELECT ?m WHERE {{ GRAPH <{DOC}> {{ <{INSTRUMENT}> <{QH}effectiveMonth> ?m }} }}"
    assert _rows(store, month) == [("2024-09",)]
    assert not store.ask(f"ASK {{ <{INSTRUMENT}> <{ELI}first_date_entry_in_force> ?d }}")


def test_a_flag_is_recorded_and_shows_on_the_fact_without_changing_it(served):
    store, _ = served
    flag = _decide(store, "fp-threshold", "flag")
    assert store.ask(f"ASK {{ GRAPH <{REVIEW_GRAPH}> {{ <{flag.iri}> <{QH}reviewAction> 'flag' }} }}")
    assert not store.ask(f"ASK {{ <{EV_T}> <{QH}reviewAction> ?a }}")
    row = {"fingerprint": Term.literal("fp-threshold")}
    assert review_of(row, {"fp-threshold": {"by": "ana", "at": flag.at}}) == {
        "status": "flagged",
        "by": "ana",
        "at": flag.at,
    }
    assert review_of(row) == {"status": "extracted"}


def test_a_correction_that_does_not_fit_changes_nothing(served):
    store, _ = served
    fact = fact_by_fingerprint(store, "fp-jurisdiction")
    bad = Decision("fp-jurisdiction", "correct", "ana", "x", value={"date": "2024-09", "precision": "month"})
    with pytest.raises(DecisionError):
        live_changes(fact, bad)


def test_an_amend_never_overwrites_a_build_that_swapped_meanwhile(served, monkeypatch):
    store, path = served
    before = (path / "CURRENT").read_text()
    folders = sorted(p.name for p in path.glob("gen-*"))
    fact = fact_by_fingerprint(store, "fp-threshold")
    decision = Decision("fp-threshold", "accept", "ana", "checked", statement=fact.statement)
    real = store._read_pointer
    calls = []

    def swapped_after_the_copy():
        calls.append(1)
        name, stamp = real()
        return (name, stamp) if len(calls) == 1 else ("gen-built-meanwhile", stamp)

    monkeypatch.setattr(store, "_read_pointer", swapped_after_the_copy)
    with pytest.raises(StoreUnavailable, match="build swapped"):
        apply_live(store, fact, decision)
    monkeypatch.undo()
    assert (path / "CURRENT").read_text() == before
    assert sorted(p.name for p in path.glob("gen-*")) == folders, "the amend's copy is gone, nothing else is"


def test_a_remote_store_takes_the_decision_in_one_update(oxigraph_url):
    writer = open_store(oxigraph_url)
    writer.load(GRAPH.encode(), "nq")
    served = open_store(oxigraph_url, read_only=True)
    decision = _decide(served, "fp-threshold", "correct", {"value": 40.0})
    assert _rows(served, f"SELECT ?v WHERE {{ GRAPH <{DOC}> {{ <{T}> <{QH}value> ?v }} }}") == [("40",)]
    assert served.ask(f"ASK {{ GRAPH <{REVIEW_GRAPH}> {{ <{decision.iri}> <{QH}reviewStatus> 'applied' }} }}")
