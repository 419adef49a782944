"""What a text says across lists and instruments: a jurisdiction with no counterpart to
an entry (no_equivalent_in), membership of a union (member_of), an instrument named by
its title, a repealed instrument, an exempt destination. Fictional states, or facts of
the reference set, written for these tests."""

from __future__ import annotations

from extracting import extract_text


def _extract(tmp_path, text: str, name: str = "doc.md"):
    return extract_text(tmp_path, text, name)


def _rels(ex, kind: str) -> set[tuple]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind}


ESSAY = """# Lists apart

*A policy essay.*

Canada's item 5506 is said to cover quantum computers, yet Canada has no equivalent to the American
cryogenic cooling entry, ECCN 3A904, and there is no Canadian counterpart to U.S. ECCN 3B904 either.

France and Spain, both members of the European Union, wrote lists of their own; the United Kingdom,
no longer a member of the EU, put quantum computers into the Export Control Order 2008.
"""


def test_a_clause_that_says_a_jurisdiction_has_no_counterpart_names_the_entries_it_lacks(tmp_path):
    ex = _extract(tmp_path, ESSAY)
    assert {("US:3A904", "CA"), ("US:3B904", "CA")} == _rels(ex, "no_equivalent_in")
    # the counterpart clause does not negate or extend what 5506 covers
    assert ("CA:5506", "quantum_computer") in _rels(ex, "controls")
    assert not _rels(ex, "not_controlled")
    assert ("US:3A904", "quantum_computer") not in _rels(ex, "controls")
    assert all(r.confidence < 0.8 for r in ex.relations)  # an essay's statements are claims


def test_membership_of_the_union_is_read_from_the_parse_and_a_former_member_is_not_one(tmp_path):
    ex = _extract(tmp_path, ESSAY)
    assert _rels(ex, "member_of") == {("FR", "EU"), ("ES", "EU")}


def test_an_instrument_named_by_its_title_is_the_instrument_its_citation_names(tmp_path):
    ex = _extract(tmp_path, ESSAY)
    assert "GB:SI-2008-3231" in {e.id for e in ex.entities if e.type == "Instrument"}


NOTICE = """DUCHY OF GRAND FENWICK (a fictional state, for testing)
Office of Strategic Trade

Notice to Exporters No. 8/2031

The Protective Goods Order 2029 (the "Order") is revoked. Notice to Exporters No. 2/2030 is withdrawn.

1. The Office of Strategic Trade adds the following entries to the Fenwick Control List:

   GF-21  Quantum computers supporting 60 or more physical qubits.

The Order had no counterpart to ECCN 3C907. Shipments to Norway are exempt from the licence requirement.
"""


def test_repeals_are_read_from_the_words_before_a_passive_verb_citation_or_title(tmp_path):
    ex = _extract(tmp_path, NOTICE, "notice.txt")
    repealed = {target.split(":", 1)[1] for _, target in _rels(ex, "repeals")}
    assert repealed == {"Protective-Goods-Order-2029", "Notice-to-Exporters-No.-2-2030"}


def test_a_notice_without_a_counterpart_lacks_it_for_its_own_state_and_exempts_a_destination(tmp_path):
    ex = _extract(tmp_path, NOTICE, "notice.txt")
    [(entry, place)] = _rels(ex, "no_equivalent_in")
    assert entry == "US:3C907" and place not in ("US", "NO")  # the notice's own (user-assigned) code
    assert {place for _, place in _rels(ex, "exempt_destination")} == {"NO"}


def test_a_bare_900_series_code_a_state_lacks_is_the_us_entry_even_in_that_states_text(tmp_path):
    text = "Global Affairs Canada\n\nNotice to Exporters Serial No. 9999\n\nCanada has no equivalent to 3A904.\n"
    ex = _extract(tmp_path, text, "notice.txt")
    assert _rels(ex, "no_equivalent_in") == {("US:3A904", "CA")}
