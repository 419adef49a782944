"""Federal Register XML (``FEDREG``, ``RULE``, ``PRORULE``, ``NOTICE``), rendered as the
Federal Register's own plain text reads, so that one genre reader
(``genres.federal_register``) understands both: the issue line ("[Federal Register
Volume 89 (Friday, September 6, 2024)]") from ``VOL`` and ``DATE``, the first printed
page from ``PRTPAGE``, the captions of ``AGY``, ``ACT``, ``SUM``, ``DATES`` as
"AGENCY: ...", "ACTION: ..." lines, the amendatory text of ``REGTEXT`` with ECCN
headings and lettered paragraphs as headings and items, and the ``FRDOC`` line.

Nothing is invented: every line is the text of an element, in document order, except
the issue and page lines, which restate the ``VOL``/``DATE`` and ``PRTPAGE`` values
at the top, where the printed text has them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .ecfr_xml import inline_text
from .text import HEADING

ROOTS = {"RULE", "PRORULE", "NOTICE", "RULES", "PRORULES", "NOTICES", "FEDREG", "PRESDOCU"}
_DOCUMENTS = ("RULE", "PRORULE", "NOTICE")
#: preamble blocks whose HD is a caption ("AGENCY:") that leads their first paragraph
_CAPTIONED = {"AGY", "ACT", "SUM", "DATES", "EFFDATE", "ADD", "FURINF", "PREAMHD"}
_CAPTIONS = {"AGY": "AGENCY:", "ACT": "ACTION:", "SUM": "SUMMARY:", "DATES": "DATES:", "EFFDATE": "DATES:"}
#: preamble lines above the captions: department, sub-agency, CFR parts, docket, RIN, subject
_HEAD_LINES = ("AGENCY", "SUBAGY", "CFR", "DEPDOC", "RIN", "SUBJECT")
_HD_LEVELS = {"HD1": 2, "HD2": 3, "HD3": 4, "HED": 2}
_PARAGRAPHS = {"P", "FP", "AMDPAR", "PSPACE", "DATED", "NAME", "TITLE", "FRDOC", "BILCOD", "EXTRACT"}
_SPACE = re.compile(r"\s+")


def _text(el: ET.Element) -> str:
    return _SPACE.sub(" ", inline_text(el)).strip()


def _issue_lines(root: ET.Element, document: ET.Element) -> list[tuple[str, int]]:
    """The issue and page lines at the top, as govinfo prints them."""
    parts = []
    volume, date = root.find(".//VOL"), root.find(".//DATE")
    if volume is not None and date is not None and root.tag == "FEDREG":
        parts.append((f"[Federal Register Volume {_text(volume)} ({_text(date)})]", 0))
    page = document.find(".//PRTPAGE")
    if page is not None and page.get("P", "").isdigit():
        parts.append((f"[Page {page.get('P')}]", 0))
    return parts


def _table(el: ET.Element) -> list[tuple[str, int]]:
    """A GPOTABLE as pipe rows, the header row (BOXHD/CHED) first."""
    rows = []
    heads = [_text(c) for c in el.iter("CHED")]
    if heads:
        rows.append(("| " + " | ".join(heads) + " |", 0))
    for row in el.iter("ROW"):
        cells = [_text(c) for c in row.findall("ENT")]
        if any(cells):
            rows.append(("| " + " | ".join(cells) + " |", 0))
    return rows


def _body(el: ET.Element, parts: list[tuple[str, int]]) -> None:
    """The elements under ``el`` in document order."""
    for child in el:
        tag = child.tag
        if tag in _CAPTIONED:
            _captioned(child, parts)
        elif tag == "HD" and el.tag == "NOTE":  # "Note to 4A906:" speaks inside the entry
            parts.append((_text(child), 0))
        elif tag == "HD":
            parts.append((_text(child), _HD_LEVELS.get(child.get("SOURCE", ""), 3)))
        elif tag == "SECTION":
            number, subject = child.find("SECTNO"), child.find("SUBJECT")
            title = " ".join(_text(x) for x in (number, subject) if x is not None)
            if title:
                parts.append((title, 2))
            _body(child, parts)
        elif tag in ("SECTNO", "SUBJECT") and el.tag == "SECTION":
            continue
        elif tag in _HEAD_LINES and el.tag == "PREAMB":
            parts.append((_text(child), 0))
        elif tag == "GPOTABLE":
            parts.extend(_table(child))
        elif tag == "STARS":
            parts.append(("* * * * *", 0))
        elif tag in _PARAGRAPHS:
            text = _text(child)
            parts.append((text, 2 if HEADING.match(text) and tag == "P" else 0))
        elif tag in ("PRTPAGE", "VOL", "NO", "DATE", "UNITNAME"):
            continue
        else:  # PREAMB, SUPLINF, REGTEXT, NOTE, SIG, LSTSUB, AUTH ... hold blocks of their own
            _body(child, parts)


def _captioned(el: ET.Element, parts: list[tuple[str, int]]) -> None:
    """ "AGENCY:" and its first paragraph on one line, as in the printed text."""
    head = el.find("HD")
    caption = _text(head) if head is not None else _CAPTIONS.get(el.tag, "")
    paragraphs = [_text(p) for p in el if p.tag in ("P", "FP")]
    first = paragraphs[0] if paragraphs else ""
    parts.append((f"{caption} {first}".strip(), 0))
    parts.extend((p, 0) for p in paragraphs[1:])


def _agency_line(preamble: ET.Element) -> tuple[str, int] | None:
    """A preamble with no ``AGY`` caption block: its agency element is the AGENCY line."""
    if preamble.find("AGY") is not None:
        return None
    agency = preamble.find("SUBAGY") if preamble.find("SUBAGY") is not None else preamble.find("AGENCY")
    return (f"AGENCY: {_text(agency)}", 0) if agency is not None else None


def fr_parts(root: ET.Element) -> list[tuple[str, int]]:
    """(text, heading level or 0) for ``base.render``: the first document of the file
    (a daily issue holds many; the sources connector fetches one at a time)."""
    document = root if root.tag in _DOCUMENTS else next((el for el in root.iter() if el.tag in _DOCUMENTS), root)
    parts = _issue_lines(root, document)
    _body(document, parts)
    preamble = document.find("PREAMB")
    line = _agency_line(preamble) if preamble is not None else None
    if line:
        subject = preamble.find("SUBJECT")
        titles = [t for t, _ in parts]
        at = titles.index(_text(subject)) + 1 if subject is not None and _text(subject) in titles else len(parts)
        parts.insert(at, line)
    return parts
