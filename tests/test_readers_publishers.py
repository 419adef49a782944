"""The readers for what the publishers serve beside the eCFR: legislation.gov.uk's
CLML and the Publications Office's Formex. Each renders its XML as the printed
instrument reads, so the genre rules (the UK SI's number, Made and Coming into
force lines; the EU act's title block and OJ reference) read it as they read any
other copy. The fixtures are our own texts in the publishers' markup, written from
the facts in ``../shared/reference``."""

from __future__ import annotations

from pathlib import Path

import pytest

from qharmony.ingest.genres import understand
from qharmony.ingest.jurisdictions import Registry
from qharmony.ingest.readers import read_source

FIXTURES = Path(__file__).parent / "fixtures" / "publishers"
CLML = FIXTURES / "uksi-2024-346.clml.xml"
FORMEX = FIXTURES / "eurlex-32025R2003.formex.xml"


def _headings(source) -> list[str]:
    return [source.block_text(b) for b in source.blocks if b.kind == "heading"]


def test_clml_reads_as_the_printed_instrument():
    source = read_source(CLML)
    text = source.text
    for line in (
        "STATUTORY INSTRUMENTS",
        "2024 No. 346",
        "The Export Control (Amendment) Regulations 2024",
        "Made 11th March 2024",
        "Coming into force 1st April 2024",
    ):
        assert line + "\n" in text, line
    assert text.index("2024 No. 346") < text.index("Made 11th March 2024") < text.index("Citation and commencement")
    # numbered provisions carry their numbers; inserted text is quoted as the print quotes it
    assert "1. These Regulations may be cited" in text
    assert "2. (1) Schedule 3 to the Export Control Order 2008 is amended as follows." in text
    assert "“PL9014 Quantum computers having 34 or more physical qubits" in text
    assert {"Citation and commencement", "EXPLANATORY NOTE"} <= set(_headings(source))
    assert "Statute Law Database" not in text, "metadata is not reading text"


def test_clml_is_understood_as_a_uk_statutory_instrument():
    profile = understand(read_source(CLML).text, Registry())
    assert profile.genre == "uk_si"
    assert profile.citation == "SI 2024/346"
    assert profile.jurisdiction.value == "GB"
    assert profile.dates["adopted"].value == "2024-03-11"
    assert profile.dates["effective"].value == "2024-04-01"
    assert profile.authority.value == "Secretary of State"


def test_clml_without_worded_dates_takes_the_metadata_dates(tmp_path):
    bare = CLML.read_text(encoding="utf-8")
    for worded in ("<DateText>11th March 2024</DateText>", "<DateText>1st April 2024</DateText>"):
        bare = bare.replace(worded, "")
    path = tmp_path / "bare.xml"
    path.write_text(bare, encoding="utf-8")
    text = read_source(path).text
    assert "Made 2024-03-11\n" in text and "Coming into force 2024-04-01\n" in text
    profile = understand(text, Registry())
    assert (profile.dates["adopted"].value, profile.dates["effective"].value) == ("2024-03-11", "2024-04-01")


def test_formex_reads_as_the_official_journal_prints_it():
    source = read_source(FORMEX)
    text = source.text
    title = (
        "COMMISSION DELEGATED REGULATION (EU) 2025/2003 of 8 September 2025 amending Regulation (EU) 2021/821"
        " of the European Parliament and of the Council as regards the list of dual-use items"
    )
    assert text.startswith(title + "\n")
    assert "OJ L, 2025/2003, 14.11.2025\n" in text
    assert "(1) The list of dual-use items in Annex I" in text, "a recital keeps its number"
    assert {"Article 1", "Article 2"} <= set(_headings(source))
    assert "in the Official Journal of the European Union." in text, "inline markup is read as text"


def test_formex_is_understood_as_an_eu_act():
    profile = understand(read_source(FORMEX).text, Registry())
    assert profile.genre == "eu_act"
    assert profile.citation == "Delegated Regulation (EU) 2025/2003"
    assert profile.jurisdiction.value == "EU"
    assert profile.authority.value == "European Commission"
    assert profile.dates["adopted"].value == "2025-09-08"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("10<HT TYPE='SUP'>-4</HT>", "10⁻⁴"),
        ("an error<NOTE NOTE.ID='E0001'><P>A footnote.</P></NOTE> of 1 %", "an error of 1 %"),
        ("<QUOT.START CODE='2018'/>quantum computer<QUOT.END CODE='2019'/>", "‘quantum computer’"),
    ],
)
def test_formex_inline_markup(tmp_path, markup, expected):
    path = tmp_path / "act.xml"
    path.write_text(
        "<ACT><TITLE><TI><P>COMMISSION REGULATION (EU) 2099/1</P></TI></TITLE>"
        f"<ENACTING.TERMS><ARTICLE><TI.ART>Article 1</TI.ART><ALINEA>A fictional {markup} here.</ALINEA>"
        "</ARTICLE></ENACTING.TERMS></ACT>",
        encoding="utf-8",
    )
    assert f"A fictional {expected} here." in read_source(path).text


def test_formex_points_keep_their_lead_words_and_tables_become_rows(tmp_path):
    path = tmp_path / "annex.xml"
    path.write_text(
        "<ANNEX><TITLE><TI><P>ANNEX</P></TI></TITLE><CONTENTS>"
        "<P>The fictional list includes:<LIST><ITEM><NP><NO.P>(a)</NO.P><TXT>first goods;</TXT></NP></ITEM>"
        "<ITEM><NP><NO.P>(b)</NO.P><TXT>second goods.</TXT></NP></ITEM></LIST></P>"
        "<TBL><CORPUS><ROW><CELL>X1</CELL><CELL>Fictional goods</CELL></ROW></CORPUS></TBL>"
        "</CONTENTS></ANNEX>",
        encoding="utf-8",
    )
    source = read_source(path)
    assert "The fictional list includes:\n\n(a) first goods;\n\n(b) second goods.\n" in source.text
    assert "| X1 | Fictional goods |" in source.text
    assert any(b.kind == "row" for b in source.blocks)
