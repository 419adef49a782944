"""Whose a text's instruments and entries are, when a state ISO 3166 does not list drafts in
the UK's or Canada's conventions: the state the text says it is of (masthead, a heading that
names its series or gazette, its enacting formula or its issuing authority "of X"), never the
state whose citation style it borrows; the SI and SOR numbers it cites are that state's too.
Genuine UK and Canadian texts keep GB and CA, also when they name another state as a
destination. Passages written for these tests, about states invented for them."""

from __future__ import annotations

import pytest
from extracting import entity_ids as _ids
from extracting import extract_text


def _facts(ex, kind: str) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind and r.confidence >= 0.5}


def _code(ex, name: str) -> str:
    """The code the extraction gave the invented state ``name`` (a user-assigned one)."""
    [code] = {e.id for e in ex.entities if e.type == "Jurisdiction" and e.id not in ("GB", "CA", "JP")}
    assert code[0] in "XQ", (name, code)
    return code


KESTRELIA_SI = """STATUTORY INSTRUMENTS OF THE REPUBLIC OF KESTRELIA (a fictional state, for testing)

2026 No. 311

EXPORTS AND IMPORTS

The Strategic Goods (Quantum Items) Regulations 2026

Made 2nd March 2026

Coming into force 1st April 2026

The Minister for Trade of the Republic of Kestrelia, in exercise of the powers conferred by section
4 of the Strategic Goods Act 2019(a), makes the following Regulations.

1. The Strategic Goods Order 2021(b) is amended as follows.

2. After entry KQ-10 insert the following entries:

KQ-11. Quantum computers having 40 or more physical qubits.

(a) 2019 c. 7.
(b) S.I. 2021/95.
"""

KESTRELIA_SI_HEADING_AFTER_NUMBER = """2026 No. 312

STATUTORY INSTRUMENTS OF THE REPUBLIC OF KESTRELIA

EXPORTS AND IMPORTS

The Strategic Goods (Amendment) Regulations 2026

Made 2nd March 2026

Coming into force 1st April 2026

The Minister for Trade makes the following Regulations, which amend the Strategic Goods Order 2021
(S.I. 2021/95).
"""

VELLMARK_GAZETTE = """VELLMARK GAZETTE PART II (a fictional state, for testing)

Registration
SOR/2026-77 March 4, 2026

STRATEGIC EXPORTS ACT

Order Amending the Strategic Export Control List

The Council of State of the Principality of Vellmark, on the recommendation of the Minister of
Foreign Affairs, makes the annexed Order Amending the Strategic Export Control List under section 6
of the Strategic Exports Act.

1. The Strategic Export Control List is amended by adding the following after item 7100:

7101. Dilution refrigerators designed to maintain temperatures at or below 0.1 K.

2. This Order comes into force on the day on which it is registered.
"""

VELLMARK_ORDER_FORMULA_ONLY = """Registration
SOR/2026-78 March 5, 2026

STRATEGIC EXPORTS ACT

Order Amending the Strategic Export Control List

The Council of State of the Principality of Vellmark, on the recommendation of the Minister of
Foreign Affairs, makes the annexed Order.

1. Item 7101 of the Strategic Export Control List (SOR/2026-77) is amended by replacing "0.1 K" with "0.2 K".

2. This Order comes into force on the day on which it is registered.
"""

TARNAVIA_NOTICE = """# Ministry of Economy of the Commonwealth of Tarnavia (a fictional state, for testing)

## Notice to Exporters No. 4/2026

The Ministry announces that the Strategic Goods Order (S.I. 2021/95) now lists the following:

- TQ-3, quantum sensors.

This notice comes into force on 1 May 2026.
"""

TARNAVIA_SI_HEADING = """\
# Commonwealth of Tarnavia (a fictional state, for testing) Statutory Instruments 2026 No. 88

Ministry of Economy of the Commonwealth of Tarnavia

The Ministry gives notice to exporters that the following entries are controlled:

- TQ-5, quantum computers.

This instrument comes into force on 1 July 2026.
"""

VELLMARK_GUIDANCE = """<html><body>
<h1>Principality of Vellmark (a fictional state, for testing) Statutory Instruments 2026 No. 902</h1>
<p>Guidance from the Export Control Office of the Principality of Vellmark on the Strategic Goods
(Quantum) Order 2026.</p>
<h2>What does the Order control?</h2>
<p>The Order (S.I. 2026/902) controls quantum computers under entry VQ-4.</p>
<h2>When did it start to apply?</h2>
<p>It came into force on 3 June 2026.</p>
</body></html>
"""

UK_SI = """STATUTORY INSTRUMENTS

2026 No. 401

EXPORTS AND IMPORTS

The Export Control (Amendment) Order 2026

Made 2nd March 2026

Laid before Parliament 4th March 2026

Coming into force 1st April 2026

The Secretary of State makes the following Order in exercise of the powers conferred by
sections 1 and 2 of the Export Control Act 2002.

1. The Export Control Order 2008 (S.I. 2008/3231) is amended as follows.
Exports to the Republic of Kestrelia are not affected. Goods shipped to Japan remain licensable.
"""

CANADA_ORDER = """Registration
SOR/2026-12 January 9, 2026

EXPORT AND IMPORT PERMITS ACT

Order Amending the Export Control List

His Excellency the Governor General in Council, on the recommendation of the Minister of Foreign
Affairs, makes the annexed Order.

1. The Export Control List is amended by adding item 5506 for exports to the Principality of Vellmark.

This Order comes into force on the day on which it is registered.
"""

UK_GUIDANCE = """<html><body>
<h1>Export Control Joint Unit: guidance on the Export Control (Amendment) Order 2026</h1>
<h2>What does the Order change?</h2>
<p>SI 2026/401 adds quantum computers to the UK Strategic Export Control Lists. Exports to the
Principality of Vellmark need a licence.</p>
<h2>When did it start to apply?</h2>
<p>It came into force on 1 April 2026.</p>
</body></html>
"""


@pytest.mark.parametrize(
    ("text", "name", "instrument", "entries", "cited"),
    [
        (KESTRELIA_SI, "si.txt", "SI-2026-311", {"KQ-11"}, {"SI-2021-95"}),
        (KESTRELIA_SI_HEADING_AFTER_NUMBER, "si.txt", "SI-2026-312", set(), {"SI-2021-95"}),
        (VELLMARK_GAZETTE, "gazette.txt", "SOR-2026-77", {"7101"}, set()),
        (VELLMARK_ORDER_FORMULA_ONLY, "gazette.txt", "SOR-2026-78", set(), {"SOR-2026-77"}),
        (TARNAVIA_NOTICE, "notice.md", "Notice-to-Exporters-No.-4-2026", {"TQ-3"}, {"SI-2021-95"}),
        (TARNAVIA_SI_HEADING, "notice.md", "SI-2026-88", {"TQ-5"}, set()),
        (VELLMARK_GUIDANCE, "page.html", "SI-2026-902", set(), set()),
    ],
)
def test_a_fictional_state_in_borrowed_drafting_owns_its_instruments_and_entries(
    tmp_path, text, name, instrument, entries, cited
):
    ex = extract_text(tmp_path, text, name)
    state = _code(ex, name)
    assert _facts(ex, "applies_in") == {(f"{state}:{instrument}", state)}
    assert {f"{state}:{e}" for e in entries} <= _ids(ex, "ControlEntry")
    assert {f"{state}:{c}" for c in cited} | {f"{state}:{instrument}"} <= _ids(ex, "Instrument")
    # the drafting's country is never minted, nor given anything, when the text does not name it
    assert not _ids(ex, "Jurisdiction") & {"GB", "CA"}
    owners = {i.split(":")[0] for i in _ids(ex, "Instrument") | _ids(ex, "ControlEntry")}
    assert owners == {state}


def test_what_the_text_amends_is_its_own_states(tmp_path):
    ex = extract_text(tmp_path, VELLMARK_ORDER_FORMULA_ONLY, "gazette.txt")
    state = _code(ex, "Vellmark")
    assert (f"{state}:SOR-2026-78", f"{state}:SOR-2026-77") in _facts(ex, "amends")


def test_a_parenthetical_aside_is_no_part_of_a_name_or_citation(tmp_path):
    ex = extract_text(tmp_path, VELLMARK_GUIDANCE, "page.html")
    assert not any("fictional" in i.lower() for i in _ids(ex, "Instrument") | _ids(ex, "Authority"))
    assert "export-control-office" in _ids(ex, "Authority")  # its own name, without the state


@pytest.mark.parametrize(
    ("text", "name", "instrument", "owner"),
    [
        (UK_SI, "si.txt", "GB:SI-2026-401", "GB"),
        (CANADA_ORDER, "gazette.txt", "CA:SOR-2026-12", "CA"),
        (UK_GUIDANCE, "page.html", "GB:SI-2026-401", "GB"),
    ],
)
def test_real_uk_and_canadian_texts_keep_their_owner_beside_a_named_destination(
    tmp_path, text, name, instrument, owner
):
    ex = extract_text(tmp_path, text, name)
    assert _facts(ex, "applies_in") == {(instrument, owner)}
    # the invented state named as a destination is a Jurisdiction that owns nothing
    assert len(_ids(ex, "Jurisdiction") - {"GB", "CA", "JP"}) == 1
    owners = {i.split(":")[0] for i in _ids(ex, "Instrument") | _ids(ex, "ControlEntry")}
    assert owners == {owner}


UK_SI_NAMING_A_STATE_IN_ITS_TITLE = """STATUTORY INSTRUMENTS

2026 No. 402

EXPORTS AND IMPORTS

The Export Control (Japan) (Amendment) Regulations 2026

Made 2nd March 2026

Coming into force 1st April 2026

The Secretary of State makes the following Regulations.
"""


def test_a_uk_si_whose_title_names_another_state_stays_the_uks(tmp_path):
    ex = extract_text(tmp_path, UK_SI_NAMING_A_STATE_IN_ITS_TITLE, "si.txt")
    assert _facts(ex, "applies_in") == {("GB:SI-2026-402", "GB")}


ORVANIA_ORDER_ASIDE = """Registration
SOR/2027-5 March 3, 2027

STRATEGIC EXPORTS ACT
(Duchy of Orvania, a fictional state, for testing)

Order Amending the Strategic Exports List

The Regent in Council, on the recommendation of the Minister of Commerce, makes the annexed Order.

1 The Strategic Exports List is amended by adding the following after item 3100:

3101. Quantum computers having 30 or more physical qubits.
"""

CANADA_ORDER_TITLED_FOR_A_DESTINATION = """Registration
SOR/2027-6 March 3, 2027

EXPORT AND IMPORT PERMITS ACT

Order Respecting Exports to the Duchy of Orvania

His Excellency the Governor General in Council, on the recommendation of the Minister of Foreign
Affairs, makes the annexed Order.

1 The Export Control List is amended by adding item 5507.
"""


def test_a_head_line_that_is_only_a_states_name_says_whose_the_text_is(tmp_path):
    ex = extract_text(tmp_path, ORVANIA_ORDER_ASIDE, "gazette.txt")
    state = _code(ex, "Orvania")
    assert _facts(ex, "applies_in") == {(f"{state}:SOR-2027-5", state)}
    assert f"{state}:3101" in _ids(ex, "ControlEntry")
    assert not _ids(ex, "Jurisdiction") & {"GB", "CA"}


def test_a_title_naming_a_destination_state_leaves_the_order_canadas(tmp_path):
    ex = extract_text(tmp_path, CANADA_ORDER_TITLED_FOR_A_DESTINATION, "gazette.txt")
    assert _facts(ex, "applies_in") == {("CA:SOR-2027-6", "CA")}


#: an SI series of a fictional state whose enacting formula is in the passive, and whose
#: articles speak of "this article" as UK orders do
_PASSIVE_SI = """STATUTORY INSTRUMENTS

2027 No. 12

EXPORT CONTROL

The Strategic Goods (Sensors) Order 2027

Made                              4th May 2027
Coming into force                 1st June 2027

This Order is made by the Minister for External Trade of the Duchy of Vessaria (a fictional state, for
testing) under section 3 of the Strategic Goods Act 2015, for the purpose of giving effect to the
controls agreed among the participating states of the Wassenaar Arrangement.

1. A licence is required under this article for the export of goods in the Schedule.

EXPLANATORY NOTE

Vessaria participates in the Wassenaar Arrangement.
"""


def test_a_passive_enacting_formula_names_the_maker_and_its_state(tmp_path):
    ex = extract_text(tmp_path, _PASSIVE_SI, "si.txt")
    instruments = {e.id for e in ex.entities if e.type == "Instrument"}
    [code] = {i.split(":")[0] for i in instruments if i.endswith("SI-2027-12")}
    assert code not in ("GB", "")
    issued = {(r.subject, r.object) for r in ex.relations if r.type == "issued_by"}
    assert (f"{code}:SI-2027-12", "minister-for-external-trade") in issued
    assert (f"{code}:SI-2027-12", "wassenaar-arrangement") in {
        (r.subject, r.object) for r in ex.relations if r.type == "implements"
    }
    assert (code, "wassenaar-arrangement") in {(r.subject, r.object) for r in ex.relations if r.type == "party_to"}
    # "under this article" is the order's own article, not an essay's masthead: nothing is a claim
    assert not any(r.rule.startswith("claim.") for r in ex.relations)


def test_a_head_note_that_the_state_is_fictional_says_whose_the_text_is(tmp_path):
    """Canadian drafting with no state in its masthead or formula: the note under the title
    saying which state is fictional makes the order that state's, not Canada's."""
    text = (
        "Registration\nSOR/2029-8 June 2, 2029\n\nEXPORT AND IMPORT PERMITS ACT\n\n"
        "Order Amending the Export Control List\n\n"
        "(The Isles of Corvenna are a fictional state; this order is written for testing.)\n\n"
        "P.C. 2029-77 June 1, 2029\n\n"
        "The Governor in Council, on the recommendation of the Minister of Trade, makes the annexed Order.\n"
    )
    ex = extract_text(tmp_path, text, "gazette.txt")
    [(ident, code)] = {(r.subject, r.object) for r in ex.relations if r.type == "applies_in"}
    assert ident == f"{code}:SOR-2029-8" and code not in ("CA", "GB")
