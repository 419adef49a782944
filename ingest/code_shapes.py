"""Entry codes of shapes no rule was told about, learned from how the text uses them.

A national list may number its entries in any way ("MV3.1", "HM-4D1", "BX901", "PLQ02",
"Q3.11", "KE-7.a"). No regular expression per country can know them all, but every text
that uses such a code also says that it is one: it puts an entry noun before it ("entry
BX901", "item Q3.11", "heading HM-4A1"), says that goods are "listed in", "caught by" or
"specified in" it, or sets several codes of one family at the heads of the lines of a
list. Once one code of a family (its letters: "MV", "HM-") is so introduced, every code
of that family in the document is one ("an MV3.1 refrigerator", "MV3.2 covers ...").

``families(text)`` learns the families of a whole document (one pass of two regular
expressions over its text); ``extract.py`` hands them to each block's doc in
``doc.user_data[FAMILIES]``, and the ``qharmony_code_shapes_v1`` component marks their
codes as ``CONTROL_CODE``. A doc made without them (a test's ``nlp(text)``) learns from
its own text.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .doc_cache import doc_text

#: where ``extract.py`` leaves a document's families for each of its blocks' docs
FAMILIES = "qharmony.code_families"

#: letters that begin citations, series, groups and licences rather than entry codes
#: ("SOR/2024-112", "SI 2024/346", "OJ L 206", "GL-5", "EU001", "ISO 9001", "CAS 7440")
_NOT_CODES = (
    "SOR|DORS|SI|OJ|PC|NO|No|COM|FR|CFR|RIN|CELEX|ELI|ISO|IEC|EN|SR|HS|CAS|UN|GL|OGEL|GEA|EU|EC|"
    "USC|CN|HTS|TARIC|ECCN|WA|MTCR|NSG|AG|CWC|AM|PM|GMT|UTC|COVID|SARS|[CEFIMX]"
)
#: the letters of a code's family, then its figures, then dotted or hyphenated parts
#: ("MV3.1", "HM-4D1", "KE-7.a"); a one-letter family's code needs a separator, as a bare
#: capital-and-figure pair such as "H2", "Q3" or "A1" is too common a word (``_is_code``;
#: [CEFIMX] are also an SI's annotation markers)
_BODY = r"[A-Z]?\d{1,4}[A-Z]?\d{0,3}(?:[.-](?:\d{1,4}|[a-z])(?![A-Za-z]))*"
_CODE = rf"(?P<family>(?!(?:{_NOT_CODES})(?![A-Za-z]))[A-Z]{{1,4}}-?){_BODY}"
_END = r"(?![\w-])"

#: a word that may be a code, wherever it stands
_CANDIDATE = re.compile(rf"\b(?<![.-]){_CODE}{_END}")
#: figures that are a year ("FY2030", "CVE-2024-1234", "GDPR2016"), or a year beside the
#: code ("the Q3 2031 report", "2031 Q4"): a date or a citation, never an entry
_YEAR_FIGURES = re.compile(r"^-?(?:19|20)\d\d(?!\d)")
_YEAR_AFTER = re.compile(r"[ \t]+(?:19|20)\d\d(?!\d)")
_YEAR_BEFORE = re.compile(r"(?<!\d)(?:19|20)\d\d[ \t]+$")


def _is_code(text: str, family: str, start: int, end: int) -> bool:
    """Whether a word of a family's shape at ``start:end`` can be an entry code: its figures
    are no year and no year stands beside it, and a one-letter family's code has a
    separator ("Q3.11", "K-4"; never "Q3", "H2O" or "A1", a quarter, a formula, a heading)."""
    body = text[start + len(family) : end]
    if _YEAR_FIGURES.match(body) or _YEAR_AFTER.match(text, end) or _YEAR_BEFORE.search(text, max(0, start - 6), start):
        return False
    return len(family) > 1 or "." in body or "-" in body


#: what before a code says it is one: an entry noun, or a verb of listing
_INTRODUCED = re.compile(
    r"(?<![\w-])(?:(?i:entry|entries|items?|(?:sub-?)?headings?|categor(?:y|ies)|ratings?|(?:control )?codes?|"
    r"sub-?items?|points?)"
    r"|(?i:listed|specified|caught|covered|captured|described|included|controlled) (?i:in|by|under|within)"
    r"|(?i:falls?|fell|comes?|come) (?i:within|under|outside)|(?i:outside)(?: (?i:of))?)"
    r"[ \t]+(?:(?i:entry|item|heading) )?$"
)
#: before and after a code at the head of a line (after a bullet, a quote or bold), before
#: its description (a line that asks a question, "Q2. Is ... ?", numbers a question)
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:[-*+•][ \t]+)?[“\"‘']?(?:\*\*)?$")
_DESCRIPTION = re.compile(r"(?:\*\*)?[.:)]?[ \t]+[“\"‘(]?[A-Z]")
#: a cheap test before any of it: a capital next to a figure
_MAYBE = re.compile(r"[A-Z]-?\d")


def families(text: str) -> frozenset[str]:
    """The code families the text introduces: each family's letters ("MV", "HM-")."""
    if not _MAYBE.search(text):
        return frozenset()
    found: set[str] = set()
    heads: dict[str, int] = {}
    for m in _CANDIDATE.finditer(text):
        family = m.group("family")
        if family in found or not _is_code(text, family, m.start(), m.end()):
            continue
        if _INTRODUCED.search(text, max(0, m.start() - 40), m.start()):
            found.add(family)
        elif _LINE_START.search(text, max(0, m.start() - 12), m.start()) and _DESCRIPTION.match(text, m.end()):
            end = text.find("\n", m.end())
            if not text[m.end() : end if end >= 0 else len(text)].rstrip().endswith("?"):
                heads[family] = heads.get(family, 0) + 1  # "Q1. Is my cooler caught?" asks
    # a list: two lines or more led by codes of one family
    found.update(f for f, n in heads.items() if n >= 2)
    return frozenset(found)


def _family_codes(found: frozenset[str]) -> re.Pattern[str]:
    letters = "|".join(re.escape(f) for f in sorted(found, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?P<family>{letters}){_BODY}{_END}")


@Language.component("qharmony_code_shapes_v1")
def code_shapes(doc: Doc) -> Doc:
    """Mark the codes of the families the document introduced as ``CONTROL_CODE``."""
    found = doc.user_data.get(FAMILIES)
    text = doc_text(doc)
    if found is None:
        found = families(text)
    if not found or not _MAYBE.search(text):
        return doc
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    spans = []
    for m in _family_codes(found).finditer(text):
        if not _is_code(text, m.group("family"), m.start(), m.end()):
            continue
        span = doc.char_span(m.start(), m.end())
        if span is None or any(i in taken for i in range(span.start, span.end)):
            continue  # not whole tokens, or already something else
        spans.append(span)
        taken.update(range(span.start, span.end))
    if not spans:
        return doc
    if any(len(s) > 1 for s in spans):
        # "CV-Q2" is three tokens to the tokenizer: one code is one token, as every rule
        # downstream reads a code's last token as the code
        with doc.retokenize() as retokenizer:
            for span in spans:
                if len(span) > 1:
                    retokenizer.merge(span)
    new = [doc.char_span(s.start_char, s.end_char, label="CONTROL_CODE") for s in spans]
    doc.set_ents([*doc.ents, *new])
    return doc
