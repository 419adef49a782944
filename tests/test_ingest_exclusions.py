"""Scope exclusions in the phrasings drafters use: "are outside", "are excluded from",
"X but not Y, which remain uncontrolled", "the entries of ... do not apply to"; a figure's
"up to but not including" and a use "outside a laboratory" exclude nothing. The notice is
about a fictional state, written for these tests."""

from __future__ import annotations

from extracting import extract_text

NOTICE = """PRINCIPALITY OF OSTERWALD (a fictional state, for testing)
Export Control Office

Notice to Exporters No. 9/2032

Issued: 5 May 2032

1. The Export Control Office adds the following entries to the Osterwald Control List:

   OW-21  Quantum computers supporting from 40 up to but not including 90 physical qubits.
   OW-22  Quantum sensors designed for use outside a laboratory.
   OW-23  Cryogenic wafer probers.

2. Quantum annealers are excluded from OW-21.

3. Dilution refrigerators are outside OW-23.

4. OW-23 covers qubit devices but not the cryogenic cooling systems that hold them, which remain uncontrolled.

5. The entries of this list do not apply to parametric amplifiers.
"""


def _facts(tmp_path, kind: str) -> set[tuple[str, str]]:
    ex = extract_text(tmp_path, NOTICE, "notice.txt")
    return {(r.subject.split(":", 1)[1], r.object) for r in ex.relations if r.type == kind}


def test_exclusions_in_several_phrasings_scope_the_entry_or_the_list(tmp_path):
    excluded = _facts(tmp_path, "not_controlled")
    assert ("OW-21", "quantum_computer") in excluded
    assert ("OW-23", "cryogenic_cooling") in excluded
    assert any(s.startswith("Notice") and t == "parametric_amplifier" for s, t in excluded)


def test_but_not_negates_only_what_follows_it(tmp_path):
    assert ("OW-23", "quantum_computer_assembly") in _facts(tmp_path, "controls")
    assert ("OW-23", "cryogenic_cooling") not in _facts(tmp_path, "controls")


def test_limits_and_places_of_use_exclude_nothing(tmp_path):
    controls, excluded = _facts(tmp_path, "controls"), _facts(tmp_path, "not_controlled")
    assert ("OW-21", "quantum_computer") in controls
    assert ("OW-22", "quantum_sensor") in controls
    assert ("OW-22", "quantum_sensor") not in excluded
