"""One rule for "in force on a date": the entity page and the gap engine ask the same
function, so they agree at a month boundary (the JP 2024 disagreement on 2024-09-15)."""

from __future__ import annotations

from datetime import date

import pytest

from qharmony.ontology.files import ONTOLOGY_FILE, read_text
from qharmony.ontology.namespaces import ID, ONTOLOGY_GRAPH, QH, document_graph
from qharmony.queries.analysis.regimes import regimes
from qharmony.queries.dates import (
    ADOPTION,
    ENDED,
    IN_FORCE,
    MONTH_ONLY,
    NOT_YET,
    PROPOSED,
    UNKNOWN,
    InstrumentDates,
    in_force,
    in_force_of_row,
    parse_day,
)
from qharmony.queries.entry_summary import entry_summary
from qharmony.queries.results import Term
from qharmony.queries.store import open_store

# XM is an ISO 3166 user-assigned code: this jurisdiction does not exist.
MONTH_WORLD = """
@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix id: <https://w3id.org/qharmony/id/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:jurisdiction\\/XM a qh:State ; qh:isoCode "XM" ; rdfs:label "Mensia (fictional)"@en .
id:instrument\\/XM\\/notice-9 a qh:LegalInstrument ; rdfs:label "Mensia Notice 9"@en ;
    qh:appliesIn id:jurisdiction\\/XM ; qh:effectiveMonth "2024-09"^^xsd:gYearMonth .
id:entry\\/XM\\/9 a qh:ControlEntry ; skos:notation "9" ; rdfs:label "XM 9 quantum computers"@en ;
    qh:partOf id:instrument\\/XM\\/notice-9 ; qh:appliesIn id:jurisdiction\\/XM ;
    qh:controlsTechnology qh:QuantumComputer .
id:instrument\\/XM\\/draft-10 a qh:LegalInstrument , qh:ProposedInstrument ; rdfs:label "Mensia draft 10"@en ;
    qh:appliesIn id:jurisdiction\\/XM ; eli:date_document "2024-01-01"^^xsd:date .
id:entry\\/XM\\/10 a qh:ControlEntry ; skos:notation "10" ; rdfs:label "XM 10 quantum sensors"@en ;
    qh:partOf id:instrument\\/XM\\/draft-10 ; qh:appliesIn id:jurisdiction\\/XM ;
    qh:controlsTechnology qh:QuantumComputer .
"""
ENTRY, DRAFT = ID + "entry/XM/9", ID + "entry/XM/10"


@pytest.fixture(scope="module")
def month_world(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("monthworld") / "store")
    store.load(read_text(ONTOLOGY_FILE).encode("utf-8"), "ttl", ONTOLOGY_GRAPH)
    store.load(MONTH_WORLD.encode("utf-8"), "ttl", document_graph("month-fixture"))
    return store


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 9, 1), NOT_YET),
        (date(2024, 9, 15), NOT_YET),
        (date(2024, 9, 30), NOT_YET),
        (date(2024, 10, 1), IN_FORCE),
    ],
)
def test_a_month_only_date_counts_from_the_month_after(day, expected):
    status = in_force(InstrumentDates(month="2024-09"), day)
    assert (status.state, status.since, status.basis, status.precision, status.stated) == (
        expected,
        "2024-10-01",
        MONTH_ONLY,
        "month",
        "2024-09",
    )


def test_inside_the_stated_month_is_visible_in_the_result():
    inside = [in_force(InstrumentDates(month="2024-09"), date(2024, 9, d)).inside_stated_month for d in (1, 15, 30)]
    assert inside == [True, True, True]
    assert not in_force(InstrumentDates(month="2024-09"), date(2024, 10, 1)).inside_stated_month
    assert not in_force(InstrumentDates(effective="2024-09-06"), date(2024, 9, 15)).inside_stated_month


def test_a_december_month_rolls_over_the_year():
    assert in_force(InstrumentDates(month="2024-12"), date(2025, 1, 1)).since == "2025-01-01"


@pytest.mark.parametrize(
    ("dates", "day", "state", "precision"),
    [
        (InstrumentDates(effective="2024-06-01"), date(2024, 5, 31), NOT_YET, "day"),
        (InstrumentDates(effective="2024-06-01"), date(2024, 6, 1), IN_FORCE, "day"),
        (InstrumentDates(effective="2023-01-01", repealed="2024-03-01"), date(2024, 2, 29), IN_FORCE, "day"),
        (InstrumentDates(effective="2023-01-01", repealed="2024-03-01"), date(2024, 3, 1), ENDED, "day"),
        (InstrumentDates(adopted="2024-01-05"), date(2024, 2, 1), IN_FORCE, "day"),
        (InstrumentDates(adopted="2024-01-05", proposed=True), date(2024, 2, 1), PROPOSED, "day"),
        (InstrumentDates(), date(2024, 2, 1), UNKNOWN, ""),
    ],
)
def test_states_at_their_boundaries(dates, day, state, precision):
    status = in_force(dates, day)
    assert (status.state, status.precision) == (state, precision)
    assert status.in_force is (state == IN_FORCE)


def test_an_adoption_date_says_it_stands_in_for_entry_into_force():
    assert in_force(InstrumentDates(adopted="2024-01-05"), date(2024, 2, 1)).basis == ADOPTION


@pytest.mark.parametrize("day", [date(2024, 9, 15), date(2024, 9, 30), date(2024, 10, 1)])
def test_entity_page_and_gap_engine_agree_at_a_month_boundary(month_world, day):
    summary = entry_summary(month_world, ENTRY, day)
    in_regime = [e.entry for e in regimes(month_world, day, ["XM"]).entries("XM", QH + "QuantumComputer")]
    assert summary["in_force"]["in_force"] is (ENTRY in in_regime)
    assert summary["in_force"]["in_force"] is (day >= date(2024, 10, 1))
    assert summary["date_precision"] == "month"
    if day < date(2024, 10, 1):
        assert summary["status"].startswith("not yet in force: applies from 2024-10-01")
    else:
        assert summary["status"].startswith("in force since 2024-10-01")
    assert "2024-09" in summary["status"]


def test_a_proposed_instrument_is_never_in_force_anywhere(month_world):
    day = date(2025, 1, 1)
    assert entry_summary(month_world, DRAFT, day)["status"] == "proposed: not in force"
    assert DRAFT not in [e.entry for e in regimes(month_world, day, ["XM"]).entries("XM", QH + "QuantumComputer")]


def test_parse_day_names_the_bad_value():
    assert parse_day("2024-09-15") == date(2024, 9, 15)
    assert parse_day("") == parse_day("today") == date.today()
    with pytest.raises(ValueError, match="'15/09/2024'"):
        parse_day("15/09/2024")


@pytest.mark.slow
@pytest.mark.parametrize("day", [date(2024, 9, 15), date(2024, 10, 1)])
def test_the_jp_2024_entity_page_and_gap_engine_agree(store, day):
    entry = ID + "entry/JP/unnumbered/quantum-computers"
    summary = entry_summary(store, entry, day)
    in_regime = [e.entry for e in regimes(store, day, ["JP"]).entries("JP", QH + "QuantumComputer")]
    assert summary["in_force"]["in_force"] is (entry in in_regime) is (day >= date(2024, 10, 1))


_ROWS = [
    {"effective": "2024-09-06"},
    {"month": "2024-09"},
    {"adopted": "2024-05-01"},
    {"adopted": "2024-05-01", "attested": "2024-06-01"},
    {"attested": "2025-01-01"},
    {"effective": "2020-01-01", "repealed": "2024-10-01"},
    {"effective": "2020-01-01", "proposed": "true"},
    {},
]


@pytest.mark.parametrize("row", _ROWS)
@pytest.mark.parametrize("day", [date(2024, 5, 1), date(2024, 9, 15), date(2024, 10, 1), date(2025, 6, 1)])
def test_in_force_of_a_row_is_the_one_rule_however_often_it_is_asked(row, day):
    terms = {k: Term.literal(v) for k, v in row.items()}
    expected = in_force(InstrumentDates.from_row(terms), day)
    assert in_force_of_row(terms, day) == expected
    assert in_force_of_row(dict(terms), day) == expected  # asked again: the same answer


def test_entry_rows_keep_one_order_with_ties_broken_by_the_whole_row():
    """in_order sorts by its columns and breaks ties (an entry in an instrument with two
    labels, two dates) by the whole row, whatever order the rows came in."""
    from qharmony.queries.analysis.facts import in_order

    def row(entry: str, **more: str) -> dict:
        base = {"code": "US", "technology": "t", "entry": entry, "instrument": "i"}
        return {k: Term.literal(v) for k, v in {**base, **more}.items()}

    rows = [
        row("b"),
        row("a", instrumentLabel="Z", effective="2024-01-01"),
        row("a", instrumentLabel="Z", adopted="2023-01-01"),
        row("a", instrumentLabel="Y"),
        row("a", instrumentLabel="Z", effective="2023-01-01"),
    ]

    def whole(r: dict) -> tuple:
        order = ("code", "technology", "entry", "instrument", "instrumentLabel", "entryLabel", "notation", "parent")
        return tuple(r[k].value if k in r else "" for k in order) + tuple(sorted((k, v.value) for k, v in r.items()))

    expected = sorted(rows, key=whole)
    assert in_order(rows) == expected
    assert in_order(list(reversed(rows))) == expected
