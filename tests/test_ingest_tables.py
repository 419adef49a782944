"""Entries set as table rows (pipe tables, HTML tables, a Federal Register GPOTABLE, a
definition list) and as bulleted lines: the head row names the code column and the
figures below it; a letter path is a paragraph of the open entry. The passages are
fictional states, or restate the reference set, written for these tests."""

from __future__ import annotations

from extracting import extract_text


def _extract(tmp_path, text: str, name: str = "doc.md"):
    return extract_text(tmp_path, text, name)


def _rels(ex, kind: str) -> set[tuple]:
    return {(r.subject.split(":", 1)[1], str(r.object)) for r in ex.relations if r.type == kind}


def _limits(ex) -> set[tuple]:
    return {
        (r.subject.split(":", 1)[1], r.object["parameter"], r.object["op"], r.object["value"])
        for r in ex.relations
        if r.type == "has_threshold"
    }


SUMMARY = """# Osterland: list amendment (fictional)

Jurisdiction: Republic of Osterland
Instrument: List Amendment
Citation: Decree 4/2031
Authority: Ministry of Trade

| No. | Control code | Goods | Limit |
|---|---|---|---|
| 1 | **OS-9.1** (new) | Quantum computers | 70 or more physical qubits |
| 2 | OS-9.2 | Dilution refrigerators | cooling power of 300 µW or more |
"""


def test_the_head_row_names_the_code_column_and_a_code_cell_may_carry_other_words(tmp_path):
    ex = _extract(tmp_path, SUMMARY)
    assert {"OS-9.1", "OS-9.2"} <= {e.id.split(":", 1)[1] for e in ex.entities if e.type == "ControlEntry"}
    assert {("OS-9.1", "quantum_computer"), ("OS-9.2", "cryogenic_cooling")} <= _rels(ex, "controls")
    assert ("OS-9.1", "physical_qubits", ">=", 70.0) in _limits(ex)
    assert not any(e.id.endswith(":1") for e in ex.entities if e.type == "ControlEntry")  # the row number


GPOTABLE = """<RULE><PREAMB>
<AGENCY TYPE="S">DEPARTMENT OF COMMERCE</AGENCY><SUBAGY>Bureau of Industry and Security</SUBAGY>
<CFR>15 CFR Part 774</CFR>
<AGY><HD SOURCE="HED">AGENCY:</HD><P>Bureau of Industry and Security, Commerce.</P></AGY>
</PREAMB>
<SUPLINF><PRTPAGE P="72926"/><P>Tables follow.</P></SUPLINF>
<REGTEXT PART="774" TITLE="15">
<AMDPAR>In Supplement No. 1 to part 774, Category 4, add ECCN 4A906 to read as follows:</AMDPAR>
<P>4A906 Quantum computers, as follows.</P>
<P>a. Quantum computers, as set out in the following table:</P>
<GPOTABLE COLS="3"><BOXHD><CHED H="1">Paragraph</CHED><CHED H="1">Physical qubits</CHED>
<CHED H="1">C-NOT error</CHED></BOXHD>
<ROW><ENT I="01">a.4</ENT><ENT>350 or more but fewer than 500</ENT><ENT>3 × 10<E T="51">−3</E> or less</ENT></ROW>
</GPOTABLE>
</REGTEXT></RULE>
"""


def test_a_gpotable_row_led_by_a_letter_path_is_a_paragraph_with_its_column_heads_limits(tmp_path):
    ex = _extract(tmp_path, GPOTABLE, "rule.xml")
    assert ("4A906.a.4", "quantum_computer") in _rels(ex, "controls")
    assert {
        ("4A906.a.4", "physical_qubits", ">=", 350.0),
        ("4A906.a.4", "physical_qubits", "<", 500.0),
        ("4A906.a.4", "cnot_error", "<=", 0.003),
    } <= _limits(ex)


DEFINITIONS = """<html><body>
<p>Kingdom of Wessmark (a fictional state, for testing) | Office of Strategic Trade</p>
<h1>Notice to Exporters No. 2/2031</h1>
<p>A licence is needed for the goods in the list below.</p>
<dl><dt>W-7</dt><dd>Parametric amplifiers with a noise figure less than 0.02 dB.</dd></dl>
</body></html>
"""


def test_a_definition_lists_term_and_description_are_an_entry(tmp_path):
    ex = _extract(tmp_path, DEFINITIONS, "notice.html")
    assert "| W-7 | Parametric amplifiers" in ex.text
    assert ("W-7", "parametric_amplifier") in _rels(ex, "controls")
    assert ("W-7", "noise_figure", "<", 0.02) in _limits(ex)


BULLETS = """KINGDOM OF WESSMARK (a fictional state, for testing)
State Export Control Agency

Circular 9/2031 on quantum goods

The State Export Control Agency issues this circular. The national list is extended by these entries:

- **Q-51** Quantum computers with 90 or more physical qubits.
- Q-52 Cryogenic wafer probers for testing devices at 4 K or less.

Exporters must comply with this circular from 1 March 2032.
"""


def test_bulleted_lines_after_a_closing_colon_are_entries_and_the_prose_after_them_is_not(tmp_path):
    ex = _extract(tmp_path, BULLETS, "circular.txt")
    assert {("Q-51", "quantum_computer"), ("Q-52", "cryogenic_wafer_prober")} <= _rels(ex, "controls")
    assert {r[0] for r in _rels(ex, "part_of")} == {"Q-51", "Q-52"}
    assert ("Circular-9-2031", "2032-03-01") in _rels(ex, "compliance_on")


GUIDANCE = """<html><head><title>Guidance on the quantum rule</title></head><body>
<h1>Guidance on the quantum rule</h1>
<p>The Bureau of Industry and Security published the rule 89 FR 72926. This page summarises it.</p>
<table><tr><th>ECCN</th><th>What it covers</th></tr>
<tr><td>ECCN 4A906 (see note)</td><td>Quantum computers</td></tr></table>
</body></html>
"""


def test_a_guidance_pages_table_names_entries_and_defines_none(tmp_path):
    ex = _extract(tmp_path, GUIDANCE, "guidance.html")
    assert ("4A906", "quantum_computer") in _rels(ex, "controls")
    assert not _rels(ex, "part_of")


CODE_SHAPES = """# Talvar: strategic goods list (fictional)

Jurisdiction: United Provinces of Talvar
Instrument: Strategic Goods Resolution
Citation: Resolution 7/2029

| Entry | Goods | Limit |
|---|---|---|
| 7K20 | Quantum computers | 45 or more physical qubits |
| TV-Q3 | Dilution refrigerators | cooling power of 350 µW or more |
"""


def test_under_an_entry_head_a_code_of_any_shape_leads_its_row(tmp_path):
    """ "7K20" (digit, letter, digits) and "TV-Q3" (a letter after the dash) are codes
    when the head row says the column holds entries."""
    ex = _extract(tmp_path, CODE_SHAPES)
    assert _rels(ex, "controls") == {("7K20", "quantum_computer"), ("TV-Q3", "cryogenic_cooling")}


def test_under_a_head_that_only_numbers_rows_a_code_of_no_known_shape_is_none(tmp_path):
    ex = _extract(tmp_path, CODE_SHAPES.replace("| Entry |", "| No. |"))
    assert _rels(ex, "controls") == {("TV-Q3", "cryogenic_cooling")}


COUNTERPARTS = """# Talvar: strategic goods list (fictional)

Jurisdiction: United Provinces of Talvar
Instrument: Strategic Goods Resolution
Citation: Resolution 7/2029

| Entry | Goods | Equivalent in the US list | See also |
|---|---|---|---|
| TV-Q3 | Dilution refrigerators | 3A904 | 3B904 |
| TV-Q4 | Quantum computers | ECCN 4A906 | — |
"""


def test_a_counterpart_column_pairs_each_row_with_the_code_under_it(tmp_path):
    """The column head says the codes under it match the row's entry ("Equivalent ...");
    a code in another column ("See also") is only named."""
    ex = _extract(tmp_path, COUNTERPARTS)
    assert _rels(ex, "corresponds_to") == {("TV-Q3", "US:3A904"), ("TV-Q4", "US:4A906")}
