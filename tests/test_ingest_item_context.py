"""Lettered paragraphs of a quoted piece of the Commerce Control List that no heading
opens: their ECCN comes from the siblings they cite by full number, or from a note led
by another ECCN's paragraph that the next letter follows; "[Reserved]" opens nothing.
The passages paraphrase the eCFR's layout in our own words."""

from __future__ import annotations

from extracting import extract_text

HEAD = "Title 15, Part 774, Supplement No. 1 to Part 774: The Commerce Control List\n\n"

STARTS_INSIDE = (
    HEAD
    + """b. Equipment designed for the purposes in paragraph a.;
b.1. Equipment of the first kind; or
b.2. Equipment of the second kind;
c. Equipment not specified by 6A005.b, designed for other purposes;
d. through y. [Reserved]
z. Other equipment, as follows:
z.1.a Equipment described in 6A005.b that also meets further parameters.
"""
)

HANDED_ON = (
    HEAD
    + """2B001 Machine tools, as follows (see List of Items Controlled).
Items:
a. Turning machines;
b. Milling machines;
c. Grinding machines;

3B001.b does not control equipment for research only.
c. Equipment designed for etching;
c.1. Equipment of one kind;
"""
)


def _entries(tmp_path, text: str) -> set[str]:
    ex = extract_text(tmp_path, text, "ccl.txt")
    return {e.id for e in ex.entities if e.type == "ControlEntry" and e.rule == "item.code"}


def test_paragraphs_before_any_heading_take_the_eccn_their_siblings_cite(tmp_path):
    found = _entries(tmp_path, STARTS_INSIDE)
    assert {"US:6A005.b", "US:6A005.b.1", "US:6A005.b.2", "US:6A005.c", "US:6A005.z", "US:6A005.z.1.a"} <= found
    assert "US:6A005.d" not in found  # "d. through y. [Reserved]"


def test_a_note_led_by_another_eccns_paragraph_hands_the_list_on(tmp_path):
    found = _entries(tmp_path, HANDED_ON)
    assert {"US:2B001.a", "US:2B001.b", "US:2B001.c", "US:3B001.c", "US:3B001.c.1"} <= found
    assert "US:2B001.c.1" not in found


REGTEXT = """<REGTEXT TITLE="15" PART="774">
<AMDPAR>12. In Supplement No. 1 to part 774, Category 3, revise ECCN 3B904 to read as follows:</AMDPAR>
<HD SOURCE="HD2">Supplement No. 1 to Part 774—The Commerce Control List</HD>
<P>
<E T="04">3B904 Cryogenic wafer probing equipment, as follows (see List of Items Controlled).</E>
</P>
<P>a. Cryogenic wafer probers of the first kind;</P>
<P>b. Cryogenic wafer probers of the second kind.</P>
</REGTEXT>
"""


def test_a_regtext_fragment_under_its_supplement_heading_is_that_parts_text(tmp_path):
    ex = extract_text(tmp_path, REGTEXT, "fragment.xml")
    parts = {(r.subject, r.object) for r in ex.relations if r.type == "part_of"}
    assert {("US:3B904.a", "US:15-CFR-774"), ("US:3B904.b", "US:15-CFR-774")} <= parts
