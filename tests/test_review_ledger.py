"""The review file and accounts, and moving decisions between installations: no
graph is built here."""

from __future__ import annotations

import pytest

from qharmony.queries.review import (
    Decision,
    DecisionError,
    check_correction,
    decision_quads,
    decisions_from_json,
    decisions_from_trig,
    decisions_to_json,
)
from qharmony.queries.serialize import convert_dataset, ntriples
from qharmony.server.accounts import add_user, authenticate
from qharmony.server.ledger import add_decisions, all_decisions, review_file, session_secret


def _decisions() -> list[Decision]:
    return [
        Decision("a" * 24, "correct", "ana", "the text says 36", value={"value": 36.0}, replaces={"value": 34.0}),
        Decision("b" * 24, "reject", "ben", "not a threshold", at="2026-01-01T00:00:00Z"),
        Decision("c" * 24, "flag", "ana", ""),
    ]


def test_the_review_file_keeps_decisions_once_each(tmp_path):
    path = tmp_path / "review.sqlite"
    decisions = _decisions()
    assert add_decisions(path, decisions) == 3
    assert add_decisions(path, decisions[:1]) == 0  # the same decision again: nothing new
    got = all_decisions(path)
    assert {d.id for d in got} == {d.id for d in decisions}
    assert got[0].reviewer == "ben"  # oldest first


@pytest.mark.parametrize("fmt", ["json", "trig"])
def test_decisions_round_trip_through_an_export(fmt):
    decisions = _decisions()
    if fmt == "json":
        back = decisions_from_json(decisions_to_json(decisions))
    else:
        trig = convert_dataset(ntriples(decision_quads(decisions)).encode(), "trig")
        back = decisions_from_trig(trig)
    assert sorted(back, key=lambda d: d.id) == sorted(decisions, key=lambda d: d.id)


def test_a_bad_import_names_the_file_and_the_problem():
    with pytest.raises(DecisionError, match="x.json: not JSON"):
        decisions_from_json("{", "x.json")
    with pytest.raises(DecisionError, match="x.json: decision 1: unknown fields colour"):
        decisions_from_json('[{"colour": "red"}]', "x.json")
    with pytest.raises(DecisionError, match="x.trig: not TriG"):
        decisions_from_trig(b"<a> <b> .", "x.trig")


def test_passwords_are_hashed_and_checked(tmp_path):
    path = tmp_path / "review.sqlite"
    add_user(path, "ana", "a long enough password")
    assert b"a long enough password" not in path.read_bytes()
    assert authenticate(path, "ana", "a long enough password").name == "ana"
    assert authenticate(path, "ana", "wrong password!!") is None
    assert authenticate(path, "nobody", "a long enough password") is None
    with pytest.raises(DecisionError, match="at least 10 characters"):
        add_user(path, "ben", "short")
    with pytest.raises(DecisionError, match="unknown role 'admin'"):
        add_user(path, "ben", "a long enough password", role="admin")
    assert session_secret(path) == session_secret(path)


def test_corrections_are_checked_and_normalised():
    assert check_correction("Threshold", {"value": "700", "unit": "uW", "op": ""}) == {"value": 0.0007, "unit": "W"}
    with pytest.raises(DecisionError, match="unknown unit 'furlong'"):
        check_correction("Threshold", {"value": "3", "unit": "furlong"})
    with pytest.raises(DecisionError, match="comparator must be one of"):
        check_correction("Threshold", {"op": "=>"})
    with pytest.raises(DecisionError, match="sets jurisdiction; got value"):
        check_correction("Jurisdiction", {"value": "3"})
    with pytest.raises(DecisionError, match="cannot be corrected"):
        check_correction("Technology", {"value": "3"})


def test_the_review_file_sits_beside_the_store(tmp_path):
    assert review_file({"STORE": str(tmp_path / "store")}) == tmp_path / "store.review.sqlite"
    assert review_file({"STORE": "http://x/query", "REVIEW_DB": str(tmp_path / "r.db")}) == tmp_path / "r.db"
