"""Conventions of official texts (notices, orders, regulations) that the extractor must read
in texts it has never seen: a state's formal name in the plural ("Federated States of ..."),
a licence requirement that introduces the list below it, a passive negation whose agent is
the document itself, "no control corresponding to" an entry, magnetometer resolutions in
tesla. Each text is written for the test, in wording unlike the dev passages that motivated
the rule, about clearly fictional states; each rule has a case where it must not fire."""

from __future__ import annotations

from extracting import extract_text

from qharmony.ingest.jurisdictions import formal_names
from qharmony.ingest.thresholds import find_thresholds


def _rels(ex, kind: str) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind}


def test_a_plural_formal_name_is_a_state():
    text = "UNITED STATES OF MERIDIA\nThe Federated States of Tarvosa adopt this order."
    assert ("Meridia", "United States of Meridia") in formal_names(text)
    assert ("Tarvosa", "Federated States of Tarvosa") in formal_names(text)
    # the United States of America is ISO's, not a new state
    assert not formal_names("the United States of America and its territories")


HEAD = (
    "FEDERATED STATES OF TARVOSA (a fictional state)\n"
    "Ministry of Strategic Commerce\n\n"
    "Export Notice TS-4/2027 on quantum equipment\n\n"
)


def test_a_licence_requirement_ending_in_a_colon_opens_the_list_of_entries_below(tmp_path):
    text = HEAD + (
        "2. Scope. Exporters must hold an authorisation before they export:\n\n"
        "  Q-11  dilution refrigerators for quantum computers;\n"
        "  Q-12  quantum key distribution systems.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    code = next(r.object for r in ex.relations if r.type == "applies_in")
    parts = {s for s, _ in _rels(ex, "part_of")}
    assert {f"{code}:Q-11", f"{code}:Q-12"} <= parts
    assert (f"{code}:Q-12", "qkd_quantum_cryptography") in _rels(ex, "controls")


def test_a_colon_after_other_words_opens_no_list(tmp_path):
    text = HEAD + (
        "2. Scope. The ministry gives its reasons in the annex. It notes:\n\n"
        "  Q-11  dilution refrigerators are widely sold.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert not {s for s, _ in _rels(ex, "part_of") if s.endswith("Q-11")}


def test_a_passive_negation_by_the_document_scopes_out_its_subject_for_the_document(tmp_path):
    text = HEAD + (
        "3. Exclusions. Quantum sensors are not covered by the present notice; "
        "Tarvosa keeps no list corresponding to ECCN 3A904 of the United States.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    code = next(r.object for r in ex.relations if r.type == "applies_in")
    negated = _rels(ex, "not_controlled")
    assert any(t == "quantum_sensor" and s.startswith(f"{code}:Export-Notice") for s, t in negated)
    # the code of the other clause is not the one scoped out
    assert ("US:3A904", "quantum_sensor") not in negated
    assert ("US:3A904", code) in _rels(ex, "no_equivalent_in")


def test_a_passive_negation_by_another_instrument_is_not_the_documents(tmp_path):
    text = HEAD + "3. Quantum sensors are not covered by Regulation 12 of the customs code.\n"
    ex = extract_text(tmp_path, text, "doc.txt")
    assert not [s for s, t in _rels(ex, "not_controlled") if "Export-Notice" in s]


def test_a_control_corresponding_to_an_entry_is_a_counterpart(tmp_path):
    text = HEAD + "4. Tarvosa operates a control corresponding to ECCN 3A904 of the United States.\n"
    ex = extract_text(tmp_path, text, "doc.txt")
    assert not _rels(ex, "no_equivalent_in")


def test_magnetometer_resolutions_in_tesla_normalise():
    [t] = find_thresholds("magnetometers with a magnetic field resolution of 30 fT or less")
    assert (t.parameter, t.op, t.unit) == ("magnetic_sensitivity", "<=", "T")
    assert abs(t.value - 3e-14) < 1e-20
    # a bare "T" (a magnet's induction) is no magnetometer figure
    assert not find_thresholds("superconducting solenoids with a magnetic induction of 3 T or less")


MASTHEAD = (
    "REPUBLIC OF QUILMARA (a fictional state)\nMinistry of Maritime Trade\nLicensing Bureau for Strategic Goods\n\n"
)


def test_a_unit_under_a_ministry_that_the_text_names_as_acting_issues_the_notice(tmp_path):
    text = MASTHEAD + (
        "Notice No. 5/2027\n\n1. The Licensing Bureau for Strategic Goods informs exporters that quantum "
        "computers need a licence.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert {o for _, o in _rels(ex, "issued_by")} == {"licensing-bureau-for-strategic-goods"}
    assert {"ministry-of-maritime-trade", "licensing-bureau-for-strategic-goods"} <= {
        e.id for e in ex.entities if e.type == "Authority"
    }


def test_a_unit_the_text_never_names_again_leaves_the_ministry_issuing(tmp_path):
    text = MASTHEAD + "Notice No. 5/2027\n\n1. Quantum computers need a licence.\n"
    ex = extract_text(tmp_path, text, "doc.txt")
    assert {o for _, o in _rels(ex, "issued_by")} == {"ministry-of-maritime-trade"}


def test_a_bodys_own_name_stops_before_its_state(tmp_path):
    text = (
        "Ministry of Maritime Trade of the Republic of Quilmara\n\n"
        "Notice No. 5/2027\n\n1. Quantum computers need a licence.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert {o for _, o in _rels(ex, "issued_by")} == {"ministry-of-maritime-trade"}


AMENDING = (
    "PRINCIPALITY OF VORNHOLT (a fictional state)\nExport Licensing Office\n\n"
    "Order No. 8/2027 amending the Strategic List\n\n"
    "The Strategic List is amended as follows:\n\n"
    "  (a) after item V-2.1 insert—\n"
    '      "V-2.2 Parametric amplifiers designed to operate at an ambient temperature of 2,5 K or less.";\n\n'
    "  (b) delete item V-2.9 (quantum sensors);\n\n"
    '  (c) in item V-2.1 (quantum computers), for "60 or more physical qubits" substitute '
    '"40 or more physical qubits".\n'
)


def _thresholds(ex) -> set[tuple]:
    return {(r.subject, r.object["parameter"], r.object["op"], r.object["value"]) for r in ex.relations
            if r.type == "has_threshold"}  # fmt: skip


def test_lettered_amending_instructions_are_not_paragraphs_of_the_inserted_entry(tmp_path):
    ex = extract_text(tmp_path, AMENDING, "doc.txt")
    code = next(r.object for r in ex.relations if r.type == "applies_in")
    entries = {e.id for e in ex.entities if e.type == "ControlEntry"}
    assert f"{code}:V-2.2" in entries
    assert not {e for e in entries if e.startswith(f"{code}:V-2.2.")}  # no "(b)", "(c)" under V-2.2
    assert (f"{code}:V-2.9", "quantum_sensor") in _rels(ex, "not_controlled")
    assert (f"{code}:V-2.1", "quantum_computer") in _rels(ex, "controls")
    # the decimal comma of the inserted text, and the substituted figure only
    found = _thresholds(ex)
    assert (f"{code}:V-2.2", "operating_temperature", "<=", 2.5) in found
    assert (f"{code}:V-2.1", "physical_qubits", ">=", 40.0) in found
    assert (f"{code}:V-2.1", "physical_qubits", ">=", 60.0) not in found


def test_a_lettered_paragraph_of_an_entry_stays_its_item(tmp_path):
    text = (
        "PRINCIPALITY OF VORNHOLT (a fictional state)\nExport Licensing Office\n\n"
        "Order No. 8/2027 amending the Strategic List\n\nThe following entry is inserted:\n\n"
        "V-3 Quantum computers, as follows:\n\n  (a) machines with 40 or more physical qubits;\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert any(e.id.endswith(":V-3.a") for e in ex.entities if e.type == "ControlEntry")


def test_a_comma_before_three_digits_still_separates_thousands():
    [t] = find_thresholds("a cooling power of 1,500 W or more")
    assert t.value == 1500.0
    [t] = find_thresholds("a cooling power of 1,5 W or more")
    assert t.value == 1.5


def test_numbered_subitem_rows_are_paragraphs_of_the_row_entry_above(tmp_path):
    text = (
        "<html><body><p>FREEDONIA GAZETTE (a fictional state)</p><p>Registration<br>FOR/2027-41 March 3, 2027</p>"
        "<h1>Order Amending the Strategic Goods List</h1>"
        "<p>1 The schedule is amended by adding the following:</p><table>"
        "<tr><th>Item</th><th>Description</th></tr>"
        "<tr><td>8801</td><td>Quantum goods described in the following subitems.</td></tr>"
        "<tr><td>(1)</td><td>Quantum key distribution equipment.</td></tr>"
        "<tr><td>(2)</td><td>Dilution refrigerators maintaining a temperature of 0.05 K or less.</td></tr>"
        "</table><p>2 This Order comes into force on the day it is registered.</p></body></html>"
    )
    ex = extract_text(tmp_path, text, "doc.html")
    code = next(r.object for r in ex.relations if r.type == "applies_in")
    assert (f"{code}:8801.1", "qkd_quantum_cryptography") in _rels(ex, "controls")
    assert {f"{code}:8801.1", f"{code}:8801.2"} <= {s for s, _ in _rels(ex, "part_of")}


def test_a_table_of_codes_without_subitem_rows_opens_no_paragraphs(tmp_path):
    text = (
        "<html><body><p>FREEDONIA GAZETTE (a fictional state)</p><p>Registration<br>FOR/2027-41 March 3, 2027</p>"
        "<h1>Order Amending the Strategic Goods List</h1><p>1 The schedule is amended by adding the following:</p>"
        "<table><tr><th>Item</th><th>Description</th></tr>"
        "<tr><td>8801</td><td>Quantum key distribution equipment.</td></tr>"
        "<tr><td>8802</td><td>Quantum computers.</td></tr></table>"
        "<p>(1) Exporters of these goods must apply for a permit.</p></body></html>"
    )
    ex = extract_text(tmp_path, text, "doc.html")
    entries = {e.id for e in ex.entities if e.type == "ControlEntry"}
    assert not {e for e in entries if e.endswith((".1", ".a"))}


SI = (
    "RURITANIAN STATUTORY INSTRUMENTS (a fictional state)\n\n2027 No. 12\n\n"
    "The Strategic Goods (Amendment) Regulations 2027\n\nMade 2nd May 2027\n\nComing into force 1st June 2027\n\n"
)


def test_an_enacting_formula_with_a_long_powers_clause_names_the_maker(tmp_path):
    text = SI + (
        "The Minister for Trade, in exercise of the powers conferred by sections 4 and 6 of the Strategic "
        "Goods Act 2011 (c. 9) and of every other power enabling the Minister, makes the following Regulations.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert {o for _, o in _rels(ex, "issued_by")} == {"minister-for-trade"}


def test_a_minister_named_without_making_issues_nothing(tmp_path):
    text = SI + "The Minister for Trade, in exercise of the powers conferred by the Act, consulted exporters.\n"
    ex = extract_text(tmp_path, text, "doc.txt")
    assert not _rels(ex, "issued_by")


def test_quoted_lettered_lines_of_inserted_text_are_items_of_the_inserted_entry(tmp_path):
    text = SI + (
        "2. In the Schedule, insert the following entry—\n\n"
        "“PL7001 Quantum sensors, as follows—\n\n"
        "“a. quantum magnetometers resolving 10 fT or less;\n\n"
        "“b. quantum gravimeters.”\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    controls = _rels(ex, "controls")
    assert {("GB:PL7001.a", "quantum_sensor"), ("GB:PL7001.b", "quantum_sensor")} <= {
        (s.replace(s.split(":")[0], "GB"), t) for s, t in controls
    }


FR_RULE = (
    "DEPARTMENT OF COMMERCE\n\nBureau of Industry and Security\n\n15 CFR Part 738\n\n"
    "[Docket No. 270101-0001]\n\nRIN 0694-AJ99\n\nRevisions to the Country Chart\n\n"
    "AGENCY: Bureau of Industry and Security, Commerce.\n\nACTION: Final rule.\n\n"
    "SUMMARY: This rule revises the Country Chart.\n\nDATES: This rule is effective March 2, 2027.\n\n"
)


def _instruments(ex) -> set[str]:
    return {e.id for e in ex.entities if e.type == "Instrument"}


def test_a_section_cited_by_number_in_a_cfr_text_and_its_amendatory_instruction(tmp_path):
    text = FR_RULE + (
        "Exporters should also consult §§ 738.2 and 738.4 before shipping.\n\n"
        "Section 738.3 is amended by revising paragraph (b).\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert {"US:15-CFR-738.2", "US:15-CFR-738.4", "US:15-CFR-738.3"} <= _instruments(ex)
    [rule] = {s for s, o in _rels(ex, "amends") if o == "US:15-CFR-738.3"}
    assert rule == next(r.subject for r in ex.relations if r.type == "effective_on")


def test_a_numbered_section_of_an_act_is_no_cfr_section(tmp_path):
    text = FR_RULE + "Section 4 of the Act is cited for reference; Section 2 explains the policy.\n"
    ex = extract_text(tmp_path, text, "doc.txt")
    assert not {i for i in _instruments(ex) if i.startswith("US:15-CFR-") and "738" not in i}


def test_a_guidance_page_saying_a_section_is_amended_amends_nothing_itself(tmp_path):
    text = (
        "<html><body><p>U.S. Department of Commerce</p><p>Bureau of Industry and Security</p>"
        "<h1>Questions on the Country Chart</h1><p>Under 15 CFR 738.3 exporters check the chart. "
        "Section 738.3 is amended from time to time.</p></body></html>"
    )
    ex = extract_text(tmp_path, text, "doc.html")
    assert not _rels(ex, "amends")


def test_a_national_text_cites_instruments_of_its_own_series(tmp_path):
    text = HEAD + "1. Circular 2024/19 is amended as follows: the figure 50 becomes 34.\n"
    ex = extract_text(tmp_path, text, "doc.txt")
    code = next(r.object for r in ex.relations if r.type == "applies_in")
    assert f"{code}:Circular-2024-19" in _instruments(ex)
    assert any(o == f"{code}:Circular-2024-19" for _, o in _rels(ex, "amends"))


def test_a_kind_word_before_a_citation_is_that_citation(tmp_path):
    text = FR_RULE + (
        "Background. The chart was first set out by the rule published at 90 FR 7000.\n\n"
        "The rule at 91 FR 12001, published in May, amended § 738.2 last year.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert ("US:91-FR-12001", "US:15-CFR-738.2") in _rels(ex, "amends")
    assert ("US:90-FR-7000", "US:15-CFR-738.2") not in _rels(ex, "amends")


def test_no_control_matching_an_entry_is_a_missing_counterpart_not_a_negation_of_it(tmp_path):
    text = HEAD + (
        "5. Tarvosa therefore keeps no control matching U.S. ECCN 3B904 (cryogenic wafer probers) "
        "or ECCN 3A904 (cryogenic cooling systems).\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    code = next(r.object for r in ex.relations if r.type == "applies_in")
    assert {("US:3B904", code), ("US:3A904", code)} <= _rels(ex, "no_equivalent_in")
    negated = _rels(ex, "not_controlled")
    assert not {(s, t) for s, t in negated if s.startswith("US:")}
    # each code with the subject in its own parentheses, never the other's
    controls = _rels(ex, "controls")
    assert ("US:3A904", "cryogenic_wafer_prober") not in controls
    assert ("US:3B904", "cryogenic_cooling") not in controls


REVISED = (
    "# The Strategic Goods Order 2019\n\n**2019 No. 88**\n\n"
    "> Changes to legislation: this version shows the Order with its amendments.\n\n"
    "## SCHEDULE 1\n\n"
    "**F3** PL5001 Quantum key distribution equipment.\n\n"
    "**F4** PL5002 Quantum gravimeters.\n\n"
    "---\n\n**Textual Amendments**\n\n"
    "- **F3** Sch. 1 entry substituted (2.3.2026) by The Strategic Goods (Amendment) Order 2026 (S.I. 2026/77)\n"
    "- **F4** Sch. 1 entry inserted (15.9.2025) by The Strategic Goods (Amendment) Order 2025 (S.I. 2025/640)\n"
)


def test_a_revised_si_reads_its_f_notes_and_its_entries_behind_the_markers(tmp_path):
    ex = extract_text(tmp_path, REVISED, "doc.md")
    assert {("GB:SI-2026-77", "GB:SI-2019-88"), ("GB:SI-2025-640", "GB:SI-2019-88")} <= _rels(ex, "amends")
    assert {("GB:SI-2026-77", "2026-03-02"), ("GB:SI-2025-640", "2025-09-15")} <= _rels(ex, "effective_on")
    parts = {s for s, _ in _rels(ex, "part_of")}
    assert {"GB:PL5001", "GB:PL5002"} <= parts
    assert not {p for p in parts if p.split(":")[1].startswith("F")}  # the markers are no entries


def test_an_si_without_f_notes_amends_nothing_by_them(tmp_path):
    text = REVISED.split("---")[0]
    ex = extract_text(tmp_path, text, "doc.md")
    assert not _rels(ex, "amends")


def test_a_federal_register_rule_printed_without_its_subject_line_is_named_by_its_fr_doc(tmp_path):
    text = (
        "Federal Register / Vol. 92 / Monday, March 1, 2027 / Rules and Regulations\n\n"
        "DEPARTMENT OF COMMERCE\nBureau of Industry and Security\n15 CFR Part 738\n[FR Doc. 2027-04411]\n\n"
        "AGENCY: Bureau of Industry and Security, Department of Commerce.\nACTION: Final rule.\n\n"
        "DATES: This rule is effective March 1, 2027.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    [(rule, where)] = _rels(ex, "applies_in")
    assert where == "US" and "2027-04411" in rule
    assert (rule, "bureau-of-industry-and-security") in _rels(ex, "issued_by")
    assert (rule, "2027-03-01") in _rels(ex, "effective_on")


CONSOLIDATED = (
    "<html><body><p>COUNCIL REGULATION (EU) 2019/500</p><p>of 4 March 2019</p>"
    "<p>on the control of quantum goods (consolidated extract written for a test)</p>"
    "<table><tr><th></th><th>Amended by:</th><th>Official Journal</th></tr>"
    "<tr><td>&#9658;M1</td><td>Commission Implementing Regulation (EU) 2023/77 of 2 February 2023</td>"
    "<td>L, 9.2.2023</td></tr></table>"
    "<p>Article 1</p><p>Exports of the goods in the Annex need an authorisation.</p></body></html>"
)


def test_a_consolidated_acts_amended_by_box_names_its_amenders_and_their_institution(tmp_path):
    ex = extract_text(tmp_path, CONSOLIDATED, "doc.html")
    assert ("EU:Implementing-Regulation-EU-2023-77", "EU:Regulation-EU-2019-500") in _rels(ex, "amends")
    assert ("EU:Implementing-Regulation-EU-2023-77", "european-commission") in _rels(ex, "issued_by")


def test_an_act_cited_outside_an_amended_by_box_amends_nothing(tmp_path):
    text = CONSOLIDATED.replace("Amended by:", "See also:")
    ex = extract_text(tmp_path, text, "doc.html")
    assert not _rels(ex, "amends")


def test_a_notice_titled_on_a_long_line_with_its_version_is_the_instrument_before_the_version(tmp_path):
    text = (
        "Ministry of Maritime Trade\nRepublic of Quilmara\n\n"
        "Public Notice on the Export of Sensitive Quantum Goods: 12th amendment (restated for this test)\n\n"
        "The amendment enters into force on 3 April 2027. Exporters of quantum computers need a licence.\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    [(notice, _)] = _rels(ex, "applies_in")
    assert notice.endswith(":Public-Notice-on-the-Export-of-Sensitive-Quantum-Goods")
    assert (notice, "2027-04-03") in _rels(ex, "effective_on")


def test_a_masthead_body_line_is_not_the_title(tmp_path):
    text = "Ministry of Maritime Trade\nRepublic of Quilmara\n\nCircular 4/2027\n\nQuantum computers need a licence.\n"
    ex = extract_text(tmp_path, text, "doc.txt")
    assert {s for s, _ in _rels(ex, "applies_in")} == {s for s, _ in _rels(ex, "applies_in") if "Circular" in s}


OJ_C = (
    "Official Journal of the European Union                         EN\n"
    "Series C                                                  C/2027/118\n"
    "                                                          3.2.2027\n\n"
    "EUROPEAN COMMISSION\n\n"
    "Notice on the list referred to in Article 4 of Regulation (EU) 2024/300 of the European Parliament and "
    "of the Council on quantum goods (written for a test)\n\n1. The notice lists national measures.\n"
)


def test_an_oj_c_notice_with_its_number_after_a_label_and_its_date_below(tmp_path):
    ex = extract_text(tmp_path, OJ_C, "doc.txt")
    assert ("EU:C-2027-118", "2027-02-03") in _rels(ex, "adopted_on")
    assert ("EU:C-2027-118", "european-commission") in _rels(ex, "issued_by")
    makers = {o for s, o in _rels(ex, "issued_by") if s == "EU:Regulation-EU-2024-300"}
    assert makers == {"european-parliament", "council-of-the-european-union"}


def test_a_cited_act_without_its_makers_gets_no_issuer(tmp_path):
    ex = extract_text(tmp_path, OJ_C.replace(" of the European Parliament and of the Council", ""), "doc.txt")
    assert not {o for s, o in _rels(ex, "issued_by") if s == "EU:Regulation-EU-2024-300"}


PART_I = (
    "Canada Gazette, Part I, Volume 160, Number 7: GOVERNMENT NOTICES\nFebruary 13, 2027\n\n"
    "Regulations Amending the Export Permits Regulations\n\nStatutory authority\nExport and Import Permits Act\n\n"
    "Sponsoring department\nDepartment of Foreign Affairs, Trade and Development\n\n"
    "REGULATORY IMPACT ANALYSIS STATEMENT\n\n(This statement is not part of the Regulations.)\n\n"
    "Issues\n\nThe proposal would add permit conditions.\n"
)


def test_a_part_i_proposal_is_named_by_its_gazette_issue_and_proposed_by_its_sponsor(tmp_path):
    ex = extract_text(tmp_path, PART_I, "doc.txt")
    issue = "CA:Canada-Gazette-Part-I-Volume-160-Number-7"
    assert (issue, "CA") in _rels(ex, "applies_in")
    assert (issue, "2027-02-13") in _rels(ex, "adopted_on")
    assert (issue, "department-of-foreign-affairs-trade-and-development") in _rels(ex, "issued_by")


def test_a_registered_order_keeps_its_sor_number(tmp_path):
    text = PART_I.replace("Part I,", "Part II,").replace(
        "February 13, 2027\n", "Registration\nSOR/2027-31 February 2, 2027\n"
    )
    ex = extract_text(tmp_path, text, "doc.txt")
    assert {s for s, _ in _rels(ex, "applies_in")} == {"CA:SOR-2027-31"}
