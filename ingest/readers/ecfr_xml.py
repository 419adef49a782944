"""eCFR XML as the eCFR versioner serves it: ``DIV1``..``DIV9`` with ``TYPE``
(TITLE, CHAPTER, PART, SUBPART, SECTION, APPENDIX) and ``N``, ``HEAD`` headings,
``P`` paragraphs, ``CITA`` source citations, and ``E T="51"`` superscripts (also in
Federal Register XML). The first line of the text is the CFR citation ("15 CFR
740.24", from the hierarchy metadata or the DIV numbers), so the document says
whose it is; paragraphs that are ECCN headings or entry sections become headings,
as they do in plain text."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from .text import HEADING

_DIV = re.compile(r"^DIV[1-9]$")
#: E element types that raise their text (superscripts)
_SUPERSCRIPT_TYPES = {"51", "superscript"}
_SUPERSCRIPT = str.maketrans("0123456789-−+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁺")
_BLOCKS = {"P", "FP", "CITA", "NOTE", "AUTH", "SOURCE", "EDNOTE", "PSPACE"}


def _local(tag: str) -> str:
    """A tag without its namespace, in lower case (``{...legislation}Superior`` -> superior)."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def inline_text(el: ET.Element) -> str:
    """An element's text with superscripts kept as superscripts: ``10<E T="51">−4</E>``
    reads 10⁻⁴, not 10−4 (a lost superscript would read as a subtraction)."""
    out = [el.text or ""]
    for child in el:
        inner = inline_text(child)
        if child.tag == "E" and child.get("T") in _SUPERSCRIPT_TYPES and re.fullmatch(r"[\d−+-]+", inner.strip()):
            inner = inner.strip().translate(_SUPERSCRIPT)
        elif _local(child.tag) in ("sup", "superior", "superscript") and re.fullmatch(r"[\d−+-]+", inner.strip()):
            inner = inner.strip().translate(_SUPERSCRIPT)
        out.append(inner)
        out.append(child.tail or "")
    return "".join(out)


def is_ecfr(root: ET.Element) -> bool:
    return root.tag in ("ECFR", "ECFRBROWSE") or any(_DIV.match(el.tag) for el in root.iter())


def _citation(root: ET.Element) -> str:
    """The CFR citation of the outermost DIV: hierarchy metadata, else title and part."""
    title = part = ""
    for el in root.iter():
        if not _DIV.match(el.tag):
            continue
        meta = el.get("hierarchy_metadata")
        if meta:
            try:
                cited = json.loads(meta).get("citation", "")
            except ValueError:
                cited = ""
            if cited:
                return cited
        kind, number = el.get("TYPE", "").upper(), el.get("N", "")
        if kind == "TITLE" and not title:
            title = number
        elif kind == "PART" and not part:
            part = number
    if part and not title:
        return f"PART {part}"  # the title comes from what the text says (``cfr.identify``)
    return f"{title} CFR part {part}" if title and part else ""


def ecfr_parts(root: ET.Element) -> list[tuple[str, int]]:
    """(text, heading level or 0) for ``base.render``."""
    parts: list[tuple[str, int]] = []
    citation = _citation(root)
    if citation:
        parts.append((citation, 1))
    depth = {el: 0 for el in root.iter()}
    for parent in root.iter():
        for child in parent:
            depth[child] = depth[parent] + (1 if _DIV.match(parent.tag) else 0)
    for el in root.iter():
        if el.tag == "HEAD":
            parts.append((inline_text(el), min(2 + depth[el] // 2, 4)))
        elif el.tag in _BLOCKS:
            text = inline_text(el)
            parts.append((text, 2 if HEADING.match(text.strip()) else 0))
    return parts
