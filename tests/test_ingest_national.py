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


SI_HEAD = (
    "OSTERWALD STATUTORY INSTRUMENTS\n(the Republic of Osterwald is a fictional state)\n\n"
    "2027 No. 40\n\nEXPORTS AND IMPORTS\n\n"
    "The Dual-Use Items (Licensing) (Amendment) Regulations 2027\n\nMade 2nd February 2027\n"
    "Coming into force 1st March 2027\n\n"
)


def test_a_footnote_marker_gives_a_title_its_citation_for_amends_and_revokes(tmp_path):
    body = (
        "2. The Dual-Use Items (Licensing) Regulations 2020(a) are amended in accordance with the Schedule.\n\n"
        "3. The Dual-Use Items (Licensing) (Amendment) Regulations 2023(b) are revoked.\n\n"
        "(a) S.I. 2020/511.\n\n(b) S.I. 2023/9.\n"
    )
    ex = extract_text(tmp_path, SI_HEAD + body)
    rels = {(r.type, r.object) for r in ex.relations if r.type in ("amends", "repeals")}
    assert ("amends", "XO:SI-2020-511") in rels
    assert ("repeals", "XO:SI-2023-9") in rels


def test_an_annex_of_a_cited_regulation_is_amended_by_the_act(tmp_path):
    text = (
        "COMMISSION DELEGATED REGULATION (EU) 2031/77\n\nof 2 March 2031\n\nTHE EUROPEAN COMMISSION,\n\n"
        "HAS ADOPTED THIS REGULATION:\n\nArticle 1\n\nAnnex I to Regulation (EU) 2021/821 is amended as set out "
        "in the Annex to this Regulation.\n"
    )
    assert ("EU:Delegated-Regulation-EU-2031-77", "EU:Regulation-EU-2021-821") in _rels(tmp_path, text, "amends")


def test_a_history_of_amendments_is_not_an_amendment_by_this_text(tmp_path):
    body = "2. Exports are governed by the Dual-Use Items (Licensing) Regulations 2020, as amended by S.I. 2024/3.\n"
    assert not _rels(tmp_path, SI_HEAD + body, "amends")


def test_no_sentence_ends_inside_a_title_after_its_parenthesised_word():
    from qharmony.ingest.pipeline import load_pipeline

    doc = load_pipeline()("(2) The Dual-Use Items (Licensing) Regulations 2020 are amended as follows.")
    assert any(s.text.startswith("The Dual-Use Items (Licensing) Regulations 2020 are amended") for s in doc.sents)


def _codes(tmp_path, text: str) -> set[str]:
    return {e.id for e in extract_text(tmp_path, text).entities if e.type == "ControlEntry"}


@pytest.mark.parametrize(
    ("sentence", "codes"),
    [
        ("2. Entries OW-4, OW-5 and OW-9 are deleted.", {"XO:OW-4", "XO:OW-5", "XO:OW-9"}),
        ("2. Items 3301 or 3302 may not be exported without a permit.", {"XO:3301", "XO:3302"}),
        ("2. Entries OW-11 to OW-14 are renumbered.", {"XO:OW-11", "XO:OW-14"}),
    ],
)
def test_codes_coordinated_after_one_plural_noun_are_each_codes(tmp_path, sentence, codes):
    assert codes <= _codes(tmp_path, NOTICE + sentence + "\n")


def test_a_year_after_a_coordinated_code_is_no_code(tmp_path):
    found = _codes(tmp_path, NOTICE + "2. Items 3301 and 2027 budgets were discussed.\n")
    assert "XO:2027" not in found


def test_coordinated_codes_share_the_owner_the_first_one_names(tmp_path):
    text = NOTICE + "2. Osterwald has no equivalent to U.S. ECCNs 3B904, 3C907 and 3C909.\n"
    rels = _rels(tmp_path, text, "no_equivalent_in")
    assert {("US:3B904", "XO"), ("US:3C907", "XO"), ("US:3C909", "XO")} <= rels


def test_two_lists_of_the_same_length_pair_in_order(tmp_path):
    text = NOTICE + (
        "2. Under the Notice, items OW-1 and OW-2 control parametric signal amplifiers and cryogenic wafer probers.\n"
    )
    rels = _rels(tmp_path, text, "controls")
    assert {("XO:OW-1", "parametric_amplifier"), ("XO:OW-2", "cryogenic_wafer_prober")} <= rels
    assert ("XO:OW-1", "cryogenic_wafer_prober") not in rels
    assert ("XO:OW-2", "parametric_amplifier") not in rels


def test_an_earlier_notice_hereby_superseded_is_repealed(tmp_path):
    text = NOTICE + "3. Notice No. 2/2024 of 4 March 2024 is hereby superseded.\n"
    assert {("XO:Notice-No.-9-2027", "XO:Notice-No.-2-2024")} <= _rels(tmp_path, text, "repeals")


def test_the_enacting_formula_names_the_body_that_makes_the_instrument(tmp_path):
    text = (
        "OSTERWALD STATUTORY INSTRUMENTS\n(the Republic of Osterwald is a fictional state)\n\n"
        "2027 No. 41\n\nEXPORTS AND IMPORTS\n\nThe Dual-Use Items (Fees) Regulations 2027\n\n"
        "Made 3rd April 2027\n\n"
        "The Minister of Industry, acting under section 9 of the Trade Controls Law 2015 and after consulting "
        "the exporters' council, makes the following Regulations:\n"
    )
    assert ("XO:SI-2027-41", "minister-of-industry") in _rels(tmp_path, text, "issued_by")


def _instruments(tmp_path, text: str) -> set[str]:
    return {e.id for e in extract_text(tmp_path, text).entities if e.type == "Instrument"}


@pytest.mark.parametrize(
    ("citation", "ident"),
    [
        ("DORS/2031-7", "CA:SOR-2031-7"),
        ("Reglamento (UE) 2021/821", "EU:Regulation-EU-2021-821"),
        ("Règlement délégué (UE) 2030/12", "EU:Delegated-Regulation-EU-2030-12"),
        ("Verordnung (EU) 2021/821", "EU:Regulation-EU-2021-821"),
        ("Council Regulation (EC) No 428/2009", "EU:Regulation-EC-No-428-2009"),
    ],
)
def test_citations_in_other_languages_have_their_english_citations_id(tmp_path, citation, ident):
    assert ident in _instruments(tmp_path, NOTICE + f"2. The list takes account of {citation} as published.\n")


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("le 1er juillet 2027", "2027-07-01"),
        ("el 3 de agosto de 2027", "2027-08-03"),
        ("am 4. Mai 2027", "2027-05-04"),
        ("il 9 settembre 2027", "2027-09-09"),
    ],
)
def test_dates_written_in_other_languages(written, iso):
    from qharmony.ingest.dates import find_dates

    assert [d.isoformat() for d, *_ in find_dates(f"Published {written}.")] == [iso]


def test_a_section_number_before_an_english_month_is_no_date():
    from qharmony.ingest.dates import find_dates

    assert not find_dates("See section 5. January 2027 figures follow.")


def test_a_temperature_the_item_is_designed_to_operate_at_is_no_condition_of_another_figure():
    from qharmony.ingest.thresholds import find_thresholds

    found = find_thresholds("amplifiers having a gain above 15 dB, designed to operate at temperatures below 2 K")
    temperature = [f for f in found if f.unit == "K"]
    assert temperature and temperature[0].parameter == "operating_temperature" and not temperature[0].condition_of


def test_a_heading_that_is_the_whole_entry_states_its_limits(tmp_path):
    text = NOTICE + (
        "In exercise of its powers the Ministry amends the List as follows:\n\n"
        "(i) After entry 4B700, the following entries are inserted, namely:\n"
        '"4B701 Cryogenic wafer probers designed to test devices at 3 K or less;\n'
        '4B702 Dilution refrigerators rated to maintain a temperature of 0.05 K or less."\n'
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    limits = {(r.subject, r.object["parameter"], r.object["value"]) for r in ex.relations if r.type == "has_threshold"}
    assert ("XO:4B701", "operating_temperature", 3.0) in limits
    assert ("XO:4B702", "maintained_temperature", 0.05) in limits


def test_a_citation_followed_by_its_date_dates_the_cited_instrument(tmp_path):
    text = NOTICE + (
        "1. This Notice carries out Executive Order 14999 of March 3, 2027 and replaces "
        "Circular No. 4/2026 dated the 9th May, 2026.\n"
    )
    rels = _rels(tmp_path, text, "adopted_on")
    assert ("US:Executive-Order-14999", "2027-03-03") in rels
    assert ("XO:Circular-No.-4-2026", "2026-05-09") in rels


def test_macau_is_macao():
    from qharmony.ingest.linking import country_names

    assert country_names()["Macau"] == "MO"


def test_a_list_the_text_introduced_may_give_its_lines_in_lower_case(tmp_path):
    text = NOTICE + (
        "2. A licence is required for the goods below:\n\n"
        "OW.11 quantum computers with 40 or more physical qubits;\n"
        "OW.12 dilution refrigerators providing 300 µW or more of cooling power.\n"
    )
    rels = _rels(tmp_path, text, "part_of", name="notice.txt")
    assert {("XO:OW.11", "XO:Notice-No.-9-2027"), ("XO:OW.12", "XO:Notice-No.-9-2027")} <= rels


def test_a_code_leading_a_line_of_running_text_without_a_list_opens_no_entry(tmp_path):
    text = NOTICE + "OW.11 quantum computers were discussed at length by the committee in its report\n"
    assert not _rels(tmp_path, text, "part_of", name="notice.txt")


def test_an_act_cited_with_a_comma_before_its_year_keeps_the_year(tmp_path):
    text = NOTICE + "1. Under section 3 of the Strategic Trade Act, 2019, the Ministry lists the goods below.\n"
    assert "XO:Strategic-Trade-Act-2019" in _instruments(tmp_path, text)


def test_an_oj_c_series_notice_is_its_own_instrument_issued_by_its_institution(tmp_path):
    text = (
        "Official Journal\nof the European Union\n\nC/2030/1234 5.6.2030\n\nEUROPEAN COMMISSION\n\n"
        "Communication from the Commission on the national measures notified under Regulation (EU) 2021/821\n\n"
        "1. Member States notified the measures listed below.\n"
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    rels = {(r.type, r.subject, str(r.object)) for r in ex.relations}
    assert ("issued_by", "EU:C-2030-1234", "european-commission") in rels
    assert ("adopted_on", "EU:C-2030-1234", "2030-06-05") in rels
    assert not any(t == "issued_by" and s == "EU:Regulation-EU-2021-821" for t, s, _ in rels)


def test_a_notice_that_replaces_an_earlier_one_repeals_it(tmp_path):
    text = NOTICE + "3. This Notice replaces Notice No. 5/2025 in its entirety.\n"
    assert ("XO:Notice-No.-9-2027", "XO:Notice-No.-5-2025") in _rels(tmp_path, text, "repeals")


def test_replacing_an_annex_of_an_act_repeals_nothing(tmp_path):
    text = NOTICE + "3. This Notice replaces the Annex to Notice No. 5/2025 with the list below.\n"
    assert not _rels(tmp_path, text, "repeals")


def test_an_english_sor_citation_alone_in_a_block_is_read():
    from qharmony.ingest.citations import cited_instruments

    [cited] = cited_instruments("The order was registered as SOR/2031-8 on 2 May.")
    assert cited.ident == "CA:SOR-2031-8"


def test_a_cited_national_instrument_has_one_id_for_its_mention_and_its_date(tmp_path):
    text = NOTICE + "1. Under Circular No. 5/2026 dated the 1st June, 2026, exports need a licence.\n"
    assert ("XO:Circular-No.-5-2026", "2026-06-01") in _rels(tmp_path, text, "adopted_on")
    instruments = _instruments(tmp_path, text)
    assert "XO:Circular-No.-5-2026" in instruments
    assert not any(i.lower().startswith("xo:under") for i in instruments)
