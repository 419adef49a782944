"""Document understanding per genre, on passages written for these tests in varied
wording: the instrument, its authority, its jurisdiction and its dates come from the
genre's conventions, never from our header fields; essays and alerts give claims."""

from __future__ import annotations

import pytest
from extracting import extract_text


def _extract(tmp_path, text: str, name: str = "doc.md"):
    return extract_text(tmp_path, text, name)


def _rels(ex, kind: str) -> set[tuple]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind and r.confidence >= 0.5}


FEDERAL_REGISTER = """DEPARTMENT OF COMMERCE
Bureau of Industry and Security
15 CFR Parts 740 and 774
[Docket No. 250101-0001]
RIN 0694-AZ99
Revisions to the Commerce Control List for Example Items
AGENCY: Bureau of Industry and Security, Commerce.
ACTION: Final rule.
SUMMARY: In this rule, BIS revises the Commerce Control List. Items destined for Canada are discussed as an example.
DATES: This rule is effective March 3, 2025.
[FR Doc. 2025-00001 Filed 3-2-25; 8:45 am]
"""

EU_ACT = """COMMISSION IMPLEMENTING REGULATION

Commission Implementing Regulation (EU) 2031/77 of 4 February 2031 on an example list (fictional act for tests)

THE EUROPEAN COMMISSION,

Whereas: (1) Japan and Norway are mentioned here only as examples.

HAS ADOPTED THIS REGULATION:

Article 1

This Regulation shall enter into force on 1 March 2031.
"""

UK_SI = """STATUTORY INSTRUMENTS

2031 No. 12

EXPORTS AND IMPORTS

The Export Control (Example) Regulations 2031

Made 3rd January 2031

Laid before Parliament 4th January 2031

Coming into force 1st February 2031

The Secretary of State makes the following Regulations. Goods to France are unaffected.
"""

CANADA = """Registration
SOR/2031-5 January 9, 2031

EXPORT AND IMPORT PERMITS ACT

Order Amending the Export Control List (fictional example)

His Excellency the Governor General in Council, on the recommendation of the Minister of
Foreign Affairs, makes the annexed Order.

This Order comes into force on the day on which it is registered.

Exports to the United States are mentioned as an example.
"""

NOTICE = """Circular No. 9/2031 on dual-use goods (a fictional example)

The Export Licensing Office of the Kingdom of Lusitania announces the following to exporters.

Shipments to Germany and Japan are given as examples of destinations.

This circular comes into force on 15 April 2031.
"""


@pytest.mark.parametrize(
    ("text", "name", "jurisdiction", "instrument", "authority", "dates"),
    [
        (
            FEDERAL_REGISTER,
            "fr.txt",
            "US",
            "US:FR-Doc-2025-00001",
            "bureau-of-industry-and-security",
            {("effective_on", "2025-03-03")},
        ),
        (
            EU_ACT,
            "eu.txt",
            "EU",
            "EU:Implementing-Regulation-EU-2031-77",
            "european-commission",
            {("adopted_on", "2031-02-04"), ("effective_on", "2031-03-01")},
        ),
        (
            UK_SI,
            "uksi.txt",
            "GB",
            "GB:SI-2031-12",
            "secretary-of-state",
            {("adopted_on", "2031-01-03"), ("effective_on", "2031-02-01")},
        ),
        (
            CANADA,
            "ca.txt",
            "CA",
            "CA:SOR-2031-5",
            "governor-general-in-council",
            {("adopted_on", "2031-01-09"), ("effective_on", "2031-01-09")},
        ),
        (
            NOTICE,
            "notice.md",
            "XL",
            "XL:Circular-No.-9-2031",
            "export-licensing-office",  # its own name, without the state (gold guide)
            {("effective_on", "2031-04-15")},
        ),
    ],
)
def test_each_genre_names_its_instrument_owner_and_dates(
    tmp_path, text, name, jurisdiction, instrument, authority, dates
):
    ex = _extract(tmp_path, text, name)
    assert _rels(ex, "applies_in") == {(instrument, jurisdiction)}
    assert (instrument, authority) in _rels(ex, "issued_by")
    found = {
        (kind, obj) for kind in ("adopted_on", "effective_on") for subj, obj in _rels(ex, kind) if subj == instrument
    }
    assert found == dates
    # a country the text names as an example or destination owns nothing
    owners = {o for _, o in _rels(ex, "applies_in")}
    assert owners == {jurisdiction}


def test_a_client_alert_yields_claims_never_entries(tmp_path):
    ex = _extract(
        tmp_path,
        "# Client alert: new controls on quantum computers\n\nExample & Partners LLP\n\n"
        "## 4A906 Quantum computers\n\nECCN 4A906 controls quantum computers with 34 or more physical qubits.\n",
    )
    assert not [e for e in ex.entities if e.type == "ControlEntry" and e.rule.startswith(("heading", "item"))]
    claims = [r for r in ex.relations if r.type == "controls"]
    assert claims and all(r.confidence < 0.5 and r.rule.startswith("claim.") for r in claims)
    assert not _rels(ex, "applies_in")


def test_a_policy_essay_is_commentary_even_when_it_quotes_a_title_block(tmp_path):
    ex = _extract(
        tmp_path,
        "# Why lists drift: an essay\n\nIn this essay we argue that Commission Delegated Regulation (EU) 2025/2003 "
        "of 8 September 2025 came late. Article 1 of it matters less than its timing.\n",
    )
    # whose act the essay cites is reported by its citation, as a claim: never stated law
    assert _rels(ex, "applies_in") <= {("EU:Delegated-Regulation-EU-2025-2003", "EU")}
    assert all(r.confidence < 0.5 and r.rule.startswith("claim.") for r in ex.relations)


def test_header_field_summaries_remain_a_genre_of_their_own(tmp_path):
    ex = _extract(
        tmp_path,
        "# A summary\n\nJurisdiction: Japan\nInstrument: Example ordinance\nCitation: Example Ordinance No. 1\n"
        "Effective: 1 May 2031\n\nThis is a summary. "
        "The Ministry of Trade of the Republic of Korea is named only here.\n",
    )
    assert _rels(ex, "applies_in") == {("JP:Example-Ordinance-No.-1", "JP")}


@pytest.mark.parametrize(
    ("text", "jurisdiction", "authority", "dates"),
    [
        (
            "GOVERNMENT OF THE REPUBLIC OF OSTERLAND\nDirectorate General of Foreign Trade\n\n"
            "Trade Notice 04/2025\n\nDated: 3rd May, 2025\n\nThis notice shall come into effect on 1st June, 2025.\n",
            "XO",
            "directorate-general-of-foreign-trade",
            {("adopted_on", "2025-05-03"), ("effective_on", "2025-06-01")},
        ),
        (
            "Circular to exporters\n\nIssued by the Export Control Office of the Principality of Marsovia on "
            "June 1, 2025.\n\nThe circular applies from July 1, 2025. Exports to France are unaffected.\n",
            "XM",
            "export-control-office",
            {("adopted_on", "2025-06-01"), ("effective_on", "2025-07-01")},
        ),
        (
            "# Federal Office for Strategic Goods of the Republic of Ruritania\n\n"
            "## Notice 3/2025 on dual-use items\n\n"
            "Date of issue: 10 January 2025\n\nEntry into force: 1 February 2025\n\nThe Office publishes this list.\n",
            "XR",
            "federal-office-for-strategic-goods",
            {("adopted_on", "2025-01-10"), ("effective_on", "2025-02-01")},
        ),
    ],
)
def test_notices_in_other_house_styles(tmp_path, text, jurisdiction, authority, dates):
    ex = _extract(tmp_path, text, "notice.txt")
    [(instrument, owner)] = _rels(ex, "applies_in")
    assert owner == jurisdiction
    assert (instrument, authority) in _rels(ex, "issued_by")
    assert {(k, o) for k in ("adopted_on", "effective_on") for s, o in _rels(ex, k) if s == instrument} == dates


def test_a_printed_federal_register_page_gives_the_citation_and_publication_day(tmp_path):
    text = (
        "72001 Federal Register / Vol. 95, No. 12 / Tuesday, January 16, 2030 / Rules and Regulations\n\n"
        "DEPARTMENT OF COMMERCE\n\nBureau of Industry and Security\n\n15 CFR Part 774\n\n"
        "Example Controls on Imaginary Items\n\nAGENCY: Bureau of Industry and Security, Commerce.\n\n"
        "ACTION: Final rule.\n\nSUMMARY: An example for tests.\n\n"
        "DATES: This rule is effective February 1, 2030. Exporters must comply by March 1, 2030.\n"
    )
    ex = _extract(tmp_path, text, "fr.txt")
    assert _rels(ex, "applies_in") == {("US:95-FR-72001", "US")}
    dates = {(r.type, str(r.object)) for r in ex.relations if r.subject == "US:95-FR-72001" and r.object_type == "Date"}
    assert dates == {("adopted_on", "2030-01-16"), ("effective_on", "2030-02-01"), ("compliance_on", "2030-03-01")}


FR_XML = """<RULE>
<PREAMB>
<AGENCY TYPE="S">DEPARTMENT OF COMMERCE</AGENCY>
<SUBAGY>Bureau of Industry and Security</SUBAGY>
<CFR>15 CFR Parts 740 and 774</CFR>
<SUBJECT>Example Controls on Imaginary Items (fictional rule for tests)</SUBJECT>
<AGY><HD SOURCE="HED">AGENCY:</HD><P>Bureau of Industry and Security, Commerce.</P></AGY>
<ACT><HD SOURCE="HED">ACTION:</HD><P>Final rule.</P></ACT>
<DATES><HD SOURCE="HED">DATES:</HD><P><E T="03">Effective date:</E> This rule is effective May 4, 2031.</P></DATES>
</PREAMB>
<SUPLINF><PRTPAGE P="41000"/><P>Exports to Canada are discussed as an example.</P>
<REGTEXT PART="774" TITLE="15">
<AMDPAR>In Supplement No. 1 to part 774, ECCN 9A999 is added to read as follows:</AMDPAR>
<P>9A999 Quantum computers, as follows:</P>
<P>a. Supporting from 10 up to but not including 20 physical qubits;</P>
</REGTEXT>
</SUPLINF>
<FRDOC>[FR Doc. 2031-01234 Filed 5-3-31; 8:45 am]</FRDOC>
</RULE>"""


def test_federal_register_xml_is_the_rule_at_its_first_page_not_its_cfr_parts(tmp_path):
    """The rule is cited by volume (the FR Doc year) and first printed page; the CFR
    parts line names what it amends; entries in its REGTEXT are part of it."""
    ex = _extract(tmp_path, FR_XML, "rule.xml")
    rule = "US:96-FR-41000"
    assert _rels(ex, "applies_in") == {(rule, "US")}
    assert (rule, "bureau-of-industry-and-security") in _rels(ex, "issued_by")
    assert (rule, "2031-05-04") in _rels(ex, "effective_on")
    assert {("US:9A999", rule), ("US:9A999.a", rule)} <= _rels(ex, "part_of")
    limits = {(s, o) for s, o in _rels(ex, "has_threshold") if s == "US:9A999.a"}
    assert {o for _, o in limits} >= {str({"parameter": "physical_qubits", "op": "<", "value": 20.0, "unit": "count"})}
    assert "department-of-commerce" in {e.id for e in ex.entities if e.type == "Authority"}


GUIDANCE = """<html><body>
<div class="masthead">Licensing Office · Republic of Testavia (a fictional state, for tests)</div>
<h1>Questions and answers on Circular No. 4/2031</h1>
<p>Last updated 2 March 2032. This page explains Circular No. 4/2031; the circular prevails.</p>
<h2>When did the circular start to apply?</h2>
<p>On 1 February 2031. For exports to Country Group Z the requirements applied from 1 June 2031.</p>
<h2>Is a general licence available?</h2>
<p>Yes: General Licence GL-9 covers exports to Norway.</p>
</body></html>"""


def test_a_guidance_page_speaks_of_its_instrument_and_dates_only_itself(tmp_path):
    """The masthead's office issues the circular the page explains; the page's own date
    dates nothing; a licence it names is not defined by it."""
    ex = _extract(tmp_path, GUIDANCE, "page.html")
    (circular, owner), *_ = _rels(ex, "applies_in")
    assert circular.endswith(":Circular-No.-4-2031")
    assert (circular, "licensing-office") in _rels(ex, "issued_by")
    assert _rels(ex, "effective_on") == {(circular, "2031-02-01")}
    assert _rels(ex, "compliance_on") == {(circular, "2031-06-01")}
    assert not {o for _, o in _rels(ex, "adopted_on")} & {"2032-03-02"}
    assert not any(s.endswith("General-Licence-GL-9") for s, _ in _rels(ex, "part_of"))


def test_a_federal_register_web_page_gives_the_rule_from_its_document_details(tmp_path):
    text = (
        "# Example Controls on Imaginary Items (fictional, for tests)\n\n"
        "A Rule by the Industry and Security Bureau on 01/16/2030\n\n"
        "- Document Citation: 95 FR 72001\n- Agencies: Department of Commerce, Industry and Security Bureau\n"
        "- Dates: This rule is effective February 1, 2030.\n- Document Number: 2030-00001\n"
    )
    ex = _extract(tmp_path, text, "rule.md")
    rule = "US:95-FR-72001"
    assert _rels(ex, "applies_in") == {(rule, "US")}
    assert (rule, "bureau-of-industry-and-security") in _rels(ex, "issued_by")
    assert _rels(ex, "adopted_on") == {(rule, "2030-01-16")}
    assert _rels(ex, "effective_on") == {(rule, "2030-02-01")}


def test_an_ecfr_source_note_dates_the_section_and_its_amending_rules(tmp_path):
    text = (
        '<DIV8 N="740.99" TYPE="SECTION"><HEAD>§ 740.99 Example exception (fictional, for tests).</HEAD>'
        "<P>License Exception EXA authorizes nothing under the EAR.</P>"
        '<CITA TYPE="N">[95 FR 100, Jan. 2, 2030, as amended at 95 FR 900, Feb. 3, 2030]</CITA></DIV8>'
    )
    ex = _extract(tmp_path, text, "section.xml")
    section = "US:15-CFR-740.99"
    assert (section, "2030-01-02") in _rels(ex, "adopted_on")
    assert ("US:95-FR-900", section) in _rels(ex, "amends")
    assert ("US:95-FR-900", "2030-02-03") in _rels(ex, "adopted_on")


def test_codes_of_other_shapes_in_headings_tables_and_parentheses(tmp_path):
    """A fictional state's summary: an entry heading, a table under a Code column, and a
    code named in prose with its subject in parentheses, each an entry of that state."""
    text = (
        "# Testavia: export list (fictional)\n\nJurisdiction: Kingdom of Testavia (a fictional state)\n"
        "Instrument: Export List Order\nCitation: Order No. 2/2031\nIssuing authority: Export Control Office\n"
        "Entry into force: 1 May 2031\n\nA qharmony summary in our own words.\n\n"
        "## TV-1 Quantum computers\n\nEntry TV-1 controls quantum computers with 40 or more physical qubits.\n\n"
        "| Code | Item | Limits |\n|---|---|---|\n"
        "| TV-2.1 | Cryogenic wafer probers | test devices at 4 K or below |\n\n"
        "Exporters of TV-3 (dilution refrigerators) need a licence.\n"
    )
    ex = _extract(tmp_path, text, "summary.md")
    (order, state), *_ = _rels(ex, "applies_in")
    assert _rels(ex, "effective_on") == {(order, "2031-05-01")}
    assert (order, "export-control-office") in _rels(ex, "issued_by")
    controls = _rels(ex, "controls")
    assert {(f"{state}:TV-1", "quantum_computer"), (f"{state}:TV-2.1", "cryogenic_wafer_prober")} <= controls
    assert (f"{state}:TV-3", "cryogenic_cooling") in controls
    assert (f"{state}:TV-1", "cryogenic_cooling") not in controls  # the paragraph speaks of TV-3
    assert {(f"{state}:TV-1", order), (f"{state}:TV-2.1", order)} <= _rels(ex, "part_of")


_FR_XML_NO_CAPTION = """<RULE>
<PREAMB>
<PRTPAGE P="51200"/>
<AGENCY TYPE="N">DEPARTMENT OF COMMERCE</AGENCY>
<SUBAGY>Bureau of Industry and Security</SUBAGY>
<CFR>15 CFR Part 774</CFR>
<SUBJECT>Revisions to the Commerce Control List for Cryogenic Test Equipment</SUBJECT>
<DATES><HD SOURCE="HED">DATES:</HD><P>This rule is effective March 3, 2025.</P></DATES>
</PREAMB>
</RULE>
"""


def test_a_federal_register_xml_fragment_without_agency_caption_is_its_printed_page(tmp_path):
    """No AGENCY caption and no issue line: the department's agency line names the issuer,
    the printed page and the year the rule is dated give its citation (volume = year - 1935)."""
    from extracting import extract_text

    ex = extract_text(tmp_path, _FR_XML_NO_CAPTION, "rule.xml")
    assert ("US:90-FR-51200", "bureau-of-industry-and-security") in {
        (r.subject, r.object) for r in ex.relations if r.type == "issued_by"
    }
