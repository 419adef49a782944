"""Entities named by the conventions of their kind, in wording the extractor has not seen:
a public body by its head noun ("Ministry", "Board", "Secretary of State") with its
modifiers or "of" complement, in running text or a capitalised heading; country groups and
licence exceptions of other shapes. Each text is written for the test about clearly
fictional states, and each rule has a case where it must not fire."""

from __future__ import annotations

from extracting import entity_ids as _ids
from extracting import extract_text


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


def test_each_ear_country_group_of_a_coordinated_list_is_one(tmp_path):
    text = "Reexports are allowed to Country Groups B:2, D:3 or E:2 only after review.\n"
    assert {"US:B:2", "US:D:3", "US:E:2"} <= _ids(extract_text(tmp_path, text, "note.txt"), "CountryGroup")


HEADER = "REPUBLIC OF ORMANDE (a fictional state)\nMinistry of Outward Trade\n\nNotice No. 4 of 2031 on exports\n\n"


def test_a_list_designator_that_holds_countries_is_a_country_group(tmp_path):
    text = HEADER + (
        "1. Goods may go to any destination named in Appendix III without a permit.\n"
        "2. Exporters to a country outside List K need an individual permit; List K "
        "countries are set out below.\n"
        "3. Items listed in Annex 2 are controlled.\n"
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    groups = {g.split(":", 1)[1] for g in _ids(ex, "CountryGroup")}
    assert {"Appendix-III", "List-K"} <= groups
    assert "Annex-2" not in groups  # a list of goods, not of countries


def test_an_ear_part_cited_the_ears_way_is_its_cfr_part(tmp_path):
    text = (
        "Exporters should check the Entity List in Supplement No. 4 to part 744 and the "
        "definitions of part 772 of the EAR before relying on § 740.17.\n"
    )
    found = _ids(extract_text(tmp_path, text, "note.txt"), "Instrument")
    assert {"US:15-CFR-744", "US:15-CFR-772"} <= found  # the id a part heading gives it


def test_a_cfr_file_is_its_section_past_its_front_matter_and_chapter_heading(tmp_path):
    text = (
        "---\ntitle: CHAPTER VII—A CHAPTER HEADING\n---\n\n"
        "CHAPTER VII—BUREAU OF INDUSTRY AND SECURITY, DEPARTMENT OF COMMERCE\n\n"
        "§ 742.9   Anti-terrorism controls.\n\n"
        "(a) A license is required under the EAR, except as § 740.2(a) of the EAR provides.\n"
    )
    ex = extract_text(tmp_path, text, "part.md")
    assert {"US:15-CFR-742.9", "US:15-CFR-740.2"} <= _ids(ex, "Instrument")
    assert ("US:15-CFR-742.9", "US") in {(r.subject, r.object) for r in ex.relations if r.type == "applies_in"}


def test_a_commission_document_is_cited_by_its_number(tmp_path):
    text = "The Commission set out its plans in COM(2031) 12 final and recommended them in C/2031/907.\n"
    found = _ids(extract_text(tmp_path, text, "note.txt"), "Instrument")
    assert {"EU:COM-2031-12-final", "EU:C-2031-907"} <= found


def test_titles_hold_hyphenated_words_a_singular_regulation_and_a_date(tmp_path):
    text = HEADER + (
        "1. This notice applies the Dual-Use Goods Regulation 2029 and the Strategic Trade "
        "Decree of 3 March 2030, under the Export-Control Act 2011.\n"
    )
    found = {i.split(":", 1)[1] for i in _ids(extract_text(tmp_path, text, "notice.txt"), "Instrument")}
    assert {"Dual-Use-Goods-Regulation-2029", "Strategic-Trade-Decree-of-3-March-2030"} <= found
    assert "Export-Control-Act-2011" in found


def test_a_states_numbered_series_is_cited_in_its_guidance_too(tmp_path):
    text = (
        "<html><body><h1>Ormande Ministry of Outward Trade: questions and answers</h1>\n"
        "<p>Which notice applies? Circular No. 7 of 2030 sets out the permit rules for the "
        "Republic of Ormande.</p></body></html>\n"
    )
    found = _ids(extract_text(tmp_path, text, "page.html"), "Instrument")
    assert any(i.endswith(":Circular-No.-7-of-2030") for i in found), found


def test_general_licences_of_other_shapes_are_named(tmp_path):
    text = HEADER + (
        "1. General Permit No. 44 and Open General Licence OGL-Kv serve research exports.\n"
        "2. Exporters may instead rely on General Authorisation GA-R.\n"
    )
    found = {i.split(":", 1)[1].lower() for i in _ids(extract_text(tmp_path, text, "notice.txt"), "LicenseException")}
    assert {"general-permit-no.-44", "open-general-licence-ogl-kv", "general-authorisation-ga-r"} <= found


def test_an_available_symbol_quoted_from_an_eccn_is_an_ear_exception(tmp_path):
    text = (
        "DEPARTMENT OF COMMERCE\n\nBureau of Industry and Security\n\n15 CFR Part 774\n\n"
        "Revisions to two entries of the Commerce Control List\n\n"
        "AGENCY: Bureau of Industry and Security, Commerce.\n\nACTION: Final rule.\n\n"
        "SUMMARY: Both new ECCNs read, under the EAR: License Exceptions: LVS: N/A; TSR: Yes; GBS: N/A.\n"
    )
    found = _ids(extract_text(tmp_path, text, "rule.txt"), "LicenseException")
    assert any(i.upper().endswith("TSR") for i in found), found
    assert not any(i.upper().endswith(("LVS", "GBS")) for i in found)


def test_a_unit_on_its_ministrys_masthead_line_issues_when_it_acts(tmp_path):
    text = (
        "**GRAND DUCHY OF ORMANDE** (a fictional state)\n"
        "**Ministry of Outward Trade — Permits Directorate**\n\n"
        "## Notice No. 5/2031 on the export of cryogenic goods\n\n"
        "1. The Permits Directorate gives notice that the goods below need a permit.\n"
    )
    ex = extract_text(tmp_path, text, "notice.md")
    issuers = {str(r.object) for r in ex.relations if r.type == "issued_by"}
    assert "permits-directorate" in issuers, issuers
    assert "ministry-of-outward-trade" not in issuers


def test_a_commission_document_is_the_commissions(tmp_path):
    text = "Member States were told in C(2032) 118 how to read the list.\n"
    ex = extract_text(tmp_path, text, "note.txt")
    issued = {(r.subject, r.object) for r in ex.relations if r.type == "issued_by"}
    assert ("EU:C-2032-118", "european-commission") in issued


def test_a_part_heading_then_its_section_names_both_and_a_quoted_source_note_dates_the_section(tmp_path):
    text = (
        "PART 736—GENERAL PROHIBITIONS\n\n"
        "§ 736.1   Introduction.\n\n"
        "In this part the EAR sets out ten general prohibitions.\n\n"
        "> [61 FR 12786, Mar. 25, 1996, as amended at 88 FR 1234, Jan. 9, 2023]\n"
    )
    ex = extract_text(tmp_path, text, "part.md")
    assert {"US:15-CFR-736.1", "US:15-CFR-736"} <= _ids(ex, "Instrument")
    rel = {(r.type, r.subject, str(r.object)) for r in ex.relations}
    assert ("amends", "US:88-FR-1234", "US:15-CFR-736.1") in rel
    assert ("adopted_on", "US:15-CFR-736.1", "1996-03-25") in rel
    assert ("issued_by", "US:15-CFR-736", "bureau-of-industry-and-security") in rel


def test_a_citation_followed_by_its_date_was_published_then(tmp_path):
    text = "The list was republished in the C series of the Official Journal, C/2031/77, 14.3.2031, p. 1.\n"
    ex = extract_text(tmp_path, text, "note.txt")
    adopted = {(r.subject, str(r.object)) for r in ex.relations if r.type == "adopted_on"}
    assert ("EU:C-2031-77", "2031-03-14") in adopted


def test_the_commission_of_a_text_of_eu_law_is_the_european_commission(tmp_path):
    eu = "Under Regulation (EU) 2021/821 the Commission publishes the lists it receives.\n"
    other = "The Commission of the Ormande Trade Forum meets in May; the Commission then reports.\n"
    assert "european-commission" in _ids(extract_text(tmp_path, eu, "eu.txt"), "Authority")
    assert "european-commission" not in _ids(extract_text(tmp_path, other, "other.txt"), "Authority")
