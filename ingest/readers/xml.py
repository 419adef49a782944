"""XML: Federal Register XML (RULE, PREAMB, SUPLINF, REGTEXT; see ``federal_register_xml``),
eCFR XML (DIV1-DIV9, HEAD, P, CITA; see ``ecfr_xml``) and generic XML, whose title
or heading elements become headings and whose text elements become paragraphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .base import ReaderError, SourceText, decode, document_name, render, segment
from .ecfr_xml import ecfr_parts, inline_text, is_ecfr
from .federal_register_xml import ROOTS as FR_ROOTS
from .federal_register_xml import fr_parts

_GENERIC_HEADINGS = {"title": 1, "head": 2, "heading": 2, "h1": 1, "h2": 2, "h3": 3}


def _text(el: ET.Element) -> str:
    return inline_text(el)


def _generic(root: ET.Element) -> list[tuple[str, int]]:
    """Headings and text elements; an element of mixed content (text around inline
    elements: "a C-NOT error of 10<Superior>−4</Superior> or less") is read whole, once."""
    parts = []
    read: set[int] = set()
    for el in root.iter():
        if id(el) in read:
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
        mixed = bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)
        if tag in _GENERIC_HEADINGS:
            parts.append((_text(el), _GENERIC_HEADINGS[tag]))
        elif mixed:
            parts.append((_text(el), 0))
        else:
            continue
        read.update(id(d) for d in el.iter())
    return parts


def read_xml(path: Path) -> SourceText:
    try:
        root = ET.fromstring(decode(path).lstrip("\ufeff"))
    except ET.ParseError as exc:
        line, column = exc.position
        raise ReaderError(f"{path}: not well-formed XML at line {line}, column {column}") from None
    if root.tag in FR_ROOTS:
        parts = fr_parts(root)
    elif is_ecfr(root):
        parts = ecfr_parts(root)
    else:
        parts = _generic(root)
    text, headings = render(parts)
    if not text.strip():
        raise ReaderError(f"{path}: the XML has no text")
    return SourceText(document_name(path), text, segment(text, headings), str(path))
