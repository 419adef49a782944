"""eCFR / Commerce Control List structure: entries, their sections, lettered
paragraphs, notes, owners, quantum vs non-quantum. Passages are written here in
eCFR style (our wording, varied); the slow tests read the real CCL from ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qharmony.ingest.extract import extract_documents
from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.readers import read_source

ROOT = Path(__file__).parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
CCL = SHARED / "us-ccl-2026-07-23.txt"

LIST = """Title 15, Part 774, Supplement No. 1 to Part 774: The Commerce Control List

4A906 Quantum computers, and assemblies and components therefor, as follows (see List of Items Controlled).

License Requirements
Reason for Control: NS, RS, AT
NS applies to entire entry: see § 742.4 of the EAR.

List Based License Exceptions (See Part 740 for a description of all license exceptions)
STA: may not be used to ship any item in this ECCN to Venezuela or North Korea 0A501 users.

List of Items Controlled
Related Controls: See ECCN 4D906 for software. For quantum sensors, see ECCN 6A998.
Items:
a. Quantum computers, as follows:
a.1. Machines supporting at least 34 but fewer than 100 physical qubits, with a C-NOT error not exceeding 1 × 10⁻⁴;
a.2. Machines supporting 2,000 or more physical qubits;
b. Qubit devices specially designed for items specified by 4A906.a;
Note: This ECCN does not apply to annealing quantum computers.

3A001 Electronic items, as follows.
Items:
b. Hetero-structure devices such as quantum well and super lattice devices, having all of the following:
b.1. A gain of more than 20 dB;
b.2. Operating at frequencies between 8 GHz and 12 GHz.
For parametric amplifiers not specified by 3A001.b, see ECCN 3A901.b.

3C907 Layered materials containing any of the following (see List of Items Controlled).
Items:
a. Silicon whose isotopic impurity is below 0,08 % of isotopes other than silicon-28;

4D906 "Software" specially designed or modified for items controlled by 4A906.b.

4E001 "Technology" for the development of equipment controlled by 4A (except 4A906) or 3C907 (except 3C907.a).
"""


@pytest.fixture(scope="module")
def ccl_style(tmp_path_factory):
    path = tmp_path_factory.mktemp("ecfr") / "list.txt"
    path.write_text(LIST, encoding="utf-8")
    (ex,) = list(extract_documents([read_source(path)], load_pipeline()))
    return ex


def _rels(ex, type_):
    return {
        (r.subject, r.object if not isinstance(r.object, dict) else _key(r.object))
        for r in ex.relations
        if r.type == type_
    }


def _key(t: dict) -> str:
    return f"{t['parameter']} {t['op']} {t['value']:g} {t['unit']}"


def test_lettered_paragraphs_take_their_full_id_and_thresholds(ccl_style):
    entries = {e.id for e in ccl_style.entities if e.type == "ControlEntry"}
    assert {"US:4A906", "US:4A906.a", "US:4A906.a.1", "US:4A906.a.2", "US:4A906.b"} <= entries
    thresholds = _rels(ccl_style, "has_threshold")
    assert {
        ("US:4A906.a.1", "physical_qubits >= 34 count"),
        ("US:4A906.a.1", "physical_qubits < 100 count"),
        ("US:4A906.a.1", "cnot_error <= 0.0001 ratio"),
        ("US:4A906.a.2", "physical_qubits >= 2000 count"),
    } <= thresholds
    assert not any(s == "US:4A906" for s, _ in thresholds)  # limits sit in the paragraphs


def test_the_owner_comes_from_the_citation_not_from_named_countries(ccl_style):
    owners = {e.id.split(":")[0] for e in ccl_style.entities if e.type == "ControlEntry"}
    assert owners == {"US"}
    [instrument] = [e for e in ccl_style.entities if e.type == "Instrument"]
    assert instrument.id.startswith("US:") and "774" in instrument.id


def test_pointers_and_related_controls_give_no_controls(ccl_style):
    controls = _rels(ccl_style, "controls")
    assert not any(o == "quantum_sensor" for _, o in controls)
    assert not any(s.startswith("US:3A001") for s, _ in controls)  # quantum well devices, a pointer


def test_scope_note_is_not_controlled_with_its_scope(ccl_style):
    [note] = [r for r in ccl_style.relations if r.type == "not_controlled"]
    assert (note.subject, note.object, note.qualifier) == ("US:4A906", "quantum_computer", "annealing")


def test_software_pointing_to_quantum_items_is_quantum_software(ccl_style):
    controls = _rels(ccl_style, "controls")
    assert ("US:4D906", "quantum_software") in controls
    assert not any(s == "US:4E001" for s, _ in controls)  # it excepts the quantum entries


def test_a_characteristic_threshold_names_the_material(ccl_style):
    assert ("US:3C907.a", "isotopically_enriched_material") in _rels(ccl_style, "controls")
    assert ("US:3C907.a", "isotopic_impurity < 0.0008 ratio") in _rels(ccl_style, "has_threshold")


def test_all_of_the_following_is_recorded(ccl_style):
    [b] = [e for e in ccl_style.entities if e.id == "US:3A001.b" and e.rule == "item.code"]
    assert b.attributes["combines"] == "all"


def test_an_eccn_that_controls_nothing_quantum_has_no_thresholds(ccl_style):
    # the quantum well devices of 3A001.b: their gain and band are no limits of a quantum entry
    limits = _rels(ccl_style, "has_threshold")
    assert not any(s.startswith("US:3A001") for s, _ in limits)
    assert not any(e.type == "Threshold" and e.id.startswith("US:3A001") for e in ccl_style.entities)
    assert ("US:4A906.a.2", "physical_qubits >= 2000 count") in limits


def test_every_parameter_name_is_in_the_shapes_vocabulary():
    from qharmony.ingest.parameters import vocabulary

    shapes = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    allowed = shapes.split("# the qh:parameterName values", 1)[1].split("sh:in (", 1)[1].split(")", 1)[0]
    assert set(vocabulary()) == {w.strip('"') for w in allowed.split()}


needs_corpus = pytest.mark.skipif(not CCL.exists(), reason=f"the real CCL is not at {CCL} (../shared/corpus absent)")


@pytest.fixture(scope="module")
def real_ccl():
    (ex,) = list(extract_documents([read_source(CCL)], load_pipeline()))
    return ex


@pytest.mark.slow
@needs_corpus
def test_real_ccl_quantum_entries_and_thresholds(real_ccl):
    gold = json.loads((ROOT / "bench" / "gold" / "ccl-quantum.json").read_text(encoding="utf-8"))
    entries = {e.id for e in real_ccl.entities if e.type == "ControlEntry"}
    assert {f"US:{c}" for c in gold["quantum_entries"]} <= entries
    got: dict[str, set] = {}
    for r in real_ccl.relations:
        if r.type == "has_threshold":
            t = r.object
            key = f"{t['parameter']} {t['op']} {float(t['value']):.12g} {t['unit']}"
            got.setdefault(r.subject, set()).add(key + (f" @ {t['condition_of']}" if t.get("condition_of") else ""))
    for code, expected in gold["thresholds"].items():
        want = set()
        for text in expected:
            head, _, cond = text.partition(" @ ")
            p, op, v, u = head.split()
            want.add(f"{p} {op} {float(v):.12g} {u}" + (f" @ {cond}" if cond else ""))
        assert got.get(f"US:{code}", set()) == want, code


@pytest.mark.slow
@needs_corpus
def test_real_ccl_has_one_owner_and_no_stray_quantum_facts(real_ccl):
    gold = json.loads((ROOT / "bench" / "gold" / "ccl-quantum.json").read_text(encoding="utf-8"))
    assert {e.id.split(":")[0] for e in real_ccl.entities if e.type == "ControlEntry"} == {"US"}
    quantum = gold["quantum_entries"]
    for r in real_ccl.relations:
        if r.type in ("controls", "not_controlled"):
            code = r.subject.split(":", 1)[1]
            holds = any(code == q or code.startswith(q + ".") or q.startswith(code + ".") for q in quantum)
            assert holds, (r.subject, r.object)


ECFR_XML = """<?xml version="1.0" encoding="UTF-8"?>
<ECFR><DIV1 N="15" TYPE="TITLE"><DIV5 N="774" TYPE="PART">
<HEAD>PART 774&#x2014;THE COMMERCE CONTROL LIST</HEAD>
<DIV9 N="1" TYPE="APPENDIX"><HEAD>Supplement No. 1 to Part 774&#x2014;The Commerce Control List</HEAD>
<P>4A906 Quantum computers and their assemblies, as follows.</P>
<P>License Requirements</P>
<P>Reason for Control: NS, AT</P>
<P>List of Items Controlled</P>
<P>a.1. Quantum computers of 34 or more physical qubits, C-NOT error 10<E T="51">&#x2212;4</E> or less;</P>
<CITA>[89 FR 72926, Sept. 6, 2024]</CITA>
</DIV9></DIV5></DIV1></ECFR>
"""


def test_ecfr_xml_keeps_superscripts_and_structure(tmp_path):
    path = tmp_path / "part774.xml"
    path.write_text(ECFR_XML, encoding="utf-8")
    source = read_source(path)
    assert source.text.startswith("15 CFR part 774")
    assert "10⁻⁴" in source.text
    (ex,) = list(extract_documents([source], load_pipeline()))
    assert ("US:4A906.a.1", "cnot_error <= 0.0001 ratio") in _rels(ex, "has_threshold")
    assert ("US:4A906", "NS") in _rels(ex, "reason_for_control")
    assert {e.id.split(":")[0] for e in ex.entities if e.type == "ControlEntry"} == {"US"}


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "us-ecfr-part740-2026-09-01-excerpt.xml").exists(), reason="../shared/corpus absent")
def test_real_ecfr_xml_excerpt_is_a_us_instrument():
    source = read_source(SHARED / "us-ecfr-part740-2026-09-01-excerpt.xml")
    assert source.text.startswith("15 CFR 740.24")
    (ex,) = list(extract_documents([source], load_pipeline()))
    # a section's text is that section; the rules its source note and text cite are named
    [instrument] = {e.id for e in ex.entities if e.type == "Instrument" and e.rule == "cfr.citation"}
    assert instrument == "US:15-CFR-740.24"
    assert ("issued_by", instrument, "bureau-of-industry-and-security") in {
        (r.type, r.subject, r.object) for r in ex.relations
    }


TABLE_MD = """Title 15, Part 774: Commerce Control List (extract, as a table)

| Entry | Goods | Parameters |
|---|---|---|
| 3A904.a | Cryogenic cooling systems | cooling power of 600 µW or more at 0.1 K or colder |
| 3B904 | Cryogenic wafer probing equipment | wafers of at least 100 mm |
"""

TABLE_HTML = """<html><body><h1>15 CFR part 774 extract</h1><table>
<tr><th>Entry</th><th>Goods</th><th>Parameters</th></tr>
<tr><td>4A906.a.1</td><td>Quantum computers</td><td>C-NOT error of 10<sup>-4</sup> or less</td></tr>
</table></body></html>"""


@pytest.mark.parametrize("name,text", [("t.md", TABLE_MD), ("t.html", TABLE_HTML)])
def test_table_rows_are_entries(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (ex,) = list(extract_documents([read_source(path)], load_pipeline()))
    controls, limits = _rels(ex, "controls"), _rels(ex, "has_threshold")
    if name.endswith(".md"):
        assert ("US:3A904.a", "cryogenic_cooling") in controls
        assert ("US:3A904.a", "cooling_power >= 0.0006 W") in limits
        assert ("US:3B904", "wafer_diameter >= 0.1 m") in limits
    else:
        assert ("US:4A906.a.1", "quantum_computer") in controls
        assert ("US:4A906.a.1", "cnot_error <= 0.0001 ratio") in limits
