"""Entities named by the conventions of their kind, in wording the extractor has not seen:
a public body by its head noun ("Ministry", "Board", "Secretary of State") with its
modifiers or "of" complement, in running text or a capitalised heading; country groups and
licence exceptions of other shapes. Each text is written for the test about clearly
fictional states, and each rule has a case where it must not fire."""

from __future__ import annotations

from extracting import extract_text


def _ids(ex, kind: str) -> set[str]:
    return {e.id for e in ex.entities if e.type == kind}


def test_a_body_is_named_by_its_head_noun_and_complement(tmp_path):
    text = (
        "Exporters in Velmora should write to the Office of Strategic Trade Licensing, which "
        "shares files with the Velmoran Customs Administration and the Ministry of Energy, "
        "Mines and Industry.\n"
    )
    ex = extract_text(tmp_path, text, "note.txt")
    assert {
        "office-of-strategic-trade-licensing",
        "velmoran-customs-administration",
        "ministry-of-energy-mines-and-industry",
    } <= _ids(ex, "Authority")


def test_a_capitalised_heading_names_its_bodies_apart(tmp_path):
    text = "TREASURY OF ORMANDE, DEPARTMENT OF OUTWARD TRADE\n\nGuidance on permits.\n"
    assert "department-of-outward-trade" in _ids(extract_text(tmp_path, text, "head.txt"), "Authority")


def test_a_body_stops_at_its_state_an_apposition_and_an_act(tmp_path):
    text = (
        "The Export Permits Board of the Kingdom of Ormande publishes Board decisions. "
        "AGENCY: Office of Trade Security, Interior.\n"
        "Nothing in the Export Administration Regulations binds a Graphics Processing Unit "
        "vendor, and the Competent Authority decides. Commission Delegated Regulation "
        "(EU) 2099/1 is cited.\n"
    )
    found = _ids(extract_text(tmp_path, text, "note.txt"), "Authority")
    assert {"export-permits-board", "office-of-trade-security"} <= found
    assert not {a for a in found if "kingdom" in a or "interior" in a or "administration" in a}
    assert not {a for a in found if "unit" in a or a == "competent-authority" or a.startswith("commission")}


def test_a_secretary_of_state_is_a_name_a_bare_ministry_is_not(tmp_path):
    text = "The Secretary of State may revoke a licence. The Ministry may also ask questions.\n"
    found = _ids(extract_text(tmp_path, text, "note.txt"), "Authority")
    assert "secretary-of-state" in found
    assert "ministry" not in found
