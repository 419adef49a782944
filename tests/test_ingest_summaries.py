"""Header-field summaries in the layouts other writers use: fields set as a two-column
table, a plain-text title underlined with dashes, an instrument named only by its title's
citation, entries as a numbered list under a section that says they are entries.
Passages written for these tests (fictional states)."""

from __future__ import annotations

from extracting import extract_text

from qharmony.ingest.readers import read_source


def _rels(ex, kind: str) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind}


FIELD_TABLE = """# Norwind: Decree No. 12/2027 on cryogenic goods (fictional)

_A summary written for testing, not the decree itself._

| Item | Details |
|---|---|
| Country | Federated States of Norwind |
| Issuing body | Norwind Trade Office |
| Entry into force | 3 March 2027 |
| Supersedes | Decree No. 4/2019 |

## Controlled items

1. **NW-20**: dilution refrigerators with 300 µW or more of cooling power.
2. **NW-21**: quantum computers of 60 physical qubits or more.
"""


def test_fields_set_as_a_table_name_the_instrument_its_title_cites(tmp_path):
    ex = extract_text(tmp_path, FIELD_TABLE)
    [code] = {e.id for e in ex.entities if e.type == "Jurisdiction"}
    decree = f"{code}:Decree-No.-12-2027"
    assert _rels(ex, "applies_in") == {(decree, code)}
    assert _rels(ex, "issued_by") == {(decree, "norwind-trade-office")}
    assert _rels(ex, "effective_on") == {(decree, "2027-03-03")}
    assert _rels(ex, "repeals") == {(decree, f"{code}:Decree-No.-4-2019")}


def test_numbered_code_lines_under_a_section_of_items_are_entries(tmp_path):
    ex = extract_text(tmp_path, FIELD_TABLE)
    [code] = {e.id for e in ex.entities if e.type == "Jurisdiction"}
    decree = f"{code}:Decree-No.-12-2027"
    assert _rels(ex, "part_of") == {(f"{code}:NW-20", decree), (f"{code}:NW-21", decree)}
    assert _rels(ex, "controls") == {(f"{code}:NW-20", "cryogenic_cooling"), (f"{code}:NW-21", "quantum_computer")}


def test_a_table_of_entries_is_no_field_table(tmp_path):
    """A two-column table whose left cells are codes is a table, even before any section."""
    text = (
        "# Norwind: export list\n\n| Entry | Goods |\n|---|---|\n| Adopted | 2 May 2027 |\n"
        "| Effective | 3 May 2027 |\n| NW-20 | Dilution refrigerators |\n"
    )
    path = tmp_path / "list.md"
    path.write_text(text, encoding="utf-8")
    assert [b.kind for b in read_source(path).blocks] == ["heading", "row", "row", "row", "row"]


def test_a_table_with_one_known_field_name_stays_a_table(tmp_path):
    text = "# Notes\n\n| Topic | Comment |\n|---|---|\n| Country | see below |\n| Scope | exports |\n"
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    assert [b.kind for b in read_source(path).blocks] == ["heading", "row", "row", "row"]


UNDERLINED = """Talvar - list of controlled quantum goods
=========================================
Jurisdiction:   United Provinces of Talvar
Instrument:     Resolution 88/2026
Authority:      Talvar Export Council
Adopted:        9 June 2026

A summary in our own words.
"""


def test_an_underlined_plain_text_title_keeps_the_header_fields_under_it(tmp_path):
    ex = extract_text(tmp_path, UNDERLINED, "talvar.txt")
    [code] = {e.id for e in ex.entities if e.type == "Jurisdiction"}
    assert _rels(ex, "adopted_on") == {(f"{code}:Resolution-88-2026", "2026-06-09")}
    assert _rels(ex, "issued_by") == {(f"{code}:Resolution-88-2026", "talvar-export-council")}


def test_a_dashed_line_under_a_paragraph_of_several_lines_is_no_title(tmp_path):
    text = "Jurisdiction: Italy\n\nSome prose that runs\nover two lines.\n---\nMore prose.\n"
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    assert "heading" not in [b.kind for b in read_source(path).blocks]


UNCODED = """# Norwind: cryogenic goods (fictional)

Jurisdiction: Federated States of Norwind
Instrument: Decree No. 12/2027
Adopted: 2 May 2027

## Dilution refrigerators (entry code not verified)

The decree is understood to cover them.

## Background

Quantum computers are left to a later decree.
"""


def test_a_summary_section_on_an_entry_whose_code_was_not_seen_names_it_by_subject(tmp_path):
    """No List field is needed: "(entry code not verified)" says the section is an entry,
    known by its subject, and its control is no firmer than the unseen code."""
    ex = extract_text(tmp_path, UNCODED)
    entries = {e.id.split(":", 1)[1] for e in ex.entities if e.type == "ControlEntry"}
    assert entries == {"[dilution-refrigerators]"}
    controls = [r for r in ex.relations if r.type == "controls"]
    assert {str(r.object) for r in controls} == {"cryogenic_cooling"} and all(r.confidence < 0.8 for r in controls)
