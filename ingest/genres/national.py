"""National instruments in the styles ministries use: notices to exporters, decrees,
orders and regulations. The issuing body is named near the top ("The Ministry of
Foreign Trade of the Republic of Ruritania issues ..."), and the jurisdiction is the
one that body belongs to, never a country the text names as a destination."""

from __future__ import annotations

import re

from ..jurisdictions import STATE_FORMS, Registry
from ..prefilter import may_contain
from .common import (
    Found,
    Profile,
    adopted_date,
    authority_jurisdiction,
    compliance_date,
    effective_date,
    state_in_line,
)

_BODY = (
    r"(?:Ministry|Ministère|Department|Office|Agency|Directorate(?:-General)?|Bureau|Board|"
    r"Government|Cabinet|Minister|Council|Authority)"
)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
_AUTHORITY = re.compile(
    r"(?P<v>(?:(?:[A-Z][\w'-]+|of|for|and|the) )*?(?:[A-Z][\w'-]+ )*" + _BODY + r"\b"
    r"(?:,? (?:of|for|and|the|(?!" + _MONTHS + r")[A-Z][\w'-]+)(?= ))*(?: (?!" + _MONTHS + r")[A-Z][\w'-]+)?)"
)
_CITATION = re.compile(
    r"\b(?P<v>(?:[A-Z][\w-]+ )*"
    r"(?i:Notice|Notification|Circular|Order|Decree|Regulation|Ordinance|Act|Decision|Resolution)"
    r"(?i: to Exporters)?(?:\s+(?i:Serial))?\s(?:(?i:No)\.? ?[\w./-]*\d[\w./-]*|\d{1,4}[/-]\d{1,4}\b"
    r"|[A-Z]{2,8}[/-]\d{1,4}(?:[/-]\d{1,4})+\b)"
    # "Decree 31 of 2026": the year completes the citation; a full date after it ("No. 2/2024 of
    # 4 March 2024") is the instrument's date, not its citation
    r"(?: of \d{4}\b(?! ?[/-]))?)"
)


def national_citations(jurisdiction: str, text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, id, words) of the instruments a national text cites in its own series'
    shape ("Circular 2025/11 is amended", "see Notice FT-1/2025"): its jurisdiction's."""
    from ..instrument_ids import instrument_id

    if not _CITED_GATE.search(text):
        return []
    out = []
    for m in _CITATION.finditer(text):
        words = m.group("v").rstrip(".")
        lead = words.split(" ", 1)[0]
        if lead in ("The", "This", "These", "Under", "In", "See", "By"):
            words = words.split(" ", 1)[1]
        start = m.end("v") - len(m.group("v")) + m.group("v").find(words)
        out.append((start, start + len(words), instrument_id(jurisdiction, words), words))
    return out


#: a title's version designation: ": 36th amendment", " - second revision"
_VERSION = re.compile(
    r"\s*[:–—-]\s*(?:the\s+)?(?:\d+(?:st|nd|rd|th)|first|second|third)\s+(?:amendment|revision)\b.*$", re.I
)
#: a masthead line that is a body's name, not a title
_BODY_LINE = re.compile(r"^[ \t#*]*(?:[A-Z][\w,'-]* )*?" + _BODY + r"\b(?! (?:Notice|Order|Decree|Circular))")
_CITED_GATE = re.compile(r"\d[/-]\d|\bNo\.? ?\d", re.I)
#: a number in the UK's series drafting in a heading ("Statutory Instruments 2026 No. 88",
#: "2026 No. 88"): the instrument's citation, SI 2026/88, whoever's series it is
_SI_NUMBER = re.compile(r"(?:\bStatutory Instruments\s+|^[ \t#]*)(?P<y>(?:19|20)\d\d) No\. ?(?P<n>\d+)\b", re.I | re.M)

#: a heading line in capitals that names the issuing body: "MINISTRY OF TRADE AND INDUSTRY"
_CAPS_BODY = re.compile(
    r"^[ \t]*(?P<v>(?:[A-Z'-]+ )*(?:MINISTRY|DEPARTMENT|OFFICE|AGENCY|DIRECTORATE|BUREAU|BOARD)\b[A-Z ,'-]*?)[ \t]*$",
    re.M,
)
_HEADING = re.compile(r"^[ \t]*(?:#{1,2}[ \t]+)?(?P<v>\S[^\n]{3,200})$", re.M)
_KINDS = [
    (re.compile(r"\bnotice\b", re.I), "notice to exporters"),
    (re.compile(r"\bdecree\b", re.I), "decree"),
    (re.compile(r"\border\b", re.I), "order"),
    (re.compile(r"\bregulations?\b|\bordinance\b", re.I), "regulation"),
    (re.compile(r"\bact\b|\blaw\b", re.I), "act"),
]
_CONNECTORS = {"of", "for", "and", "the", "on", "by"}
_GOVERNMENT_OF = re.compile(r"(?:The )?Government of\b")


def _authority(text: str) -> Found | None:
    from .common import AUTHORITY_JURISDICTIONS

    head = text[:300]
    for name in AUTHORITY_JURISDICTIONS:  # a body known by a name without "Ministry" in it
        if name.isascii() and not may_contain(head, (name.lower(),)):
            continue  # a case-insensitive match holds the name in the head's lower case
        known = re.search(r"^[ \t#*]*(" + re.escape(name) + r")\b", text[:300], re.I | re.M)
        if known:
            return Found(known.group(1), known.start(1), known.end(1))
    caps = _CAPS_BODY.search(text[:600])
    if caps:
        return Found(
            caps.group("v")
            .title()
            .replace(" And ", " and ")
            .replace(" Of ", " of ")
            .replace(" For ", " for ")
            .replace(" The ", " the "),
            caps.start("v"),
            caps.end("v"),
        )
    found = None
    for m in _AUTHORITY.finditer(text[:2500]):
        if text[m.end("v") : m.end("v") + 1] == ":":
            continue  # a field name ("Authority:"), not a body
        words = m.group("v").split(" ")
        while words and (words[-1] in _CONNECTORS or words[-1].endswith(",")):
            words.pop()
        while words and (words[0] in _CONNECTORS or words[0] in {"The", "This", "In", "By"}):
            words.pop(0)
        if not words or not re.search(_BODY, " ".join(words)):
            continue
        name = " ".join(words).rstrip(",")
        start = m.start("v") + m.group("v").find(words[0])
        if not _GOVERNMENT_OF.match(name):
            return Found(name, start, start + len(name))
        # "Government of the Republic of X" heads a letterhead: it names the state; the body
        # that issues is the ministry or office under it, when the masthead names one
        found = found or Found(name, start, start + len(name))
    return found


#: a masthead line that names only a unit under a ministry: "Directorate General of Foreign
#: Trade", "State Export Control Office", "Licensing Division"
_UNIT_LINE = re.compile(
    r"^[ \t#*]*(?P<v>(?:[A-Z][\w'-]+ )*(?:Directorate(?:[- ]General)?|Office|Bureau|Agency|Division|Service|Board|"
    r"Department|Authority|Branch|Unit|Section)(?: (?:of|for|and|the|on)(?= )| [A-Z][\w'-]+)*)[ \t*]*$"
)
#: "... of the Kingdom of Borduria": the state a body's name ends with is not part of its own name
_OF_STATE = re.compile(
    r",? of (?:the )?(?:" + "|".join(re.escape(f) for f in sorted(STATE_FORMS, key=len, reverse=True)) + r") of "
    r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)?$"
)


def _own_name(body: Found) -> Found:
    """A body's own name stops before the state it belongs to ("Ministry of Foreign Trade of
    the Kingdom of Borduria" is the ministry of foreign trade)."""
    own = _OF_STATE.search(body.value)
    if own and own.start() > 0:
        return Found(body.value[: own.start()], body.start, body.start + own.start())
    return body


_DASHED_UNIT = re.compile(r"\s[—–-]\s+" + _UNIT_LINE.pattern.lstrip("^"))


def _issuing_unit(text: str, body: Found) -> tuple[Found, list[Found]]:
    """The body that issues, and the other bodies of the masthead. A ministry's line followed
    by the line of a unit under it ("Ministry of Commerce" / "Directorate of Export Control")
    names both; the unit issues when the text names it again as the one acting ("The
    Directorate of Export Control gives notice ..."), as an agency under a department does;
    else the ministry the masthead puts first."""
    line_end = text.find("\n", body.end)
    line_start = text.rfind("\n", 0, body.start) + 1
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    own_line = re.sub(r"[\s*#]+|\(.*?\)", "", line).lower() == re.sub(r"\s+", "", body.value).lower()
    units: list[Found] = []
    while own_line and line_end >= 0:
        nxt = text.find("\n", line_end + 1)
        following = text[line_end + 1 : nxt if nxt >= 0 else len(text)]
        unit = _UNIT_LINE.match(following) if len(following) <= 90 else None
        if not unit or unit.group("v") == body.value:
            break
        units.append(Found(unit.group("v"), line_end + 1 + unit.start("v"), line_end + 1 + unit.end("v")))
        line_end = nxt
    if own_line is False and (dash := _DASHED_UNIT.search(line)):
        # "Ministry of Economy and Labour — Export Control Department": the unit on the
        # ministry's own line, after a dash
        units.append(Found(dash.group("v"), line_start + dash.start("v"), line_start + dash.end("v")))
    acting = [u for u in units if re.search(r"\b[Tt]he " + re.escape(u.value) + r"\b", text[line_end:])]
    if acting:
        return _own_name(acting[-1]), [_own_name(b) for b in (body, *units) if b is not acting[-1]]
    return _own_name(body), [_own_name(u) for u in units]


def detect(text: str) -> bool:
    """A body named near the top, and a sign that the text is its instrument: a citation in
    the head, the body as a capitalised masthead, or an instrument's kind in the opening
    lines ("Circular to exporters"). A page that names "the Council" in a sentence is none."""
    if _authority(text) is None:
        return False
    # the title lines: short lines among the first three (a sentence is no title)
    lines = [line for line in text[:600].splitlines() if line.strip()][:3]
    opening = "\n".join(
        line for line in lines if len(line) <= 80 or len(line) <= 140 and not line.rstrip().endswith(".")
    )
    kinds = _KINDS + [(re.compile(r"\b(?:circular|notification|announcement)\b", re.I), "")]
    return bool(
        _CITATION.search(text[:3000])
        or _SI_NUMBER.search(text[:600])
        or _CAPS_BODY.search(text[:600])
        or any(rx.search(opening) for rx, _ in kinds)
    )


def read(text: str, registry: Registry) -> Profile:
    profile = Profile("national", confidence=0.85)
    head_lines = [m for m in _HEADING.finditer(text[:1500])][:8]
    cited = [m for m in head_lines if _CITATION.search(m.group("v")) and len(m.group("v")) < 160]
    # without a citation, the first head line naming an instrument's kind ("Public Notice on ...")
    kinded = [
        m for m in head_lines if any(rx.search(m.group("v")) for rx, _ in _KINDS) and not _BODY_LINE.match(m.group("v"))
    ]
    heading = cited[0] if cited else (kinded[0] if kinded else head_lines[0] if head_lines else None)
    if heading:
        title = heading.group("v").strip().strip("#").strip()
        if not cited:  # "...: 36th amendment (restated ...)": the instrument is the title before its version
            title = _VERSION.sub("", re.sub(r"\s*\([^()]*\)\s*$", "", title)).strip()
        start = heading.start("v") + heading.group("v").find(title)
        profile.title = Found(title, start, start + len(title))
    named = _authority(text)
    if named:
        profile.authority, profile.bodies = _issuing_unit(text, named)
    code = authority_jurisdiction(named.value, registry) if named else None
    where = profile.authority
    if not code and profile.title:
        code = authority_jurisdiction(profile.title.value, registry)
        where = profile.title
    for line in head_lines[:5] if not code else []:
        found = state_in_line(re.sub(r"\s*\(.*?\)\s*$", "", line.group("v")), registry)
        if found:  # a letterhead line that names the state: "REPUBLIC OF RURITANIA"
            code, s, e = found
            where = Found(line.group("v")[s:e], line.start("v") + s, line.start("v") + e)
            break
    if code and where:
        profile.jurisdiction = Found(code, where.start, where.end)
    cite = _CITATION.search(profile.title.value) if profile.title else None
    cite = cite or _CITATION.search(text[:3000])
    # the title's SI number, or one in the head when no other citation is there
    number = _SI_NUMBER.search(profile.title.value if profile.title else "") or (
        None if cite else _SI_NUMBER.search(text[:600])
    )
    if number:
        profile.citation = f"SI {number['y']}/{number['n']}"
    elif cite:
        profile.citation = cite.group("v").rstrip(".")
    scope = f"{profile.title.value if profile.title else ''} {profile.citation}"
    profile.kind = next((k for rx, k in _KINDS if rx.search(scope)), "instrument")
    for role, found in (
        ("effective", effective_date(text)),
        ("adopted", adopted_date(text)),
        ("compliance", compliance_date(text)),
    ):
        if found:
            profile.dates[role] = found
    return profile
