"""Instruments a text names by their title alone ("the Export Control Order 2008"), linked
to their citation (S.I. 2008/3231) so that they are the same instrument as wherever the
citation is written.

Every title a block names is an Instrument mention (``titled_instruments``); these have
their citation's id. Two sources: a title the text itself pairs with a citation ("the
Export Control Order 2008 (S.I. 2008/3231)"), which holds for the rest of that document; and the few titles
of the instruments the reference set lists (``../shared/reference/instruments.csv`` and
the acts they amend), by which alerts and essays name them without a citation. A title
names its own jurisdiction, so these are read in commentary too. Other titles ("the
Strategic Goods Law 2019") are the instruments of the text's own jurisdiction, read only
in an instrument's own text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qharmony.ontology.namespaces import slug

from .citations import series_owner
from .genres.own_state import own_series
from .state import DocumentState

#: official title (or the short title texts use) -> (jurisdiction, citation)
KNOWN_TITLES: dict[str, tuple[str, str]] = {
    "Export Control Order 2008": ("GB", "SI 2008/3231"),
    "Export Control (Amendment) Regulations 2024": ("GB", "SI 2024/346"),
    "Export Control (Amendment) (No. 2) Regulations 2025": ("GB", "SI 2025/1197"),
    "Dual-Use Regulation": ("EU", "Regulation (EU) 2021/821"),
    "Dual-use Regulation": ("EU", "Regulation (EU) 2021/821"),
    "EU Dual-Use Regulation": ("EU", "Regulation (EU) 2021/821"),
    "Defence and Strategic Goods List 2024": ("AU", "F2024L01024"),
}
#: a word every known title holds: most blocks name none, and are not scanned
_ANY_TITLE_WORD = re.compile(r"Order|Regulations?|List")
#: the citations a title is paired with or footnoted by: "S.I. 2008/3231", "SOR/2024-112",
#: "Regulation (EU) 2021/821"
_CITE = r"S\.?I\.? \d{4}/\d+|SOR/\d{4}-\d+|(?:Delegated |Implementing )?Regulation \(EU\) \d{4}/\d+"
#: "<Title> (S.I. 2008/3231)", "<Title> (SOR/2024-112)", "<Title> (Regulation (EU) 2021/821)"
_WORD = r"(?:[A-Z][\w-]*|\((?:Amendment|No\. \d+)\)|of|and|on|for|the)"
_PAIRED = re.compile(r"(?P<title>" + _WORD + r"(?: " + _WORD + r")*(?: (?:19|20)\d\d)?) \((?P<cite>" + _CITE + r")\)")
_CITE_OWNER = [(re.compile(r"^S\.?I\.?"), "GB"), (re.compile(r"^SOR"), "CA"), (re.compile(r"Regulation \(EU\)"), "EU")]
_LEADING = {"The", "the", "This", "These", "Under", "In", "By", "Of", "An", "A", "To", "of", "and", "on", "for"}


#: a footnote line giving a citation: "(b) S.I. 2008/3231.", "(2) SOR/2024-112"
_FOOTNOTE = re.compile(
    r"^[ \t]*\((?P<mark>[a-z]{1,2}|\d{1,2})\)[ \t]+(?P<cite>" + _CITE + r")(?:,[^\n]{0,80})?\.?[ \t]*$",
    re.M,
)
#: a title with a footnote marker right after its year: "the Export Control Order 2008(b)"
_MARKED = re.compile(
    r"(?P<title>(?:[A-Z][\w-]*|\([A-Z][\w .-]*\))(?: (?:[A-Z][\w-]*|\([A-Z][\w .-]*\)|of|and|on|for|the))*"
    r" (?:19|20)\d\d)\((?P<mark>[a-z]{1,2}|\d{1,2})\)"
)


def footnoted_titles(text: str, jurisdiction: str | None) -> dict[str, str]:
    """Titles the text cites through a footnote marker ("the Strategic Goods Order 2019(a)"
    with "(a) S.I. 2019/88." below): title -> the citation's id, for the whole document. The
    citation is the document's own jurisdiction's unless its form says whose it is."""
    notes = {m.group("mark"): m.group("cite") for m in _FOOTNOTE.finditer(text)}
    if not notes:
        return {}
    found = {}
    for m in _MARKED.finditer(text):
        cite = notes.get(m.group("mark"))
        if not cite:
            continue
        words = m.group("title").split(" ")
        while words and words[0] in _LEADING:
            words.pop(0)
        owner = jurisdiction or next(code for rx, code in _CITE_OWNER if rx.search(cite))
        if len(words) >= 2:
            found[" ".join(words)] = citation_id(owner, cite)
    return found


def citation_id(jurisdiction: str, citation: str) -> str:
    """The id of an instrument by its citation ("S.I. 2008/3231" -> GB:SI-2008-3231)."""
    return f"{jurisdiction}:{slug(citation.replace('S.I.', 'SI'))}"


@lru_cache(maxsize=1)
def _known_rx() -> re.Pattern[str]:
    names = sorted(KNOWN_TITLES, key=len, reverse=True)
    return re.compile(r"(?<![\w(])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w)])")


def known_titles(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, id, title) of each known title in ``text``."""
    if not _ANY_TITLE_WORD.search(text):
        return []
    found = []
    for m in _known_rx().finditer(text):
        jurisdiction, citation = KNOWN_TITLES[m.group(0)]
        found.append((m.start(), m.end(), citation_id(jurisdiction, citation), m.group(0)))
    return found


#: the citation part of ``_PAIRED``, alone: most blocks with a parenthesis cite none, and
#: ``_PAIRED`` tries its title words at every capital before failing
_ANY_CITE = re.compile(r"\((?:" + _CITE + r")")


def paired_titles(text: str, own: str | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, id, title) of each title the text pairs with its citation; an SI or SOR
    number is ``own``'s, the document's own state's (``citations.own_series``), when it has one."""
    if "(" not in text or not _ANY_CITE.search(text):
        return []
    found = []
    for m in _PAIRED.finditer(text):
        words = m.group("title").split(" ")
        while words and words[0] in _LEADING:
            words.pop(0)
        if len(words) < 2:
            continue
        title = " ".join(words)
        cite = m.group("cite")
        owner = series_owner(next(code for rx, code in _CITE_OWNER if rx.search(cite)), own, text, m.start("cite"))
        start = m.end("title") - len(title)
        found.append((start, m.end("title"), citation_id(owner, cite), title))
    return found


def _remembered(st: DocumentState, text: str) -> list[tuple[int, int, str, str]]:
    """Titles the document paired with a citation earlier (or through a footnote), wherever
    this text names them again, also in forms the title patterns below do not read
    ("the Strategic Goods (Control) Order 2019")."""
    found = []
    for title, ident in st.titles.items():
        start = text.find(title)
        while start >= 0:
            found.append((start, start + len(title), ident, title))
            start = text.find(title, start + len(title))
    return found


#: an act, ordinance or decree a text names by its title: "the Export Control Act 2002", "the
#: Export and Import Permits Act", "Annex C of the Export Licensing Ordinance", "Decree No.
#: 14/2025"; a body of regulations without a year ("the Export Administration Regulations")
#: is law in general, not an instrument of its own
_NAMED_INSTRUMENT = re.compile(
    r"\b(?P<v>(?:(?:{W}|and|of|on|for) ){0,6}?{W} (?:and (?:{W} ){1,3})?"
    r"(?:Act|Ordinance|Law|Code)(?:,? (?:of )?(?:19|20)\d\d)?"  # "the Foreign Trade Act, 2010"
    r"|(?:{W} ){1,5}(?:Order|Regulations?|Decree|Rules) (?:19|20)\d\d"
    # "the Dual-Use Goods Decree of 5 May 2026": a decree named by its date
    r"|(?:{W} ){1,5}(?:Decree|Order|Ordinance) of \d{1,2} [A-Z][a-z]+ (?:19|20)\d\d"
    r"|(?:Decree|Ordinance|Law|Order) No\. ?\d+[/-]\d{4})\b".replace("{W}", r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*")
)
#: how every ``_NAMED_INSTRUMENT`` ends, alone: a block without one is not scanned (keep the two
#: in step: ``tests/test_ingest_prefilter.py`` checks that every match holds one)
_NAMED_END = re.compile(
    r"(?:Act|Ordinance|Law|Code)\b|(?:Order|Regulations?|Decree|Rules) (?:19|20)\d\d\b|No\. ?\d+[/-]\d{4}\b"
    r"|(?:Decree|Order|Ordinance) of \d"
)
#: the act a Canada Gazette order is made under, set as a capitalised line
_CAPS_ACT = re.compile(r"^[ \t]*(?P<v>[A-Z][A-Z ]{3,80} (?:ACT|ORDINANCE|LAW))[ \t]*$", re.M)
_NOT_A_TITLE = {"This", "These", "The", "That", "Such", "Each", "Any", "Under", "In", "By", "Of", "An", "A", "Our"}


#: a word every title above ends in or starts with: a block without one names no instrument
_TITLE_WORD = re.compile(r"Act|Ordinance|Law|Code|Order|Regulation|Decree|List|ACT|ORDINANCE|LAW")


def titled_instruments(st: DocumentState, text: str, remember: bool = False) -> list[tuple[int, int, str, str, str]]:
    """(start, end, id, title, rule) of each instrument ``text`` names by its title: titles
    whose citation the text gave ("the Export Control Order 2008 (S.I. 2008/3231)", kept for
    the rest of the document when ``remember``) or the reference set knows, in any text; and,
    in an instrument's own text, the acts and orders it names, which are its jurisdiction's
    (an essay's or alert's are left alone: whose law it names is not read from the text)."""
    if not _TITLE_WORD.search(text):
        return []
    found = []
    paired = paired_titles(text, own_series(st))
    for _s, _e, ident, title in paired:
        if remember:
            st.titles[title] = ident
    for s, e, ident, title in [*known_titles(text), *paired, *_remembered(st, text)]:
        if not any(a <= s < b for a, b, *_ in found):
            found.append((s, e, ident, title, "title.citation"))
    if not st.jurisdiction or getattr(st.profile, "claims_only", False):
        return found
    for m in _CAPS_ACT.finditer(text):
        title = " ".join(w if w in ("AND", "OF", "FOR", "ON", "THE") else w.title() for w in m.group("v").split())
        ident = f"{st.jurisdiction}:{slug(title.replace('AND', 'and').replace('OF', 'of'))}"
        found.append((m.start("v"), m.end("v"), ident, title, "regex.named_instrument"))
    cited = list(found)
    for m in _NAMED_INSTRUMENT.finditer(text) if _NAMED_END.search(text) else ():
        words = m.group("v").split()
        while words and (words[0] in _NOT_A_TITLE or words[0].islower()):
            words.pop(0)
        if len(words) < 2 or (len(words) == 2 and words[1][0].isdigit()):
            continue  # "Order 2008" alone is no title
        title = " ".join(words)
        start = m.end("v") - len(title)
        if any(s <= start < e for s, e, *_ in cited):
            continue  # named with its citation already
        ident = st.titles.get(title) or f"{st.jurisdiction}:{slug(title.replace(', ', ' '))}"
        found.append((start, start + len(title), ident, title, "regex.named_instrument"))
    return found
