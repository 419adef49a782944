"""Which texts are commentary: a practice's masthead in other words than "client alert",
an essay that names an act inside a sentence, a text no genre recognises. Their facts
are claims; passages written for these tests."""

from __future__ import annotations

import pytest
from extracting import extract_text


@pytest.mark.parametrize(
    "masthead",
    ["**Sanctions Alert | Trade Group**", "*Export Controls Update, May 2025*", "Client Briefing: trade controls"],
)
def test_a_practice_masthead_makes_the_text_an_alert(tmp_path, masthead):
    text = f"# Quantum controls in Canada\n\n{masthead}\n\nUnder SOR/2024-112, item 5506 controls quantum computers.\n"
    ex = extract_text(tmp_path, text)
    controls = [r for r in ex.relations if r.type == "controls"]
    assert controls and all(r.rule.startswith("claim.") and r.confidence < 0.5 for r in controls)


def test_an_act_named_inside_a_sentence_does_not_make_the_text_that_act(tmp_path):
    text = (
        "# A slow harmonisation\n\nWhen the Council finally agreed, Commission Delegated Regulation (EU) 2025/2003 "
        "was already in the Official Journal, and the Annex had changed.\n"
    )
    ex = extract_text(tmp_path, text)
    assert ex.relations and all(r.confidence < 0.5 for r in ex.relations)
    assert "EU:Delegated-Regulation-EU-2025-2003" in {e.id for e in ex.entities if e.type == "Instrument"}


def test_an_act_whose_title_block_opens_its_line_is_that_act(tmp_path):
    text = (
        "Commission Delegated Regulation (EU) 2025/2003 of 8 September 2025 amending Regulation (EU) 2021/821\n\n"
        "Article 1\n\nAnnex I is replaced.\n"
    )
    ex = extract_text(tmp_path, text, "act.txt")
    stated = {(r.subject, str(r.object)) for r in ex.relations if r.type == "applies_in" and r.confidence >= 0.8}
    assert stated == {("EU:Delegated-Regulation-EU-2025-2003", "EU")}


def test_citations_named_in_passing_are_instrument_mentions(tmp_path):
    text = "# Notes\n\nCompare 89 FR 72926 with SI 2024/346 and SOR/2024-112 before reading Regulation (EU) 2021/821.\n"
    ex = extract_text(tmp_path, text)
    assert {e.id for e in ex.entities if e.type == "Instrument"} >= {
        "US:89-FR-72926",
        "GB:SI-2024-346",
        "CA:SOR-2024-112",
        "EU:Regulation-EU-2021-821",
    }


@pytest.mark.parametrize(
    "paragraph",
    [
        "SI 2024/346, in force from 1 April 2024, amends SI 2008/3231 to add three entries.",
        "SI 2008/3231 was amended by SI 2024/346 with effect from 1 April 2024.",
    ],
)
def test_a_paragraph_citing_an_act_and_the_act_it_amends_speaks_of_the_amender(tmp_path, paragraph):
    ex = extract_text(tmp_path, "# Client alert\n\n*Example & Partners LLP*\n\n" + paragraph + "\n")
    dated = {(r.subject, str(r.object)) for r in ex.relations if r.type == "effective_on"}
    assert dated == {("GB:SI-2024-346", "2024-04-01")}


HEDGED = """THE LONG WAIT FOR A COMMON LIST

Regulation (EU) 2021/821 is said to have left each capital to act alone. Its Annex, we believe,
was never meant for quantum items. Freedonia is reportedly a member of the European Union now.
"""


def test_a_text_that_hedges_in_two_ways_is_commentary_whatever_it_opens_with(tmp_path):
    """No masthead, no "essay": the hedges ("is said to", "we believe", "reportedly") are the
    voice of commentary, and a citation opening a sentence is no title block."""
    ex = extract_text(tmp_path, HEDGED, "essay.txt")
    assert ex.relations and all(r.confidence < 0.8 for r in ex.relations)


def test_a_summary_with_header_fields_and_hedged_notes_states_its_facts(tmp_path):
    text = (
        "# Norwind: Decree No. 12/2027\n\nJurisdiction: Federated States of Norwind\nInstrument: Decree No. 12/2027\n"
        "Adopted: 2 May 2027\n\nA summary. The decree is said to follow Wassenaar; we believe it is in force.\n"
    )
    ex = extract_text(tmp_path, text)
    assert {r.confidence for r in ex.relations if r.type == "adopted_on"} == {0.95}


def _issued(ex) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == "issued_by"}


def test_the_commission_of_an_alert_on_a_delegated_act_issued_it(tmp_path):
    """In EU drafting "the Commission" is the European Commission, and delegated and
    implementing acts are its acts; a regulation of the Parliament and Council is not."""
    text = (
        "# Client alert\n\n*Example & Partners LLP*\n\n"
        "On 3 March 2026 the Commission published Implementing Regulation (EU) 2026/411 on the list.\n\n"
        "Regulation (EU) 2021/821 lets the Commission update its Annex.\n"
    )
    ex = extract_text(tmp_path, text)
    assert _issued(ex) == {("EU:Implementing-Regulation-EU-2026-411", "european-commission")}


def test_an_alert_paragraph_on_a_cfr_part_or_a_dated_rule_reports_its_facts(tmp_path):
    """A paragraph citing only a CFR part speaks of that part; "89 FR 90001 (March 3, 2025)"
    dates the rule; "OFAC" names its body by the usual abbreviation."""
    text = (
        "# Client alert\n\n*Example & Partners LLP*\n\n"
        "The sanctions rules at 31 CFR Part 589 reportedly took effect on June 5, 2025.\n\n"
        "OFAC changed them again through 89 FR 90001 (March 3, 2025).\n"
    )
    ex = extract_text(tmp_path, text)
    rel = {(r.type, r.subject, str(r.object)) for r in ex.relations}
    assert ("effective_on", "US:31-CFR-589", "2025-06-05") in rel
    assert ("adopted_on", "US:89-FR-90001", "2025-03-03") in rel
    assert ("issued_by", "US:89-FR-90001", "office-of-foreign-assets-control") in rel
    assert all(r.confidence < 0.8 for r in ex.relations)


def test_a_cfr_section_beside_a_rule_is_not_the_paragraphs_instrument(tmp_path):
    text = "# Client alert\n\n*Example & Partners LLP*\n\nBIS amended 15 CFR 740.24 through 89 FR 83428.\n"
    ex = extract_text(tmp_path, text)
    assert {r.subject for r in ex.relations if r.type == "applies_in"} == {"US:89-FR-83428"}


def _effective(ex) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == "effective_on"}


def test_an_alert_reports_the_day_a_change_runs_from(tmp_path):
    text = (
        "# Trade Controls Update\n\n*Client briefing*\n\n"
        "**Britain.** A further order, SI 2026/55, reportedly adds two entries to Schedule 3 from 2.3.2026.\n\n"
        "**Elsewhere.** Regulation (EU) 2021/821 stays as it is; Delegated Regulation (EU) 2026/10 is "
        "understood to move the cooling items onto the Union list from 1 May 2026.\n\n"
        "**Periods.** SI 2026/56 was consulted on from 1 February to 1 March 2026.\n"
    )
    found = _effective(extract_text(tmp_path, text))
    assert ("GB:SI-2026-55", "2026-03-02") in found
    assert ("EU:Delegated-Regulation-EU-2026-10", "2026-05-01") in found
    assert not any(s.startswith("EU:Regulation-EU-2021-821") or s == "GB:SI-2026-56" for s, _ in found)


def test_an_entry_named_by_its_subject_then_its_code_controls_the_subject(tmp_path):
    text = (
        "# A policy essay\n\nIn this essay we compare lists. The UK keeps a quantum-computer entry PL9014, "
        "and the US a separate cryogenic cooling entry, ECCN 3A904.\n"
    )
    controls = {(r.subject, r.object) for r in extract_text(tmp_path, text).relations if r.type == "controls"}
    assert {("GB:PL9014", "quantum_computer"), ("US:3A904", "cryogenic_cooling")} <= controls


def test_goods_left_off_a_list_are_not_claimed_as_controlled(tmp_path):
    text = (
        "# A policy essay\n\nIn this essay we compare lists. Canada seems to have left parametric amplifiers and "
        "cryogenic cooling off its list; its item 5506 is read as covering quantum computers.\n"
    )
    rels = extract_text(tmp_path, text).relations
    controls = {(r.subject, r.object) for r in rels if r.type == "controls"}
    assert ("CA:5506", "quantum_computer") in controls
    assert not {("CA:5506", "parametric_amplifier"), ("CA:5506", "cryogenic_cooling")} & controls


def test_an_essay_reports_where_each_instrument_it_cites_applies(tmp_path):
    text = (
        "# The long road to one list\n\n*A policy essay*\n\nIn this essay we argue that Regulation (EU) 2021/821 "
        "and 15 CFR 740.24 answer different questions, and SOR/2024-112 a third.\n"
    )
    ex = extract_text(tmp_path, text)
    applies = {(r.subject, r.object) for r in ex.relations if r.type == "applies_in"}
    assert {("EU:Regulation-EU-2021-821", "EU"), ("US:15-CFR-740.24", "US"), ("CA:SOR-2024-112", "CA")} <= applies
    assert all(r.confidence < 0.8 for r in ex.relations if r.type == "applies_in")
