"""Formex 4, the XML in which the Publications Office publishes the Official Journal
and which EUR-Lex / Cellar serves beside the XHTML of each act.

The act is rendered as the Official Journal prints it: the title block on one line
("Commission Delegated Regulation (EU) 2025/2003 of ... amending ..."), the OJ
reference, the citations and recitals, the Articles ("Article 1", its heading, its
numbered paragraphs and lettered points), the final provisions and the Annexes,
whose tables become pipe rows. The EUR-Lex genre then reads it like the XHTML, so
one set of rules serves both formats.

Element names follow the Formex 4 schema: ``ACT`` (or ``CONS.ACT``) with
``BIB.INSTANCE``, ``TITLE/TI/P``, ``PREAMBLE`` (``GR.VISA``, ``GR.CONSID/CONSID``),
``ENACTING.TERMS`` (``DIVISION``, ``ARTICLE``, ``TI.ART``, ``STI.ART``, ``PARAG``,
``NO.PARAG``, ``ALINEA``, ``LIST/ITEM/NP``, ``NO.P``, ``TXT``), ``FINAL`` and
``ANNEX`` (``CONTENTS``, ``GR.SEQ``, ``TBL/CORPUS/ROW/CELL``); superscripts are
``HT TYPE="SUP"``; footnotes (``NOTE``) are left out of the reading text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_ROOTS = {"ACT", "CONS.ACT", "ANNEX", "CONS.ANNEX", "FMX"}
_SUPERSCRIPT = str.maketrans("0123456789-−+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁺")
#: elements whose text is one paragraph of the reading text
_TEXT = {"P", "ALINEA", "TXT", "VISA", "PREAMBLE.INIT", "GR.CONSID.INIT", "PREAMBLE.FINAL", "SIGNATORY"}
#: numbered containers: their number is written before their first text
_NUMBERS = {"NO.PARAG", "NO.P", "NO.SEQ"}
#: headings and their level
_HEADINGS = {"TI.ART": 3, "STI.ART": 4}
#: children that make a text element a container of blocks
_BLOCKS = _TEXT | {"LIST", "TBL", "ITEM", "NP"}
_SKIP = {"NOTE", "BIB.INSTANCE", "BIB.DATA", "INFO.PROD", "FMX.GEN", "TOC"}


def is_formex(root: ET.Element) -> bool:
    """A Formex act or annex (its root, or a ``FMX`` wrapper holding one)."""
    return root.tag in _ROOTS and (root.tag != "FMX" or root.find("ACT") is not None or root.find("ANNEX") is not None)


def inline(el: ET.Element) -> str:
    """An element's text, superscripts kept as superscripts (10⁻⁴) and footnotes out."""
    out = [el.text or ""]
    for child in el:
        if child.tag in _SKIP:
            out.append(child.tail or "")
            continue
        inner = inline(child)
        if child.tag == "HT" and child.get("TYPE") == "SUP" and re.fullmatch(r"[\d−+-]+", inner.strip()):
            inner = inner.strip().translate(_SUPERSCRIPT)
        elif child.tag == "QUOT.START":
            inner = "‘"
        elif child.tag == "QUOT.END":
            inner = "’"
        out.append(inner)
        out.append(child.tail or "")
    return " ".join("".join(out).split())


def _oj_reference(root: ET.Element) -> str:
    """ "OJ L, 2025/2003, 14.11.2025" (or "OJ L 206, 11.6.2021") from BIB.INSTANCE."""
    bib = root.find(".//BIB.INSTANCE")
    if bib is None:
        return ""
    ref = bib.find("DOCUMENT.REF")
    date = bib.find("DATE")
    iso = date.get("ISO", "") if date is not None else ""
    if ref is None or not re.fullmatch(r"\d{8}", iso):
        return ""
    printed = f"{int(iso[6:8])}.{int(iso[4:6])}.{iso[:4]}"
    coll = (ref.findtext("COLL") or "L").strip()
    number = (ref.findtext("NO.OJ") or "").strip().lstrip("0")
    current = bib.findtext("NO.DOC/NO.CURRENT")
    if current and not number:
        return f"OJ {coll}, {iso[:4]}/{current.strip()}, {printed}"
    return f"OJ {coll} {number}, {printed}" if number else f"OJ {coll}, {printed}"


def _rows(table: ET.Element) -> list[tuple[str, int]]:
    out = []
    for row in table.iter("ROW"):
        cells = [inline(c) for c in row.findall("CELL")]
        if any(cells):
            out.append(("| " + " | ".join(cells) + " |", 0))
    return out


def _walk(el: ET.Element, parts: list[tuple[str, int]], lead: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag in _NUMBERS:
            lead.append(inline(child))
        elif tag in _HEADINGS:
            if inline(child):
                parts.append((inline(child), _HEADINGS[tag]))
        elif tag == "TITLE":
            # a division's or an annex's title: its TI (and STI) lines are one heading
            title = " ".join(inline(t) for t in child.iter() if t.tag == "P") or inline(child)
            if title:
                parts.append((title, 2))
        elif tag == "TBL":
            parts.extend(_rows(child))
        elif tag in _TEXT and not any(c.tag in _BLOCKS for c in child):
            words = inline(child)
            if words:
                parts.append((" ".join([*lead, words]), 0))
                lead.clear()
        else:
            # a container, or a text whose points follow it: its own words first
            own = " ".join((child.text or "").split()) if tag in _TEXT else ""
            if own:
                parts.append((" ".join([*lead, own]), 0))
                lead.clear()
            _walk(child, parts, lead)


def formex_parts(root: ET.Element) -> list[tuple[str, int]]:
    """The act (and any annexes it carries) as (text, heading level or 0) parts."""
    parts: list[tuple[str, int]] = []
    acts = [root] if root.tag != "FMX" else [c for c in root if c.tag in _ROOTS]
    for act in acts:
        title = act.find("TITLE")
        if title is not None:
            words = " ".join(inline(p) for p in title.iter("P")) or inline(title)
            parts.append((words, 1))
        reference = _oj_reference(act)
        if reference:
            parts.append((reference, 0))
        for child in act:
            if child.tag in ("TITLE", "BIB.INSTANCE"):
                continue
            _walk(child, parts, [])
    return parts
