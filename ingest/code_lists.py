"""Codes coordinated after one noun: "items 4101 and 4102", "entries FQ-6 and FQ-7",
"Items RQ-1, RQ-2 or RQ-3", "entries 7A104 to 7A106". The ruler marks the first code with
its noun; each code joined to it by a comma, "and", "or" or "to" and of the same shape is
a code as well (the range's middle codes are not written, so they are not marked)."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from .eccn import BASE, PATH
from .patterns import CODE_REGEX, NATIONAL_CODE_REGEX

_JOINERS = {",", "and", "or", "to", "through"}
_LIST_NOUNS = {"items", "entries", "codes", "headings", "eccns", "subheadings"}
#: the first code's shape, which the others share; a four-digit code is never a year
_SHAPES = (re.compile(NATIONAL_CODE_REGEX), re.compile(r"^(?!19\d\d|20\d\d)[1-9]\d{3}$"), re.compile(CODE_REGEX))


def _shape(text: str) -> re.Pattern[str] | None:
    return next((rx for rx in _SHAPES if rx.match(text)), None)


@Language.component("qharmony_code_lists_v1")
def code_lists(doc: Doc) -> Doc:
    """Mark the codes coordinated with a code the ruler found after a plural list noun, and
    the paragraphs listed after an ECCN with a path ("3B001.a.4, c, d")."""
    codes = [e for e in doc.ents if e.label_ == "CONTROL_CODE"]
    heads = [e for e in codes if e[0].lower_ in _LIST_NOUNS]
    pathed = [e for e in codes if _PATHED.match(e[-1].text.rstrip("."))]
    if not heads and not pathed:
        return doc
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    new = []
    for head in heads:
        shape = _shape(head[-1].text)
        i = head.end
        while shape is not None and i + 1 < len(doc) and doc[i].lower_ in _JOINERS:
            j = i + 1
            if doc[i].text == "," and doc[j].lower_ in ("and", "or") and j + 1 < len(doc):
                j += 1  # "4101, 4102, and 4103"
            if j in taken or not shape.match(doc[j].text):
                break
            new.append(Span(doc, j, j + 1, label="CONTROL_CODE"))
            taken.add(j)
            i = j + 1
    new += _elliptical(doc, pathed, taken)
    if new:
        doc.set_ents([*doc.ents, *new])
    return doc


#: a paragraph path written without its ECCN ("c", "f.1", "z.2.a") and an ECCN with a path
_PATH = re.compile(rf"^{PATH}$")
_PATHED = re.compile(rf"^(?P<base>{BASE})\.(?P<path>{PATH})$")
#: what may follow a bare one-letter path that does not come later in the alphabet than the
#: path before it (never "a" the article: "3B001.a, or a substitute")
_AFTER_PATH = {",", ";", ":", ")", ".", "and", "or", "to", "through"}


def _elliptical(doc: Doc, pathed: list[Span], taken: set[int]) -> list[Span]:
    """The EAR's lists of paragraphs of one ECCN, the ECCN written once: "3B001.a.4, c, d,
    f.1, k to n", "5A002.z.1.a, z.2.a, z.3.a": each path after the first code is a paragraph
    of its ECCN (its id in ``ent_id_``, read by ``code_text``)."""
    new = []
    for head in pathed:
        m = _PATHED.match(head[-1].text.rstrip("."))
        if m is None:
            continue
        base, last = m.group("base"), m.group("path")
        i = head.end
        while i + 1 < len(doc) and doc[i].lower_ in _JOINERS:
            j = i + 1
            if doc[i].text == "," and doc[j].lower_ in ("and", "or") and j + 1 < len(doc):
                j += 1
            path = doc[j].text.rstrip(".")
            # "a, b, c and d apply": a lone letter after the one before it is the next paragraph
            lone = len(path) == 1 and path <= last[0] and (j + 1 >= len(doc) or doc[j + 1].lower_ not in _AFTER_PATH)
            if j in taken or not _PATH.match(path) or lone:
                break
            new.append(Span(doc, j, j + 1, label="CONTROL_CODE", span_id=f"{base}.{path}"))
            taken.add(j)
            last = path
            i = j + 1
    return new


def code_text(code: Span) -> str:
    """The code a ``CONTROL_CODE`` span names: its last token ("ECCN 4A906" names 4A906),
    or the whole code of a paragraph written without its ECCN ("c" in "3B001.a.4, c")."""
    return code.ent_id_ or code[-1].text.rstrip(".")


def respective(codes: list[Span], techs: list[Span]) -> dict[int, Span] | None:
    """A list of codes and a list of as many distinct technologies in one clause pair in
    order, with or without "respectively" ("ECCNs 3A904, 3B904 and 3C907, which cover
    cryogenic cooling systems, cryogenic wafer probers and isotopically enriched
    materials"): code start -> its technology. None when the lists do not pair (one code,
    counts that differ, a technology named twice, or the lists interleaved)."""
    if len(codes) < 2 or len(codes) != len(techs) or len({t.ent_id_ for t in techs}) != len(techs):
        return None
    codes, techs = sorted(codes, key=lambda c: c.start), sorted(techs, key=lambda t: t.start)
    if not (codes[-1].end <= techs[0].start or techs[-1].end <= codes[0].start):
        return None
    return {c.start: t for c, t in zip(codes, techs, strict=True)}
