"""Conventions of national and official drafting the extractor must read in texts it has
never seen: exemptions of destinations from the parse, "Member States of the Union", the
letterhead of a government, notifications, dates given as "dated the ..." or "Date of
application:", compliance deadlines far from their verb. Each text is written for the
test, in wording unlike the dev passages that motivated the rule."""

from __future__ import annotations

import pytest
from extracting import extract_text

NOTICE = "Republic of Osterwald (a fictional state)\nMinistry of External Commerce\n\nNotice No. 9/2027\n\n"


def _rels(tmp_path, text: str, kind: str, name: str = "doc.txt") -> set[tuple[str, str]]:
    ex = extract_text(tmp_path, text, name)
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind}


@pytest.mark.parametrize(
    ("sentence", "exempt"),
    [
        ("The licensing obligation in paragraph 1 does not extend to shipments to Portugal.", {"PT"}),
        ("These controls shall not apply to exports to Norway or to Switzerland.", {"NO", "CH"}),
        ("Item 12 does not cover exports to Member States of the European Union.", {"EU"}),
    ],
)
def test_a_negated_scope_over_exports_exempts_their_destinations(tmp_path, sentence, exempt):
    found = {o for _, o in _rels(tmp_path, NOTICE + "1. " + sentence + "\n", "exempt_destination")}
    assert exempt <= found


@pytest.mark.parametrize(
    "sentence",
    [
        "The notice does not apply to exports of quantum sensors.",  # no destination
        "This Notice does not apply to exports to countries other than Norway.",  # scoped back in
        "Exports to Norway require a licence under this Notice.",  # not negated
    ],
)
def test_no_exemption_without_a_negated_scope_over_a_destination(tmp_path, sentence):
    found = {o for _, o in _rels(tmp_path, NOTICE + "1. " + sentence + "\n", "exempt_destination")}
    assert "NO" not in found


def test_member_states_of_the_union_are_members_of_the_eu(tmp_path):
    text = NOTICE + "1. Austria and Malta, two Member States of the Union, already license these goods.\n"
    assert {("AT", "EU"), ("MT", "EU")} <= _rels(tmp_path, text, "member_of")


def test_a_union_of_another_kind_is_not_the_eu(tmp_path):
    text = NOTICE + "1. Austria and Malta, both members of the postal union of the region, agreed.\n"
    assert not _rels(tmp_path, text, "member_of")


LETTERHEAD = (
    "Government of the Republic of Osterwald (a fictional state)\n"
    "Ministry of External Commerce\n\n"
    "Notification No. 7/2027-31\n"
    "Capital City, dated the 3rd March, 2027\n"
    "Date of application: 1 May 2027\n\n"
    "1. Holders of licences granted earlier must comply with the conditions of the revised items of "
    "the Osterwald Strategic List, in particular items 4 and 5, no later than 30 June 2027.\n"
)


def test_a_government_letterhead_names_the_state_and_the_ministry_issues(tmp_path):
    ex = extract_text(tmp_path, LETTERHEAD)
    issued = {(r.subject, str(r.object)) for r in ex.relations if r.type == "issued_by"}
    assert issued
    assert all(s.endswith(":Notification-No.-7-2027-31") and o == "ministry-of-external-commerce" for s, o in issued)


def test_dated_the_and_date_of_application_and_a_distant_compliance_deadline(tmp_path):
    ex = extract_text(tmp_path, LETTERHEAD)
    dates = {r.type: str(r.object) for r in ex.relations if r.subject.endswith("Notification-No.-7-2027-31")}
    assert dates.get("adopted_on") == "2027-03-03"
    assert dates.get("effective_on") == "2027-05-01"
    assert dates.get("compliance_on") == "2027-06-30"
