"""EUR-Lex acts: the title block ("Commission Delegated Regulation (EU) 2025/2003 of
7 November 2025 amending ..."), recitals and Articles, the entry-into-force article,
and OJ and CELEX references."""

from __future__ import annotations

import re

from ..identifiers import identifiers
from ..jurisdictions import Registry
from .common import Found, Profile, effective_date

_TITLE = re.compile(
    r"(?i:(?P<title>(?P<author>Commission |Council )?(?P<type>(?:Delegated |Implementing )?"
    r"(?:Regulation|Directive|Decision|Recommendation)) \((?:EU|EC|Euratom|EU, Euratom)\) "
    r"(?:No )?(?P<year>\d{4})/(?P<num>\d+)(?P<ep> of the European Parliament and of the Council)?"
    r"(?:\s+of (?P<date>\d{1,2} [A-Za-z]+ \d{4}))?))"
)
_AMENDING = re.compile(
    r"\bamending (?P<v>(?:Delegated |Implementing )?(?:Regulation|Directive|Decision) \((?:EU|EC)\) (?:No )?\d{4}/\d+)",
    re.I,
)
_CELEX = re.compile(r"\b(?P<v>3\d{4}[A-Z]\d{4})\b")
_OJ = re.compile(r"\bOJ L(?: \d+)?,? [^\n]{0,30}?\d{1,2}\.\d{1,2}\.\d{4}")
_ENTRY_INTO_FORCE = re.compile(r"shall enter into force on (?:the )?(?P<v>[^.\n]{3,80})")


#: what may stand before an act's title on its line: markup, never words
_BEFORE_TITLE = re.compile(r"^(?:\s|[#*>_|-]|<[^>]*>)*$")


def _title_block(head: str) -> re.Match | None:
    """The act's title block opens its line ("Commission Delegated Regulation (EU) 2025/2003
    of ..."); a citation inside a sentence ("When the Commission adopted Delegated
    Regulation (EU) 2025/2003, ...") names an act the text is not."""
    for m in _TITLE.finditer(head):
        if _BEFORE_TITLE.match(head[head.rfind("\n", 0, m.start()) + 1 : m.start()]):
            return m
    return None


#: the number a notice of the Official Journal's C series carries on its own line under the
#: masthead, with the date of the issue: "C/2023/441 20.10.2023"
#: the number line of the OJ C series, "C/2023/441 20.10.2023"; a masthead may set a short label
#: before it ("C series      C/2023/441") and the date on the line below, right-aligned
_C_SERIES = re.compile(
    r"^[ \t]*(?:[A-Z][A-Za-z ]{0,20}?[ \t]{2,})?(?:OJ )?(?P<v>C/\d{4}/\d+)\b"
    r"(?P<rest>[^\n]*(?:\n[ \t]+\d{1,2}\.\d{1,2}\.\d{4}\b)?)",
    re.M,
)
#: the institution a C-series notice comes from, in capitals on its own line
_INSTITUTION = re.compile(r"^[ \t]*(?P<v>EUROPEAN COMMISSION|COUNCIL OF THE EUROPEAN UNION)[ \t]*$", re.M)


def detect(text: str) -> bool:
    head = text[:3000]
    return (_title_block(head) is not None or _c_series_number(head) is not None) and bool(
        re.search(r"\bArticle 1\b|\bWhereas\b|\bHAS ADOPTED\b|\bOfficial Journal\b|\bAnnex\b", text, re.I)
    )


def _c_series_number(head: str) -> re.Match | None:
    number = _C_SERIES.search(head)
    return number if number and "Official Journal" in head[: number.start()] else None


def _c_series(head: str) -> Profile:
    """An information notice or communication of the OJ C series: the notice is the
    document (not the acts its title cites), its institution issues it, dated by its issue."""
    from ..dates import find_dates

    number = _c_series_number(head)
    profile = Profile("eu_act", kind="Information notice")
    profile.citation = number.group("v")
    institution = _INSTITUTION.search(head)
    after = institution.end() if institution else number.end()
    title = re.search(r"^[ \t]*(?P<v>[A-Z][a-z][^\n]{20,})$", head[after:], re.M)
    where = (after + title.start("v"), after + title.end("v")) if title else (number.start("v"), number.end("v"))
    profile.title = Found(head[where[0] : where[1]].strip(), *where)
    profile.jurisdiction = Found("EU", number.start("v"), number.end("v"))
    if institution:
        profile.authority = Found(institution.group("v").title(), institution.start("v"), institution.end("v"))
    dates = find_dates(number.group("rest"))
    if dates:
        day, s, e = dates[0]
        profile.dates["adopted"] = Found(day.isoformat(), number.start("rest") + s, number.start("rest") + e)
    for other in _TITLE.finditer(head):  # the acts its title cites, with the bodies their citation names
        if other.group("ep"):
            cite = f"{other.group('type').title()} (EU) {other.group('year')}/{other.group('num')}"
            at = Found(cite, other.start("title"), other.start("title") + len(cite))
            profile.cited_issuers += [(at, "European Parliament"), (at, "Council of the European Union")]
    return profile


def read(text: str, registry: Registry) -> Profile:
    head = text[:3000]
    m = _title_block(head)
    if m is None:
        return _c_series(head)
    kind = m.group("type").title()
    profile = Profile("eu_act", kind=kind)
    line_end = text.find("\n", m.start())
    line_end = len(text) if line_end < 0 else line_end
    profile.title = Found(text[m.start() : line_end].strip(), m.start(), line_end)
    profile.citation = f"{kind} (EU) {m.group('year')}/{m.group('num')}"
    author = (m.group("author") or "").strip().title()
    if m.group("ep"):
        ep = m.start("ep")
        name, s, e = "European Parliament", ep + len(" of the "), ep + len(" of the European Parliament")
        council = re.compile(r"council", re.I).search(text, e, m.end("ep"))
        if council:
            profile.co_authorities.append(Found("Council", council.start(), council.end()))
    elif author:
        name = "European Commission" if author == "Commission" else "Council of the European Union"
        s, e = m.start("author"), m.start("author") + len(author)
    else:
        name, s, e = "", 0, 0
    if name:
        profile.authority = Found(name, s, e)
    profile.jurisdiction = Found("EU", m.start("title"), m.end("title"))
    if m.group("date"):
        profile.dates["adopted"] = Found(_iso(m.group("date")), m.start("date"), m.end("date"))
    found = effective_date(text[m.end() :])
    if found:
        profile.dates["effective"] = Found(found.value, found.start + m.end(), found.end + m.end())
    amending = _AMENDING.search(text[m.start() : m.start() + 600])
    if amending:
        s0 = m.start() + amending.start("v")
        profile.amends = [
            Found(re.sub(r"(?i)^regulation", "Regulation", amending.group("v")), s0, s0 + len(amending.group("v")))
        ]
    for other in _TITLE.finditer(text):
        if other.start() != m.start() and other.group("date") and other.group("year") != m.group("year"):
            cite = f"{other.group('type').title()} (EU) {other.group('year')}/{other.group('num')}"
            when = Found(_iso(other.group("date")), other.start("date"), other.end("date"))
            profile.cited.append((Found(cite, other.start("title"), other.start("title") + len(cite)), when))
    profile.amended_by = _amended_by(text)
    celex = _CELEX.search(text)
    cite = profile.citation + (f" (CELEX {celex.group('v')})" if celex else "")
    profile.identifiers = identifiers(cite)
    return profile


#: a consolidated text's "Amended by:" box, and its rows led by a marker ("►M1 | Commission
#: Delegated Regulation (EU) 2025/2003 of 8 September 2025 | L, 14.11.2025")
_AMENDED_BY = re.compile(r"\bAmended by\s*:", re.I)
_MARKER_ROW = re.compile(r"^[\s|]*(?:►|▶|&#9658;)\s*[MA]\d{1,3}\b[^\n]*$", re.M)


def _amended_by(text: str) -> list[tuple[Found, Found | None, str | None]]:
    """The acts a consolidated version lists as amending it, with the institution their title
    names (no date: the box gives each act's adoption, not when its change applied)."""
    box = _AMENDED_BY.search(text)
    out: list[tuple[Found, Found | None, str | None]] = []
    for row in _MARKER_ROW.finditer(text, box.end()) if box else ():
        other = _TITLE.search(row.group(0))
        if other is None:
            continue
        cite = f"{other.group('type').title()} (EU) {other.group('year')}/{other.group('num')}"
        author = (other.group("author") or "").strip().title()
        body = {"Commission": "European Commission", "Council": "Council of the European Union"}.get(author)
        start = row.start() + other.start("title")
        out.append((Found(cite, start, start + len(cite)), None, body))
    return out


def _iso(day: str) -> str:
    from ..dates import find_dates

    return find_dates(day)[0][0].isoformat()
