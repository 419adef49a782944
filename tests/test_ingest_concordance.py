"""Correspondences between lists in the words drafters use ("mirrors", "is derived from",
"is modelled on", "the counterpart of X is Y", "PL9014: ... the same bands as ..."), read
from the clause and its codes' owners; a clause that denies, compares or qualifies says
nothing. The notice is about a fictional state, written for these tests."""

from __future__ import annotations

from extracting import extract_text

NOTICE = """REPUBLIC OF TAVONIA (a fictional state, for testing)
Trade Controls Directorate

Notice to Exporters No. 3/2033

Issued: 9 March 2033

1. The Trade Controls Directorate adds the following entries to the Tavonia Control List:

   TV-Q1  Quantum computers supporting 60 or more physical qubits.
   TV-Q2  Cryogenic wafer probers.
   TV-Q3  Parametric signal amplifiers.
   TV-Q4  Dilution refrigerators.

2. Entry TV-Q1 is derived from US ECCN 4A906.a. TV-Q2 mirrors paragraph 3B904 of the United States list.

3. The American counterpart of TV-Q3 is ECCN 3A901.b.

4. TV-Q4 is modelled on ECCN 3A904 but sets a stricter limit. Neither Canada nor Japan has an equivalent of TV-Q4.
"""


def test_correspondence_in_several_phrasings(tmp_path):
    ex = extract_text(tmp_path, NOTICE, "notice.txt")
    pairs = {(r.subject.split(":", 1)[1], r.object) for r in ex.relations if r.type == "corresponds_to"}
    assert {("TV-Q1", "US:4A906.a"), ("TV-Q2", "US:3B904"), ("TV-Q3", "US:3A901.b")} <= pairs
    assert not any(s == "TV-Q4" for s, _ in pairs)  # "but sets a stricter limit"
    missing = {r.object for r in ex.relations if r.type == "no_equivalent_in" and r.subject.endswith("TV-Q4")}
    assert missing == {"CA", "JP"}
