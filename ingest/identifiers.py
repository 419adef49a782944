"""Official identifiers read from a citation or source address, for crosswalks to
EUR-Lex (CELEX, ELI), the Federal Register and CFR, and legislation.gov.uk.

Only identifiers the text states are returned; nothing is looked up or guessed.
"""

from __future__ import annotations

import re

_CELEX = re.compile(r"\bCELEX(?:\s+number)?[:\s]*(?P<id>3\d{4}[A-Z]\d{4})\b")
_CELEX_URL = re.compile(r"CELEX[:%3A]+(?P<id>3\d{4}[A-Z]\d{4})\b")
_ELI_URL = re.compile(r"https?://(?:eur-lex\.europa\.eu|data\.europa\.eu)/eli/(?P<path>[a-z_]+/\d{4}/\d+)/oj")
_FR = re.compile(r"\b(?P<volume>\d{2,3}) FR (?P<page>\d{3,6})\b")
_CFR = re.compile(r"\b(?P<title>\d{1,2}) CFR (?:part |parts )?(?P<part>\d{2,4}(?:\.\d+)?)")
_UKSI = re.compile(r"\bSI (?P<year>\d{4})/(?P<number>\d+)\b")
_EU_ACT = re.compile(
    r"\b(?P<type>Delegated Regulation|Implementing Regulation|Regulation|Directive)"
    r" \(EU\) (?P<year>\d{4})/(?P<number>\d+)"
)


def identifiers(citation: str, source: str = "") -> dict[str, str]:
    """Identifiers found in a citation and source URL: celex, eli, fr, cfr, uksi.

    A CELEX number the citation itself calls inferred is returned under
    ``celex_inferred`` so that nobody mistakes it for a checked one.
    """
    found: dict[str, str] = {}
    text = f"{citation} {source}"
    celex = _CELEX.search(citation) or _CELEX_URL.search(source)
    if celex:
        key = "celex_inferred" if re.search(r"inferred|not verified", citation, re.I) else "celex"
        found[key] = celex.group("id")
    eli = _ELI_URL.search(source)
    if eli:
        found["eli"] = f"http://data.europa.eu/eli/{eli.group('path')}/oj"
    else:
        act = _EU_ACT.search(citation)
        if act and "celex" in found:
            kind = (
                "reg_del"
                if act.group("type").startswith("Delegated")
                else (
                    "reg_impl"
                    if act.group("type").startswith("Implementing")
                    else "dir"
                    if act.group("type") == "Directive"
                    else "reg"
                )
            )
            found["eli"] = f"http://data.europa.eu/eli/{kind}/{act.group('year')}/{act.group('number')}/oj"
    fr = _FR.search(text)
    if fr:
        found["fr"] = f"{fr.group('volume')} FR {fr.group('page')}"
    cfr = _CFR.search(citation)
    if cfr:
        found["cfr"] = f"{cfr.group('title')} CFR {cfr.group('part')}"
    uksi = _UKSI.search(citation)
    if uksi:
        found["uksi"] = f"http://www.legislation.gov.uk/uksi/{uksi.group('year')}/{uksi.group('number')}"
    return found
