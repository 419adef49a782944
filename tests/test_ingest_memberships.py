"""Membership of the Union in texts that call it "the Union" once they have named it, and
members set off by parentheses. Passages written for these tests."""

from __future__ import annotations

from extracting import extract_text

HEAD = "# Two national lists\n\n*An essay*\n\nThe EU regime leaves room for national measures.\n\n"


def _members(tmp_path, text: str) -> set[str]:
    ex = extract_text(tmp_path, text)
    return {r.subject for r in ex.relations if r.type == "member_of" and str(r.object) == "EU"}


def test_the_union_after_the_eu_was_named_is_the_eu(tmp_path):
    text = HEAD + "Portugal and Greece, both members of the Union, have listed nothing so far.\n"
    assert _members(tmp_path, text) == {"PT", "GR"}


def test_members_set_off_in_parentheses(tmp_path):
    text = HEAD + "Austria, Belgium and Denmark (all members of the Union) said nothing.\n"
    assert _members(tmp_path, text) == {"AT", "BE", "DK"}


def test_the_union_of_a_text_that_never_named_the_eu_is_no_membership(tmp_path):
    text = "# Customs notes\n\n*An essay*\n\nPortugal and Greece, both members of the Union, trade with it.\n"
    assert not _members(tmp_path, text)


def test_a_state_no_longer_a_member_is_none(tmp_path):
    text = HEAD + "The United Kingdom, no longer a member of the Union, keeps its own list.\n"
    assert not _members(tmp_path, text)


def test_an_arrangement_named_as_the_grouping_of_states_has_them_as_parties(tmp_path):
    """ "the AUKUS pact of Australia, the United Kingdom and the United States": the states
    after the grouping noun's "of" are its parties; "the AUKUS partnership of trust" names none."""
    text = (
        "# A policy essay\n\nThe AUKUS pact of the United States, Australia and the United Kingdom eases transfers. "
        "Japan is not named; the AUKUS partnership of trust is older.\n"
    )
    ex = extract_text(tmp_path, text)
    assert {r.subject for r in ex.relations if r.type == "party_to"} == {"US", "AU", "GB"}


def test_a_state_which_is_in_the_arrangement_is_a_party(tmp_path):
    text = (
        "# A policy essay\n\nNorway, which is in the Wassenaar Arrangement, acts; Iceland, which is not in the "
        "Wassenaar Arrangement, waits.\n"
    )
    ex = extract_text(tmp_path, text)
    assert {r.subject for r in ex.relations if r.type == "party_to"} == {"NO"}


def test_capitalised_member_states_in_a_text_on_eu_law_are_the_unions(tmp_path):
    """EU drafting's "Member States" names the Union's members without naming the Union."""
    text = HEAD + "Other Member States, such as Croatia or Slovenia, have published no list yet.\n"
    assert _members(tmp_path, text) == {"HR", "SI"}


def test_member_states_of_a_text_that_never_named_the_eu_are_no_membership(tmp_path):
    text = "# Customs notes\n\n*An essay*\n\nMember States such as Croatia or Slovenia trade freely.\n"
    assert not _members(tmp_path, text)


def test_a_state_counted_as_a_member_is_one_unless_no_longer(tmp_path):
    text = (
        HEAD + "Finland is treated as a Member State of the European Union for this purpose. "
        "Iceland is no longer counted as a member of the European Union.\n"
    )
    assert _members(tmp_path, text) == {"FI"}


def test_a_negated_clause_leaves_an_appositive_membership_standing(tmp_path):
    text = HEAD + "Exports to Latvia and Estonia, both Member States of the European Union, need no licence.\n"
    assert _members(tmp_path, text) == {"LV", "EE"}


_NOTICE = (
    "MINISTRY OF COMMERCE OF THE REPUBLIC OF TALVERA (a fictional state, for testing)\n"
    "Notice No. 9/2027 to exporters\n\n"
    "1. This Notice is issued by the Ministry of Commerce of the Republic of Talvera on 2 June 2027.\n\n"
)


def test_a_relative_clause_on_the_arrangement_names_its_participant(tmp_path):
    text = (
        _NOTICE
        + "2. The Notice applies the lists of the Wassenaar Arrangement, in which Talvera has taken part since 2012.\n"
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    [own] = {r.object for r in ex.relations if r.type == "applies_in"}
    assert {(r.subject, r.object) for r in ex.relations if r.type == "party_to"} == {(own, "wassenaar-arrangement")}


def test_a_state_party_in_an_as_phrase_and_the_states_own_formal_name(tmp_path):
    text = _NOTICE + (
        "2. Schedule C, which Talvera keeps as a State Party to the Chemical Weapons Convention, is unchanged.\n\n"
        "3. The Republic, as a participant in the Wassenaar Arrangement, continues to apply its list.\n"
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    assert {r.object for r in ex.relations if r.type == "party_to"} == {
        "chemical-weapons-convention",
        "wassenaar-arrangement",
    }
    assert len({r.subject for r in ex.relations if r.type == "party_to"}) == 1


def test_a_party_noun_set_beside_a_state_and_its_negation(tmp_path):
    text = (
        "# A policy essay\n\nIn this essay we look at Asia. Vietnam, a participant in the Wassenaar Arrangement "
        "since 2019, moved late. Laos, not a participant in the Wassenaar Arrangement, waits.\n"
    )
    ex = extract_text(tmp_path, text)
    assert {r.subject for r in ex.relations if r.type == "party_to"} == {"VN"}
