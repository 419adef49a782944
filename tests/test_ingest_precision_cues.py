"""Words that look like an extraction cue but are not one: a "left" that leaves nothing
out, an abbreviation read as a paragraph path, a quarter or a year read as an entry code,
a code that follows another only in numbering, and one CFR part cited three ways. Each
text is about a clearly fictional state (Ormande) or the US EAR, in our own words."""

from __future__ import annotations

from extracting import entity_ids as _ids
from extracting import extract_text

from qharmony.ingest.state import NEGATION

H = "REPUBLIC OF ORMANDE (a fictional state)\nMinistry of Outward Trade\n\nNotice No. 4 of 2031 on exports\n\n"


def _rels(ex, kind: str) -> set[tuple[str, str]]:
    return {(r.subject, r.object) for r in ex.relations if r.type == kind}


def test_left_in_a_description_is_no_negation(tmp_path):
    text = H + "1. Item Q3.11 covers parametric amplifiers, shown in the left column, with a cut-off frequency "
    text += "above 2 GHz.\n"
    ex = extract_text(tmp_path, text, "n.txt")
    assert not _rels(ex, "not_controlled")
    assert ("XO:Q3.11", "parametric_amplifier") in _rels(ex, "controls")
    assert any(r.subject == "XO:Q3.11" for r in ex.relations if r.type == "has_threshold")


def test_leaving_an_item_off_a_list_or_aside_is_a_negation():
    for said in ("Ormande has left cryogenic cooling off its list.", "The notice leaves annealers aside.",
                 "Ormande left quantum sensors out of the scope of its control list."):  # fmt: skip
        assert NEGATION.search(said), said


def test_an_abbreviation_after_an_eccn_path_is_no_paragraph(tmp_path):
    text = "# 15 CFR 774\n\nSee 5A002.a, e.g. encryption items, and 4A906.a, i.e. quantum computers.\n"
    ids = _ids(extract_text(tmp_path, text, "p.md"), "ControlEntry")
    assert not {i for i in ids if i.endswith((".e.g", ".i.e", ".e", ".i"))}


def test_the_last_paragraph_of_a_list_is_read_before_a_verb(tmp_path):
    text = "# 15 CFR 774\n\nUnder the EAR, 3B001.a, b, c and d apply to these wafer tools.\n"
    ids = _ids(extract_text(tmp_path, text, "q.md"), "ControlEntry")
    assert {"US:3B001.b", "US:3B001.c", "US:3B001.d"} <= ids


def test_a_quarter_a_year_or_a_heading_number_is_no_code_of_a_learned_family(tmp_path):
    text = (
        H + "1. Item Q3.11 covers cryostats.\n2. The Q3 2031 report and the Q4 figures follow.\n"
        "3. Water (H2O) cooling is in heading H2 of the guide.\n4. Entry FY2030 applies; FY2031 money.\n"
    )
    ids = _ids(extract_text(tmp_path, text, "c.txt"), "ControlEntry")
    assert not {i for i in ids if i.split(":")[-1] in {"Q3", "Q4", "H2O", "FY2031"}}


def test_a_code_introduced_once_still_teaches_its_family(tmp_path):
    text = H + "1. Item MV3.1 covers cryostats.\n2. MV3.2 covers dilution refrigerators.\n"
    ids = _ids(extract_text(tmp_path, text, "f.txt"), "ControlEntry")
    assert {"XO:MV3.1", "XO:MV3.2"} <= ids


def test_following_or_tracking_another_code_is_no_correspondence(tmp_path):
    text = H + "1. Entry OR-4A follows ECCN 4A906 in numbering only.\n2. Entry OR-4C tracks 3A904 changes monthly.\n"
    assert not _rels(extract_text(tmp_path, text, "x.txt"), "corresponds_to")


def test_a_code_modelled_on_another_or_following_its_figures_corresponds_to_it(tmp_path):
    text = H + "1. Entry OR-4D is modelled on ECCN 3B904.\n2. Entry OR-4E follows the agreed figures of ECCN 3A904.\n"
    assert {("XO:OR-4D", "US:3B904"), ("XO:OR-4E", "US:3A904")} <= _rels(
        extract_text(tmp_path, text, "y.txt"), "corresponds_to"
    )


def test_a_cfr_part_has_one_id_however_it_is_cited(tmp_path):
    text = (
        "# 15 CFR 740\n\nSee 15 CFR 744, the definitions in part 772 of the EAR and 15 CFR Part 774, "
        "and 31 CFR part 589.\n"
    )
    ids = _ids(extract_text(tmp_path, text, "r.md"), "Instrument")
    assert {"US:15-CFR-744", "US:15-CFR-772", "US:15-CFR-774", "US:31-CFR-589"} <= ids
    assert not {i for i in ids if "part" in i.lower()}


def test_headings_citations_and_years_teach_no_family(tmp_path):
    text = (
        H + "- A1 Introduction\n- A2 Scope\n\n1. The flaw covered under CVE-2024-1234 and the rules falling under "
        "GDPR2016 are not entries; CVE-2024-5678 and GDPR2018 neither.\n"
    )
    ids = _ids(extract_text(tmp_path, text, "h.txt"), "ControlEntry")
    assert not {i for i in ids if i.split(":")[-1].startswith(("A1", "A2", "CVE", "GDPR"))}
