"""Facts in running prose: a code named "for" a technology is an entry for it, each code
with its own; passages written for these tests."""

from __future__ import annotations

from extracting import extract_text

ALERT = "# Client alert\n\n*Example & Partners LLP*\n\n"


def _controls(ex) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == "controls"}


def test_each_code_named_for_a_technology_controls_that_one(tmp_path):
    text = ALERT + (
        "The rule added ECCN 3A904 for cryogenic cooling systems and ECCN 3B904 for cryogenic wafer probers.\n"
    )
    assert _controls(extract_text(tmp_path, text)) == {
        ("US:3A904", "cryogenic_cooling"),
        ("US:3B904", "cryogenic_wafer_prober"),
    }


def test_a_for_after_other_words_is_a_purpose(tmp_path):
    text = ALERT + "ECCN 4D906 covers software designed for quantum computers.\n"
    assert ("US:4D906", "quantum_computer") not in _controls(extract_text(tmp_path, text))


def test_nominal_and_phrasal_control_cues(tmp_path):
    text = ALERT + (
        "Coverage of dilution refrigerators is, we understand, limited under ECCN 3A904.\n\n"
        "Cryogenic wafer probers fall within ECCN 3B904.\n"
    )
    assert _controls(extract_text(tmp_path, text)) == {
        ("US:3A904", "cryogenic_cooling"),
        ("US:3B904", "cryogenic_wafer_prober"),
    }


def test_a_negated_phrasal_cue_is_no_control(tmp_path):
    text = ALERT + "Dilution refrigerators do not fall under ECCN 4A906.\n"
    assert ("US:4A906", "cryogenic_cooling") not in _controls(extract_text(tmp_path, text))


def _limits(ex) -> set[tuple[str, str, str]]:
    return {(r.subject, r.object["parameter"], r.object["op"]) for r in ex.relations if r.type == "has_threshold"}


def test_a_negation_in_another_clause_leaves_the_codes_own_limits(tmp_path):
    """ "Paragraph X covers ... 50 or more qubits ...; the heading's machines do not include
    annealers": the negation is the second clause's; the first states X's limits."""
    text = ALERT + (
        "Paragraph 4A906.a.2 reaches systems of 50 or more physical qubits with a C-NOT error of "
        "1 × 10⁻³ or less; quantum computers built for annealing are not included.\n"
    )
    assert _limits(extract_text(tmp_path, text)) == {
        ("US:4A906.a.2", "physical_qubits", ">="),
        ("US:4A906.a.2", "cnot_error", "<="),
    }


def test_limits_in_the_codes_own_negated_clause_are_not_its_limits(tmp_path):
    text = ALERT + (
        "ECCN 4A906 does not reach quantum computers of fewer than 34 physical qubits; the rest are caught.\n"
    )
    assert not _limits(extract_text(tmp_path, text))


def test_a_technology_in_a_code_is_that_entrys(tmp_path):
    """ "parametric amplifiers in 3A901.b and wafer probers under ECCN 3B904 show IEC": each
    technology belongs to the code after its "in"/"under", with no control verb."""
    text = ALERT + (
        "On the list, parametric amplifiers in 3A901.b and cryogenic wafer probers under ECCN 3B904 show "
        "IEC as available.\n"
    )
    assert _controls(extract_text(tmp_path, text)) == {
        ("US:3A901.b", "parametric_amplifier"),
        ("US:3B904", "cryogenic_wafer_prober"),
    }


def test_a_purpose_before_in_and_a_place_after_it_pair_nothing(tmp_path):
    text = ALERT + "Software for quantum computers in 4D906 is old news; quantum computers in Canada are not.\n"
    assert ("US:4D906", "quantum_computer") not in _controls(extract_text(tmp_path, text))


def _denied(ex) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == "not_controlled"}


CANADA = "# Client alert\n\n*Example & Partners LLP*\n\nUnder SOR/2024-112, Canada acts.\n\n"


def test_it_after_the_codes_sentence_carries_the_codes_negation(tmp_path):
    """ "Item 5507 covers ... . Unlike the UK rule, it does not seem to catch ...": the pronoun
    after the code's own sentence is the entry; a hedge inside the negation keeps it one."""
    text = CANADA + (
        "Item 5507 is broad: it covers quantum computers. Unlike the U.K. rule, it does not seem to catch "
        "cryogenic wafer probers.\n"
    )
    ex = extract_text(tmp_path, text)
    assert ("CA:5507", "cryogenic_wafer_prober") in _denied(ex)
    assert ("CA:5507", "quantum_computer") not in _denied(ex)


def test_it_after_a_sentence_about_something_else_is_not_the_code(tmp_path):
    text = CANADA + (
        "Item 5507 covers quantum computers. The order took effect in July. It does not seem to catch "
        "cryogenic wafer probers.\n"
    )
    assert ("CA:5507", "cryogenic_wafer_prober") not in _denied(extract_text(tmp_path, text))


def test_a_hyphenated_compound_names_the_technology(tmp_path):
    from qharmony.ingest.pipeline import load_pipeline

    doc = load_pipeline()("The dilution-refrigerator makers and the parametric-amplifier text.")
    assert [(e.text, e.ent_id_) for e in doc.ents if e.label_ == "TECHNOLOGY"] == [
        ("dilution-refrigerator", "cryogenic_cooling"),
        ("parametric-amplifier", "parametric_amplifier"),
    ]
