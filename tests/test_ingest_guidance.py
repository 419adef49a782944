"""Agency guidance pages: the act a page on an amendment explains, the instrument's own
dates (never the page's), and compliance deadlines in several wordings. Passages written
for these tests."""

from __future__ import annotations

import pytest
from extracting import extract_text


def _rels(ex, kind: str) -> set[tuple[str, str]]:
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind}


AMENDING_PAGE = """# Frequently asked questions: the new Annex I

*Last updated 2 December 2025*

**What changed?**
The Annex of Regulation (EU) 2021/821 has been replaced by Delegated Regulation (EU) 2025/2003, which
the European Commission adopted. The new act was signed in Brussels on 8 September 2025 and entered into
force on 15 November 2025.
"""


def test_a_page_on_an_amendment_explains_the_amending_act_with_its_own_dates(tmp_path):
    ex = extract_text(tmp_path, AMENDING_PAGE)
    new = "EU:Delegated-Regulation-EU-2025-2003"
    assert (new, "EU") in _rels(ex, "applies_in")
    assert (new, "EU:Regulation-EU-2021-821") in _rels(ex, "amends")
    assert (new, "2025-11-15") in _rels(ex, "effective_on")
    assert "2025-12-02" not in {o for _, o in _rels(ex, "adopted_on") | _rels(ex, "effective_on")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Holders of older contracts must have brought them into line by 1 August 2026.",
        "For existing orders, compliance is required only from 1 August 2026.",
        "The deadline for compliance with the new entries is 1 August 2026.",
    ],
)
def test_compliance_deadlines_in_other_words(tmp_path, sentence):
    text = (
        "# Questions and answers on Notice No. 3/2026\n\nExport Office of the Republic of Ruritania\n\n"
        f"**When does it apply?**\nNotice No. 3/2026 took effect on 1 May 2026. {sentence}\n"
    )
    ex = extract_text(tmp_path, text)
    assert {o for _, o in _rels(ex, "compliance_on")} == {"2026-08-01"}


AGENCY_PAGE = """U.S. Department of Commerce - Bureau of Industry and Security

Guidance on quantum items: questions and answers

**Which rule is this?**
The controls come from an interim final rule published in the Federal Register at 89 FR 72926 on
September 6, 2024.

**Does post-quantum cryptography need a licence?**
Products running post-quantum algorithms use classical encryption and are not quantum items.
"""


def test_the_agency_under_its_department_issues_and_the_rules_publication_dates_it(tmp_path):
    ex = extract_text(tmp_path, AGENCY_PAGE)
    assert _rels(ex, "issued_by") == {("US:89-FR-72926", "bureau-of-industry-and-security")}
    assert ("US:89-FR-72926", "2024-09-06") in _rels(ex, "adopted_on")


def test_post_quantum_cryptography_is_no_quantum_technology(tmp_path):
    ex = extract_text(tmp_path, AGENCY_PAGE)
    assert not [e for e in ex.entities if e.type == "Technology"]


def test_an_acts_name_before_a_parenthesis_is_no_authority(tmp_path):
    text = AMENDING_PAGE.replace("Delegated Regulation (EU)", "Commission Delegated Regulation (EU)")
    ex = extract_text(tmp_path, text)
    assert {e.id for e in ex.entities if e.type == "Authority"} == {"european-commission"}


@pytest.mark.parametrize(
    "masthead",
    [
        "*Advice from the Trade Licensing Board, Republic of Norwind (a fictional state).*",
        "Trade Licensing Board, Republic of Norwind (fictional)",
    ],
)
def test_the_pages_own_words_and_the_bodys_address_are_not_its_name(tmp_path, masthead):
    """ "Advice from the X" says what the page is; ", Republic of Y" after the body is its
    address: the body is X."""
    text = (
        f"# Questions and answers on Notice No. 4/2028\n\n{masthead}\n\n"
        "**Since when?**\nNotice No. 4/2028 took effect on 2 May 2028.\n"
    )
    ex = extract_text(tmp_path, text)
    assert {e.id for e in ex.entities if e.type == "Authority"} == {"trade-licensing-board"}


def test_a_comma_inside_a_bodys_own_name_stays(tmp_path):
    text = (
        "# Questions and answers on Notice No. 4/2028\n\nMinistry of Economy, Trade and Industry\n\n"
        "**Since when?**\nNotice No. 4/2028 took effect on 2 May 2028.\n"
    )
    ex = extract_text(tmp_path, text)
    assert "ministry-of-economy-trade-and-industry" in {e.id for e in ex.entities if e.type == "Authority"}


def test_a_rule_published_at_a_citation_which_took_effect_is_dated_by_its_effect(tmp_path):
    """ "published at 89 FR 72926, which took effect on ...": the date after the relative
    clause is the rule's entry into force, not its publication; "published" without a date
    after it is no caption of the page."""
    text = (
        "# Frequently asked questions\n\nBureau of Industry and Security\n\n**Where is the exception?**\n"
        "It was created by the rule published at 89 FR 72926, which took effect on September 6, 2024.\n"
    )
    ex = extract_text(tmp_path, text)
    assert _rels(ex, "effective_on") == {("US:89-FR-72926", "2024-09-06")}
    assert not _rels(ex, "adopted_on")


def test_coordinated_exception_symbols_that_stay_available_are_exceptions(tmp_path):
    text = (
        "# Frequently asked questions\n\nBureau of Industry and Security\n\n**What else may I use?**\n"
        "Since the rule at 89 FR 72926, only GFT, BAG or TMP remain available for these items.\n"
    )
    ex = extract_text(tmp_path, text)
    named = {e.id for e in ex.entities if e.type == "LicenseException"}
    assert named == {f"US:License-Exception-{s}" for s in ("GFT", "BAG", "TMP")}


SECOND_PERSON = """<html><body>
<h1>Exporting cryogenic equipment</h1>
<p>From 2 June 2025 you will need an export licence to send the items in entries PL9013 and PL5017 to any
country, under the Export Control (Amendment) Regulations 2025 (SI 2025/880).</p>
<ul>
<li>PL9013: cryogenic cooling systems and cryogenic wafer probing equipment</li>
</ul>
<p>Send your application to the Export Control Joint Unit.</p>
</body></html>
"""


def test_a_page_that_tells_the_exporter_what_they_need_is_guidance(tmp_path):
    """An agency speaks to its reader ("you will need an export licence"): its facts are
    stated, not claimed; a sentence opening "From <date>" dates the controls; the body the
    reader sends an application to is no author of the instrument."""
    ex = extract_text(tmp_path, SECOND_PERSON, "page.html")
    si = "GB:SI-2025-880"
    assert {(s, o) for s, o in _rels(ex, "effective_on")} == {(si, "2025-06-02")}
    controls = [r for r in ex.relations if r.type == "controls" and r.subject == "GB:PL9013"]
    assert {str(r.object) for r in controls} == {"cryogenic_cooling", "cryogenic_wafer_prober"}
    assert all(r.confidence >= 0.8 for r in controls)
    assert not _rels(ex, "issued_by")


def test_a_page_that_reports_what_exporters_need_is_not_guidance_by_that_alone(tmp_path):
    text = SECOND_PERSON.replace("you will need an export licence", "exporters have needed a licence")
    ex = extract_text(tmp_path, text, "page.html")
    # what the page reports is read (its instrument at least) and none of it as stated law
    assert _rels(ex, "applies_in")
    assert all(r.confidence < 0.8 for r in ex.relations)
