"""Entry codes of shapes no rule names, learned from how the text uses them: an entry
noun or a verb of listing before one code of a family makes every code of that family
in the document an entry; a question's number or a citation never is. The passages are
about fictional states, written for these tests."""

from __future__ import annotations

from extracting import extract_text

from qharmony.ingest.code_shapes import families
from qharmony.ingest.pipeline import load_pipeline


def _codes(text: str) -> list[str]:
    return [e.text for e in load_pipeline()(text).ents if e.label_ == "CONTROL_CODE"]


def test_an_entry_noun_teaches_the_family_of_its_code():
    text = "Pumps are now listed in heading ZT7.2. A ZT7.4 cooler needs a licence; so does ZT9.1."
    assert families(text) == {"ZT"}
    assert _codes(text) == ["ZT7.2", "ZT7.4", "ZT9.1"]


def test_hyphenated_codes_with_letters_inside_and_lettered_parts():
    text = "Software for the machines of item WR-3C2 is caught by WR-3D1; WR-3D1.b covers simulators."
    assert _codes(text) == ["WR-3C2", "WR-3D1", "WR-3D1.b"]


def test_two_lines_led_by_codes_of_one_family_are_a_list():
    text = "SCHEDULE\n\nVQ10 Quantum computers of any size.\n\nVQ11 Dilution refrigerators.\n"
    assert families(text) == {"VQ"}


def test_questions_citations_and_bare_words_teach_nothing():
    assert families("Q1. Is my cooler caught?\nQ2. Which form do I use?\n") == frozenset()
    assert families("See SOR/2031-12, SI 2031/7 and item 7; the H2 line and F1 note.") == frozenset()
    assert _codes("A BX901 refrigerator ships from hall A4.") == []


def test_a_guidance_page_names_the_entries_of_its_states_list(tmp_path):
    page = (
        "MINISTRY OF COMMERCE OF THE REPUBLIC OF OSTWALD (a fictional state, for testing)\n\n"
        "Questions on the Ostwald Control List\n\n"
        "Q. Which entries cover cryogenic wafer probers?\n"
        "A. Cryogenic wafer probers are covered by OK4.2. An OK4.3 item is a dilution refrigerator.\n"
    )
    ex = extract_text(tmp_path, page, "page.txt")
    found = {e.id.split(":")[1] for e in ex.entities if e.type == "ControlEntry"}
    assert {"OK4.2", "OK4.3"} <= found


def test_paragraphs_listed_after_an_eccn_take_its_number():
    text = "Technology for items in 6A002 (except 6A002.b.2, c, e.1, g to j, or a successor item)."
    from qharmony.ingest.code_lists import code_text

    ents = [e for e in load_pipeline()(text).ents if e.label_ == "CONTROL_CODE"]
    assert [code_text(e) for e in ents] == ["6A002", "6A002.b.2", "6A002.c", "6A002.e.1", "6A002.g", "6A002.j"]
