"""Drafting conventions extraction reads in texts of any state, one rule family per test:
numbered sub-items of a gazette item, a series of statutory instruments of another state,
amendment instructions, question-and-answer headings, codes named with "entry", alerts
that discuss several instruments a paragraph each, thresholds as guidance pages write
them. Each text is written here for the test (fictional states where a list needs codes)."""

from __future__ import annotations

from extracting import extract_text

from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.thresholds import find_thresholds


def _extract(tmp_path, text: str, name: str = "doc.txt"):
    return extract_text(tmp_path, text, name)


def _rels(ex, kind: str, claims: bool = False) -> set[tuple[str, str]]:
    return {
        (r.subject.split(":", 1)[-1], str(r.object))
        for r in ex.relations
        if r.type == kind and (r.confidence < 0.8 if claims else r.confidence >= 0.5)
    }


def _owners(ex, kind: str = "ControlEntry") -> set[str]:
    return {e.id.split(":", 1)[0] for e in ex.entities if e.type == kind}


def _thresholds(text: str) -> set[tuple]:
    return {(t.parameter, t.op, round(t.value, 9), t.unit, t.condition_of) for t in find_thresholds(text)}


GAZETTE = """OSTERLAND GAZETTE, PART II (a fictional state)

Registration
OGS/2031-7 April 2, 2031

The Council of State of the Republic of Osterland, on the recommendation of the Minister of Trade,
makes the annexed Order Amending the Strategic Goods List.

1 The List is amended by adding the following after item 8800:

8801. Quantum items:
1. Quantum computers, as follows:
a. having 50 or more physical qubits;
b. having a C-NOT error of 0.2% or less;
2. Dilution refrigerators.

2 This Order comes into force on May 1, 2031.
"""


def test_numbered_sub_items_of_a_gazette_item_take_their_ids_from_it(tmp_path):
    ex = _extract(tmp_path, GAZETTE)
    parts = {s for s, _ in _rels(ex, "part_of")}
    assert {"8801", "8801.1", "8801.1.a", "8801.1.b", "8801.2"} <= parts
    assert ("8801.1.a", str({"parameter": "physical_qubits", "op": ">=", "value": 50.0, "unit": "count"})) in {
        (s, o) for s, o in _rels(ex, "has_threshold")
    }
    assert ("8801.2", "cryogenic_cooling") in _rels(ex, "controls")
    assert ("8801", "cryogenic_cooling") in _rels(ex, "controls")  # what an item controls, its entry does
    # the gazette is Osterland's, not Canada's, whose drafting it follows
    assert "CA" not in _owners(ex) and "CA" not in _owners(ex, "Instrument")
    assert ("OGS-2031-7", "council-of-state") in _rels(ex, "issued_by")


SI = """OSTERLANDIAN STATUTORY INSTRUMENTS (the Republic of Osterland, a fictional state)

2031 No. 12

The Export Control (Amendment) Regulations 2031

Made - - - - 3rd March 2031
Coming into force - - 1st April 2031

The Minister for Exports makes these Regulations.

1. Schedule 1 to the Export Control Order 2020 is amended as follows.
2. Omit entry OX-4 (quantum sensors).
"""


def test_a_statutory_instrument_of_another_state_and_its_omitted_entry(tmp_path):
    ex = _extract(tmp_path, SI)
    [(instrument, owner)] = {(r.subject, r.object) for r in ex.relations if r.type == "applies_in"}
    assert owner != "GB" and instrument.endswith("SI-2031-12")
    assert {o.split(":", 1)[-1] for _, o in _rels(ex, "amends")} == {"Export-Control-Order-2020"}
    assert ("OX-4", "quantum_sensor") in _rels(ex, "not_controlled")
    assert ("OX-4", "quantum_sensor") not in _rels(ex, "controls")
    assert ("SI-2031-12", "minister-for-exports") in _rels(ex, "issued_by")


def test_a_question_heading_gives_its_entry_to_the_answer(tmp_path):
    ex = _extract(
        tmp_path,
        "<html><body><p>Bureau of Industry and Security</p><h1>Guidance: questions and answers on 89 FR 72926</h1>"
        "<h2>What does ECCN 3B904 cover?</h2><p>It covers cryogenic wafer probers that test devices at 4.5 K or less."
        "</p><h2>Anything else?</h2><p>Cryogenic cooling systems are covered too.</p></body></html>",
        "page.html",
    )
    assert ("3B904", "cryogenic_wafer_prober") in _rels(ex, "controls")
    assert ("3B904", "cryogenic_cooling") not in _rels(ex, "controls")  # the next heading names no entry
    limits = [r.object for r in ex.relations if r.type == "has_threshold" and r.subject == "US:3B904"]
    assert [(t["parameter"], t["value"]) for t in limits] == [("operating_temperature", 4.5)]


def test_a_code_of_any_shape_named_with_entry_and_its_subject_in_parentheses(tmp_path):
    ex = _extract(
        tmp_path,
        "MINISTRY OF TRADE\nREPUBLIC OF OSTERLAND (a fictional state)\n\nNotice to Exporters No. 4/2031\n\n"
        "1. A licence is needed for quantum sensors under entry OX-12.\n\n"
        "2. Qubit chips (entry OX-13) need a licence for every destination.\n",
    )
    assert ("OX-12", "quantum_sensor") in _rels(ex, "controls")
    assert ("OX-13", "quantum_computer_assembly") in _rels(ex, "controls")
    assert {"OX-12", "OX-13"} <= {e.id.split(":", 1)[-1] for e in ex.entities if e.type == "ControlEntry"}


ALERT = """# Two lists compared

*Client alert. This alert is not legal advice.*

**Canada.** The Governor in Council made SOR/2024-112 on May 31, 2024, adding item 5506.
It reportedly does not reach parametric amplifiers.

**United Kingdom.** SI 2024/346 is said to have taken effect on April 1, 2024.
"""


def test_an_alert_paragraph_speaks_of_the_one_instrument_it_cites(tmp_path):
    ex = _extract(tmp_path, ALERT, "alert.md")
    claims = {(r.type, r.subject, str(r.object)) for r in ex.relations if r.confidence < 0.8}
    assert {
        ("applies_in", "CA:SOR-2024-112", "CA"),
        ("adopted_on", "CA:SOR-2024-112", "2024-05-31"),
        ("issued_by", "CA:SOR-2024-112", "governor-in-council"),
        ("not_controlled", "CA:SOR-2024-112", "parametric_amplifier"),
        ("applies_in", "GB:SI-2024-346", "GB"),
        ("effective_on", "GB:SI-2024-346", "2024-04-01"),
    } <= claims
    assert not [r for r in ex.relations if r.confidence >= 0.8]  # an alert states nothing as law
    assert "CA:5506" in {e.id for e in ex.entities if e.type == "ControlEntry"}


def test_a_bullet_list_of_coded_entries_and_a_bare_code_as_subject(tmp_path):
    ex = _extract(
        tmp_path,
        "# Osterland: export decree (qharmony summary, fictional state)\n\nJurisdiction: Republic of Osterland\n"
        "Instrument: Export Decree\nCitation: Decree No. 3/2031\n\nA summary for testing.\n\n"
        "The Decree sets out two entries:\n\n- OX-20, dilution refrigerators giving 400 µW or more at 0.1 K;\n"
        "- OX-21, quantum computers with 60 or more physical qubits.\n\nOX-20 matches ECCN 3A904 of the US list.\n",
        "summary.md",
    )
    assert {("OX-20", "cryogenic_cooling"), ("OX-21", "quantum_computer")} <= _rels(ex, "controls")
    assert {"OX-20", "OX-21"} <= {s for s, _ in _rels(ex, "part_of")}
    assert ("OX-20", "US:3A904") in _rels(ex, "corresponds_to")


def test_thresholds_as_guidance_writes_them():
    assert _thresholds("a C-NOT error of 0.1% or less") == {("cnot_error", "<=", 0.001, "ratio", "")}
    assert _thresholds("a quantum computer with 34 to fewer than 100 physical qubits") == {
        ("physical_qubits", ">=", 34.0, "count", ""),
        ("physical_qubits", "<", 100.0, "count", ""),
    }
    assert _thresholds("at least 600 µW of cooling power at or below 0.1 K") == {
        ("cooling_power", ">=", 0.0006, "W", ""),
        ("temperature", "<=", 0.1, "K", "cooling_power"),
    }
    # a figure of the next item, or a limit of another kind, is no condition of the one before
    assert ("operating_temperature", "<=", 4.5, "K", "") in _thresholds(
        "quantum computers with 34 or more physical qubits and CMOS circuits rated for 4.5 K or less"
    )
    assert ("cnot_error", "<=", 0.0001, "ratio", "") in _thresholds(
        "100 physical qubits is controlled when its C-NOT error is 10<sup>-4</sup> or less"
    )
    assert _thresholds("Cryocoolers maintaining a temperature below 4 K") == {
        ("maintained_temperature", "<", 4.0, "K", "")
    }


def test_a_unit_symbol_before_a_full_stop_ends_the_sentence():
    doc = load_pipeline()("Entry OX-7 works at 0.1 K. OX-7 is the counterpart of ECCN 3A904.")
    assert [s.text for s in doc.sents] == ["Entry OX-7 works at 0.1 K.", "OX-7 is the counterpart of ECCN 3A904."]


def test_a_lead_in_that_opens_a_list_gives_its_entry_to_the_items(tmp_path):
    ex = _extract(
        tmp_path,
        "<html><body><p>Bureau of Industry and Security</p><h1>Guidance on 89 FR 72926: what you need to know</h1>"
        "<p>ECCN 3C907 covers epitaxial materials having a layer of any of the following:</p><ul>"
        "<li>silicon with an isotopic impurity less than 0.08%;</li><li>germanium with an isotopic impurity less "
        "than 0.08%.</li></ul><p>Cryogenic cooling systems are covered elsewhere.</p></body></html>",
        "page.html",
    )
    assert _rels(ex, "controls") == {("3C907", "isotopically_enriched_material")}  # the list ended before
    limits = {(t["parameter"], t["op"], t["value"]) for s, t in _raw(ex, "has_threshold") if s == "US:3C907"}
    assert limits == {("isotopic_impurity", "<", 0.0008)}


def _raw(ex, kind: str) -> list[tuple[str, object]]:
    return [(r.subject, r.object) for r in ex.relations if r.type == kind]


def test_a_question_line_ends_its_sentence_and_a_bare_code_named_before_is_an_entry(tmp_path):
    doc = load_pipeline()("Q: What does item 5506 control?\nA: Item 5506 controls quantum computers.")
    assert len(list(doc.sents)) == 2
    ex = _extract(
        tmp_path,
        "MINISTRY OF TRADE\nREPUBLIC OF OSTERLAND (a fictional state)\n\nNotice to Exporters No. 5/2031\n\n"
        "1. Entry OX-30 controls quantum computers with 40 or more physical qubits.\n\n"
        "2. Quantum annealers are not caught by OX-30.\n",
    )
    assert ("OX-30", "quantum_computer") in _rels(ex, "not_controlled")
