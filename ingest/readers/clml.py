"""Crown Legislation Markup Language (CLML), the XML that legislation.gov.uk serves
for every item (``/uksi/2024/346/data.xml``).

The text is rendered the way the printed instrument reads: the "STATUTORY
INSTRUMENTS" banner, "2024 No. 346", the title, the Made / Laid / Coming into force
lines, the enacting words, numbered regulations ("1.—(1) ..."), Schedules, inserted
text (``BlockAmendment``) and the Explanatory Note. The UK statutory instrument
genre then reads it like any other copy of an SI, so one set of rules serves the
printed text, the website's HTML and this XML.

Dates come from the prelims as the instrument words them; where the prelims carry
none, the metadata's ISO date (``ukm:Made Date="2024-03-12"``) stands in, at day
precision, as the publisher gives it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .ecfr_xml import inline_text

NS = "http://www.legislation.gov.uk/namespaces/legislation"
UKM = "http://www.legislation.gov.uk/namespaces/metadata"
XHTML = "http://www.w3.org/1999/xhtml"

#: structural containers whose Number and Title are headings, and their level
_HEADED = {"Part": 2, "Chapter": 3, "Schedule": 2, "Pblock": 3, "P1group": 3, "ExplanatoryNotes": 2}
#: numbered provisions: the Pnumber is written before the text as the print does
_NUMBERED = {"P1": "{}.", "P2": "({})", "P3": "({})", "P4": "({})", "P5": "({})"}
#: elements whose text is a paragraph of its own
_TEXT_BLOCKS = {"Text", "Para"}
#: prelims date lines: element, the words before the date, metadata fallback
_DATE_LINES = (
    ("MadeDate", "Made", "Made"),
    ("LaidDate", "Laid before Parliament", "Laid"),
    ("ComingIntoForce", "Coming into force", "ComingIntoForce"),
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def is_clml(root: ET.Element) -> bool:
    """A CLML document: ``<Legislation>`` in the legislation.gov.uk namespace."""
    return root.tag == f"{{{NS}}}Legislation"


def _text(el: ET.Element) -> str:
    return inline_text(el).strip()


def _metadata_date(root: ET.Element, name: str) -> str:
    el = root.find(f".//{{{UKM}}}SecondaryMetadata/{{{UKM}}}{name}")
    if el is None:
        return ""
    if el.get("Date"):
        return el.get("Date", "")
    inner = el.find(f"{{{UKM}}}DateTime")
    return inner.get("Date", "") if inner is not None else ""


def _prelims(root: ET.Element, prelims: ET.Element | None) -> list[tuple[str, int]]:
    parts: list[tuple[str, int]] = [("STATUTORY INSTRUMENTS", 0)]
    number = prelims.find(f"{{{NS}}}Number") if prelims is not None else None
    if number is not None and _text(number):
        parts.append((_text(number), 1))
    else:
        year = root.find(f".//{{{UKM}}}Year")
        num = root.find(f".//{{{UKM}}}Number")
        if year is not None and num is not None:
            parts.append((f"{year.get('Value')} No. {num.get('Value')}", 1))
    title = prelims.find(f"{{{NS}}}Title") if prelims is not None else None
    if title is None:
        title = root.find(".//{http://purl.org/dc/elements/1.1/}title")
    if title is not None and _text(title):
        parts.append((_text(title), 1))
    for element, words, meta in _DATE_LINES:
        found = prelims.find(f".//{{{NS}}}{element}") if prelims is not None else None
        worded = found.find(f"{{{NS}}}DateText") if found is not None else None
        if worded is not None and _text(worded):
            parts.append((f"{words} {_text(worded)}", 0))
        elif _metadata_date(root, meta):
            parts.append((f"{words} {_metadata_date(root, meta)}", 0))
    return parts


def _row(tr: ET.Element) -> str:
    cells = [" ".join(inline_text(c).split()) for c in tr if _local(c.tag) in ("td", "th")]
    return "| " + " | ".join(cells) + " |" if cells else ""


class _Lead:
    """Provision numbers still to be written before the next text ("1.", then "(1)"
    gives "1. (1) ..."): the first text block under a numbered provision takes them."""

    def __init__(self) -> None:
        self.marks: list[str] = []

    def take(self) -> str:
        out = " ".join(self.marks)
        self.marks.clear()
        return f"{out} " if out else ""


def _walk(el: ET.Element, parts: list[tuple[str, int]], lead: _Lead) -> None:
    """Append ``el``'s blocks to ``parts`` in reading order."""
    own = _local(el.tag)
    for child in el:
        name = _local(child.tag)
        if name in ("Number", "Title") and own in _HEADED or own == "TitleBlock" and name == "Title":
            if _text(child):
                parts.append((_text(child), _HEADED.get(own, 2)))
        elif name == "Pnumber":
            continue
        elif name in _NUMBERED:
            number = child.find(f"{{{NS}}}Pnumber")
            if number is not None and _text(number):
                lead.marks.append(_NUMBERED[name].format(_text(number)))
            _walk(child, parts, lead)
        elif name == "tr":
            row = _row(child)
            if row:
                parts.append((row, 0))
        elif name in _TEXT_BLOCKS and child.find(f"{{{NS}}}Text") is None:
            words = _text(child)
            if words:
                parts.append((lead.take() + words, 0))
        elif name == "BlockAmendment":
            # inserted text reads as the text it inserts, quoted as the print quotes it
            inner: list[tuple[str, int]] = []
            _walk(child, inner, _Lead())
            parts.extend((t if level or t.startswith("|") else f"“{t}”", level) for t, level in inner)
        else:
            _walk(child, parts, lead)


def clml_parts(root: ET.Element) -> list[tuple[str, int]]:
    """The instrument as (text, heading level or 0) parts, in reading order."""
    secondary = next((c for c in root if _local(c.tag) in ("Secondary", "Primary")), None)
    prelims = None
    if secondary is not None:
        prelims = next((c for c in secondary if _local(c.tag).endswith("Prelims")), None)
    parts = _prelims(root, prelims)
    if prelims is not None:
        for child in prelims:
            if _local(child.tag) in ("SecondaryPreamble", "PrimaryPreamble"):
                _walk(child, parts, _Lead())
    for child in secondary if secondary is not None else ():
        if _local(child.tag).endswith("Prelims"):
            continue
        _walk(child, parts, _Lead())
    return parts
