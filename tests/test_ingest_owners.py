"""Whose list a code is on, in texts of another jurisdiction: the EAR's 900-series
ECCNs are the United States' wherever they are cited; codes of the Wassenaar shape
belong to the document's list. Passages written for these tests."""

from __future__ import annotations

from extracting import extract_text

ORDER = """Order Amending the Export Control List

SOR/2024-112

Registered May 31, 2024

Regulatory Impact Analysis Statement

Cryogenic wafer probers, which the American list places in 3B904, remain uncontrolled here.
"""


def test_a_900_series_eccn_cited_in_a_canadian_order_is_the_us_entry(tmp_path):
    ex = extract_text(tmp_path, ORDER, "order.txt")
    codes = {e.id for e in ex.entities if e.type == "ControlEntry"}
    assert "US:3B904" in codes
    assert "CA:3B904" not in codes


def test_a_code_of_the_wassenaar_shape_keeps_the_documents_owner(tmp_path):
    text = ORDER.replace("3B904", "3A001")
    ex = extract_text(tmp_path, text, "order.txt")
    assert "CA:3A001" in {e.id for e in ex.entities if e.type == "ControlEntry"}


def test_states_a_clause_compares_with_do_not_lack_the_entry(tmp_path):
    text = (
        "# Client alert\n\n*Example & Partners LLP*\n\n"
        "Like Italy and the Netherlands, which list such refrigerators, Japan now controls them; unlike France, "
        "Canada has no counterpart to ECCN 3A904.\n"
    )
    ex = extract_text(tmp_path, text)
    lacking = {str(r.object) for r in ex.relations if r.type == "no_equivalent_in"}
    assert lacking == {"CA"}
