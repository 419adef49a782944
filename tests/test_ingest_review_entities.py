"""Precision rules a review found too loose, each on a passage written for the test about
a clearly fictional state (Ormande): the states a group's sentence leaves out, a numbered
schedule that "states" its conditions, a bare "the office", a machine's parts named like
bodies, and a licence another state's text names."""

from __future__ import annotations

from extracting import entity_ids as _ids
from extracting import extract_text

_HEAD = "REPUBLIC OF ORMANDE (a fictional state)\nMinistry of Outward Trade\n\nNotice No. 9 of 2031 on exports\n\n"


def test_a_group_holds_only_the_states_listed_after_its_verb_not_those_excluded(tmp_path):
    text = _HEAD + (
        "1. General Permit GP-Z is granted for exports to countries in Schedule D.\n"
        "2. Schedule D covers dual-use goods; exports to Russia still need an individual permit.\n"
        "3. Schedule D includes Norway and Japan but not Iran or Syria.\n"
        "4. Schedule D comprises every Wassenaar state except Cuba.\n"
    )
    ex = extract_text(tmp_path, text, "g.txt")
    served = {r.object for r in ex.relations if r.type == "eligible_destination"}
    assert {"NO", "JP"} <= served
    assert not served & {"RU", "IR", "SY", "CU"}


def test_a_schedule_that_states_its_conditions_is_no_country_group(tmp_path):
    text = _HEAD + (
        "1. Schedule 5 states the conditions for a permit.\n"
        "2. Schedule 6 (Fees and Charges) states how to pay.\n"
        "3. Schedule 8 states that fees are due.\n"
        "4. Exports to Schedule 3 states need a permit.\n"
    )
    groups = _ids(extract_text(tmp_path, text, "g.txt"), "CountryGroup")
    assert not {g for g in groups if g.endswith(("Schedule-5", "Schedule-6", "Schedule-8"))}


def test_a_bare_generic_head_in_lower_case_is_no_alias_of_a_body(tmp_path):
    text = (
        "Export guidance.\n\nThe Office of Export Licensing decides. If the office is closed, "
        "wait. The Customs Enforcement Unit checks; the unit reports.\n\n"
        "The arms embargo of the United Nations Security Council applies. Regulation (EU) 2021/821 "
        "of the European Parliament and of the Council sets the list. The Council may amend it.\n"
    )
    ex = extract_text(tmp_path, text, "abbr.txt")
    lower = {text[e.start : e.end] for e in ex.entities if e.type == "Authority"}
    assert not lower & {"office", "the office", "unit", "the unit"}
    council = [e for e in ex.entities if e.type == "Authority" and text[e.start : e.end] == "Council"]
    assert not [e for e in council if e.id == "united-nations-security-council"]


def test_a_machines_parts_and_a_firms_offices_are_no_authorities(tmp_path):
    text = (
        "The system has an Inertial Measurement Unit, a Cryogenic Control Unit, a Power Supply "
        "Unit and a Dilution Refrigerator Unit. The Quantum Computing Service is offered by a "
        "vendor from its Sales Office; the Head Office and the Board of Directors agree. The "
        "Ormande Customs Service and the National Export Office decide.\n"
    )
    found = _ids(extract_text(tmp_path, text, "m.txt"), "Authority")
    assert {"ormande-customs-service", "national-export-office"} <= found
    bad = ("unit", "quantum-computing-service", "sales-office", "head-office", "board-of-directors")
    assert not {a for a in found if a.endswith(bad) or a in bad}


def test_a_licence_another_state_offers_is_that_states(tmp_path):
    text = (
        "# 15 CFR 774\n\nUnder the EAR a license is needed. By contrast, the United Kingdom "
        "offers an Open General Export Licence (Quantum Research), and Canada issues General "
        "Permit No. 47. An Individual Permit IS required for the rest.\n"
    )
    ex = extract_text(tmp_path, text, "own.md")
    found = _ids(ex, "LicenseException")
    assert {"GB:Open-General-Export-Licence-Quantum-Research", "CA:General-Permit-No.-47"} <= found
    assert not [r for r in ex.relations if r.type == "part_of" and r.subject.startswith(("GB:", "CA:"))]
    assert not {f for f in found if f.startswith("US:") and ("Open-General" in f or "Permit-No" in f)}
    assert not {f for f in found if f.endswith(":IS") or f.endswith("Permit-IS")}


def test_a_printed_rules_agency_line_is_found_by_a_bodys_head_noun():
    from qharmony.ingest.genres.federal_register import _SUBAGENCY

    head = "[Federal Register Volume 96, Number 3]\nDEPARTMENT OF OUTWARD TRADE\n\n{}\n\nA rule on exports\n"
    assert _SUBAGENCY.search(head.format("Strategic Goods Directorate")).group("v") == "Strategic Goods Directorate"
    assert _SUBAGENCY.search(head.format("Rules on quantum items")) is None
