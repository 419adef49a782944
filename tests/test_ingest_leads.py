"""Entries set as lines (inserted Schedule text, gazette items, a ministry's list of
codes), what ends them, and what instruments of other genres state in prose: exempt
destinations, named acts, notes that are not law; alerts name entries but define none.
The passages are fictional states or fictional instruments, written for these tests."""

from __future__ import annotations

from extracting import extract_text

from qharmony.ingest.readers import read_source


def _extract(tmp_path, text: str, name: str = "doc.txt"):
    return extract_text(tmp_path, text, name)


def _rels(ex, kind: str) -> set[tuple]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind}


def _code(ex, entry: str) -> str:
    """The entry id with whatever jurisdiction code extraction gave the fictional state."""
    found = {e.id for e in ex.entities if e.type == "ControlEntry" and e.id.endswith(":" + entry)}
    assert len(found) == 1, (entry, found)
    return found.pop()


NOTICE = """DUCHY OF GRAND FENWICK (a fictional state, for testing)
Office of Strategic Trade

Notice to Exporters No. 4/2031

Issued: 3 February 2031

1. The Office of Strategic Trade adds the following entries to the Fenwick Control List:

   GF-11  Quantum computers supporting 80 or more physical qubits.
   GF-12  Cryogenic wafer probers accommodating wafers of 200 mm or more.

2. Item GF-12 matches ECCN 3B904 of the United States list.

3. Dilution refrigerators remain outside this notice's concerns for now, and exports to Norway
need no licence under this notice.
"""


def test_codes_a_notice_sets_as_lines_open_entries_with_their_limits(tmp_path):
    ex = _extract(tmp_path, NOTICE)
    first, second = _code(ex, "GF-11"), _code(ex, "GF-12")
    notice = next(iter({i for _, i in _rels(ex, "part_of")}))
    assert _rels(ex, "part_of") >= {(first, notice), (second, notice)}
    assert (first, "quantum_computer") in _rels(ex, "controls")
    assert (second, "cryogenic_wafer_prober") in _rels(ex, "controls")
    limits = {(r.subject, r.object["parameter"]) for r in ex.relations if r.type == "has_threshold"}
    assert limits == {(first, "physical_qubits"), (second, "wafer_diameter")}


def test_the_entry_closes_at_the_next_paragraph_of_prose(tmp_path):
    ex = _extract(tmp_path, NOTICE)
    second = _code(ex, "GF-12")
    # the refrigerators of paragraph 3 are no part of GF-12, and "Item GF-12 matches" opens nothing
    assert (second, "cryogenic_cooling") not in _rels(ex, "controls")
    assert not [e for e in ex.entities if e.type == "ControlEntry" and e.id.endswith(":GF-12") and e.start > 600]
    assert any(subject == second for subject, _ in _rels(ex, "corresponds_to"))
    assert {tail for _, tail in _rels(ex, "exempt_destination")} == {"NO"}


def test_a_code_line_before_any_list_is_introduced_opens_nothing(tmp_path):
    text = NOTICE.replace("adds the following entries to the Fenwick Control List:", "writes to exporters.")
    ex = _extract(tmp_path, text)
    assert not _rels(ex, "part_of")


INSERTED_SCHEDULE = """STATUTORY INSTRUMENTS

2031 No. 40

EXPORTS AND IMPORTS

The Export Control (Example) Regulations 2031

Made 2nd May 2031

Coming into force 1st June 2031

The Secretary of State makes these Regulations under the Export Control Act 2002.

2. In Schedule 3 to the Export Control Order 2008, at the appropriate place insert—

"PL9901 Example quantum items, as follows:

a. quantum computers supporting 60 or more physical qubits;

b. parametric signal amplifiers."

EXPLANATORY NOTE

(This note is not part of the Regulations)

These Regulations amend the Export Control Order 2008 (S.I. 2008/3231) to add controls on cryogenic cooling systems.
"""


def test_inserted_schedule_text_defines_entries_of_the_amending_instrument(tmp_path):
    ex = _extract(tmp_path, INSERTED_SCHEDULE)
    part_of = _rels(ex, "part_of")
    assert {
        ("GB:PL9901", "GB:SI-2031-40"),
        ("GB:PL9901.a", "GB:SI-2031-40"),
        ("GB:PL9901.b", "GB:SI-2031-40"),
    } <= part_of
    assert ("GB:PL9901.b", "parametric_amplifier") in _rels(ex, "controls")
    # the Explanatory Note is read after the entry has closed, and is not its text
    assert ("GB:PL9901", "cryogenic_cooling") not in _rels(ex, "controls")
    named = {e.id for e in ex.entities if e.type == "Instrument"}
    # the Order is named by its title; its citation (S.I. 2008/3231) is its id (ingest.titles)
    assert {"GB:Export-Control-Act-2002", "GB:SI-2008-3231"} <= named


def test_a_fact_of_the_explanatory_note_counts_less_than_the_regulations(tmp_path):
    ex = _extract(tmp_path, INSERTED_SCHEDULE)
    note = ex.text.index("EXPLANATORY NOTE")
    inside = [r.confidence for r in ex.relations if r.start > note]
    before = [r.confidence for r in ex.relations if r.type == "part_of"]
    assert inside and max(inside) < max(before)


ALERT = """# Example quantum controls: our take

*Client Alert | Trade*

- **Quantum computers (ECCN 4A906).** The entry is said to capture machines with 34 or more physical qubits.
- **Wafer probers (ECCN 3B904).** Cryogenic wafer probers are now listed.

*This alert does not constitute legal advice.*
"""


def test_an_alerts_bullets_each_name_their_entry_as_hedged_claims(tmp_path):
    ex = _extract(tmp_path, ALERT, "alert.md")
    controls = _rels(ex, "controls")
    assert ("US:4A906", "quantum_computer") in controls
    assert ("US:3B904", "cryogenic_wafer_prober") in controls
    assert ("US:4A906", "cryogenic_wafer_prober") not in controls
    assert not _rels(ex, "part_of")  # an alert defines no entry
    assert all(r.confidence < 0.8 for r in ex.relations)


def test_a_bulleted_line_starts_a_block_of_its_own(tmp_path):
    path = tmp_path / "bullets.md"
    path.write_text("Intro line\n- first point\n- second point\n", encoding="utf-8")
    source = read_source(path)
    assert [source.block_text(b) for b in source.blocks] == ["Intro line", "- first point", "- second point"]


def test_mixed_xml_content_is_read_whole(tmp_path):
    path = tmp_path / "si.xml"
    path.write_text(
        '<Legislation xmlns="http://example.org/ns"><P><Text>an error of 10<Superior>−4</Superior> or less'
        "</Text></P></Legislation>",
        encoding="utf-8",
    )
    assert "10⁻⁴ or less" in read_source(path).text


def test_a_numbered_list_line_naming_an_entry_opens_it(tmp_path):
    text = NOTICE.replace("   GF-11  Quantum", "1. entry GF/11: Quantum").replace(
        "   GF-12  Cryogenic", "2. entry GF/12: Cryogenic"
    )
    ex = _extract(tmp_path, text)
    assert {s.split(":", 1)[1] for s, _ in _rels(ex, "part_of")} == {"GF/11", "GF/12"}


def test_an_open_general_authorisation_serves_the_destinations_it_names(tmp_path):
    text = NOTICE.replace(
        "3. Dilution",
        "4. Open General Authorisation OGA-2 is available for exports to Iceland and Chile.\n\n3. Dilution",
    )
    ex = _extract(tmp_path, text)
    served = {(s.split(":", 1)[1], d) for s, d in _rels(ex, "eligible_destination")}
    assert served == {("Open-General-Authorisation-OGA-2", "IS"), ("Open-General-Authorisation-OGA-2", "CL")}
