"""XML: Federal Register-like markup (RULE, PREAMB, SUBJECT, AGENCY, HD, P, SECTION),
eCFR XML (DIV1-DIV9, HEAD, P, CITA; see ``ecfr_xml``), legislation.gov.uk CLML
(``clml``), Formex 4 from the Publications Office (``formex``) and generic XML, whose title
or heading elements become headings and whose text elements become paragraphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .base import ReaderError, SourceText, decode, document_name, render, segment
from .clml import clml_parts, is_clml
from .ecfr_xml import ecfr_parts, inline_text, is_ecfr
from .formex import formex_parts, is_formex

_FR_ROOTS = {"RULE", "PRORULE", "NOTICE", "RULES", "FEDREG"}
#: Federal Register preamble elements that state header fields.
_FR_FIELDS = {
    "AGENCY": "Authority",
    "SUBJECT": "Instrument",
    "CFR": "Citation",
    "ACT": "Kind",
    "EFFDATE": "Effective",
    "DATES": "Effective",
    "FRDOC": "Citation",
}
_FR_HD = {"HD1": 2, "HD2": 3, "HD3": 4, "HED": 2}
_GENERIC_HEADINGS = {"title": 1, "head": 2, "heading": 2, "h1": 1, "h2": 2, "h3": 3}


def _text(el: ET.Element) -> str:
    return inline_text(el)


def _fr(root: ET.Element) -> list[tuple[str, int]]:
    parts: list[tuple[str, int]] = [("Jurisdiction: United States", 0)]
    seen: set[str] = set()
    preamble = root.find(".//PREAMB")
    for el in preamble.iter() if preamble is not None else ():
        name = _FR_FIELDS.get(el.tag)
        if name and name not in seen:
            value = " ".join(_text(p) for p in el.findall("P")) or (el.text or "")
            value = value.replace("Effective:", "").replace("DATES:", "").strip()
            if value.strip():
                seen.add(name)
                parts.append((f"{name}: {value}", 0))
    inside = set(preamble.iter()) if preamble is not None else set()
    for el in root.iter():
        if el in inside:
            continue
        if el.tag == "HD":
            parts.append((_text(el), _FR_HD.get(el.get("SOURCE", ""), 3)))
        elif el.tag == "SECTNO":
            parts.append((_text(el), 2))
        elif el.tag in ("P", "FP", "AMDPAR"):
            parts.append((_text(el), 0))
    return parts


def _generic(root: ET.Element) -> list[tuple[str, int]]:
    parts = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        own = (el.text or "").strip()
        if tag in _GENERIC_HEADINGS:
            parts.append((_text(el), _GENERIC_HEADINGS[tag]))
        elif own:
            parts.append((own, 0))
    return parts


def read_xml(path: Path) -> SourceText:
    try:
        root = ET.fromstring(decode(path).lstrip("\ufeff"))
    except ET.ParseError as exc:
        line, column = exc.position
        raise ReaderError(f"{path}: not well-formed XML at line {line}, column {column}") from None
    if root.tag in _FR_ROOTS:
        parts = _fr(root)
    elif is_ecfr(root):
        parts = ecfr_parts(root)
    elif is_clml(root):
        parts = clml_parts(root)
    elif is_formex(root):
        parts = formex_parts(root)
    else:
        parts = _generic(root)
    text, headings = render(parts)
    if not text.strip():
        raise ReaderError(f"{path}: the XML has no text")
    return SourceText(document_name(path), text, segment(text, headings), str(path))
