"""UK statutory instruments: "2024 No. 346", the title ("The Export Control
(Amendment) Regulations 2024"), Made, Laid and Coming into force dates, the enacting
authority ("The Secretary of State makes ...") and the Explanatory Note."""

from __future__ import annotations

import re

from ..jurisdictions import Registry
from .common import Found, Profile, date_after, line_span
from .national import _OF_STATE
from .own_state import own_state

_NUMBER = re.compile(r"^[ \t#*]*(?P<year>\d{4}) No\.? (?P<num>\d+)\b", re.M)
_TITLE = re.compile(
    r"^[ \t#]*(?P<v>The [A-Z][^\n]{5,150}? (?:Regulations|Order|Rules)(?: \(Northern Ireland\))? \d{4})[ \t]*$", re.M
)
_MADE = re.compile(r"^[ \t]*Made\b", re.M | re.I)
_IN_FORCE = re.compile(r"^[ \t]*Coming into force\b|\bcome into force on\b", re.M | re.I)
_AUTHORITY = re.compile(
    r"\b(?P<v>The Secretary of State|The Treasury|The Scottish Ministers|The Welsh Ministers|"
    r"The Minister (?:for|of) [A-Z][\w'-]*(?: (?:and|of|for|the|[A-Z][\w'-]*))*?)\b"
    # the enacting formula's powers clause may run long and hold dots ("sections 1 and 2 of the
    # Export Control Act 2002 (c. 28)"): "..., in exercise of the powers conferred by ..., makes"
    r"(?:,? in exercise of the powers? conferred (?:(?:up)?on (?:\w+ ){1,3})?by [^;:]{0,400}?,)?[^.]{0,40}\bmakes?\b"
)
#: the enacting formula in the passive: "This Order is made by the Minister for X of the Republic of Y
#: under section 7 of ...", "These Regulations are made by the Treasury in exercise of ..."
_MADE_BY = re.compile(
    r"\b(?:This|These) (?:Order|Regulations|Rules|Instrument) (?:is|are) (?:hereby )?made by "
    r"(?P<v>[Tt]he (?:Secretary of State|Treasury|[A-Z][\w'-]*(?: (?:and|of|for|the|[A-Z][\w'-]*))*?))"
    r"(?=\s*(?:\(|,|\bunder\b|\bin exercise\b|\bon\b|\bwith\b|\.))"
)
#: "Schedule 2 to the Export Control Order 2008 is amended as follows": the instrument amended
_IS_AMENDED = re.compile(
    r"\b(?:to|of) the (?P<v>(?:[A-Z][\w()'-]*(?: (?:and|of|for|on))? ){1,8}(?:Order|Regulations|Act|Rules) \d{4})"
    r" (?:is|are) (?:further )?amended\b"
)


_AMENDS = re.compile(r"\bamends?\b[^.]{0,120}?\((?P<v>S\.?I\.? (?P<y>\d{4})/(?P<n>\d+))\)")


#: a revised (consolidated) SI as legislation.gov.uk shows it: its banner, its F-notes
_REVISED = re.compile(r"\bChanges to legislation\b|^\W*Textual Amendments\b", re.M)
#: an F-note: "F2 Words in Sch. 3 inserted (1.4.2024) by The ... Regulations 2024 (S.I. 2024/346)"
_F_NOTE = re.compile(
    r"^\W*F\d{1,4}\W+[^\n]*?\b(?:inserted|omitted|substituted|added|repealed|revoked|amended)\s+"
    r"\((?P<d>\d{1,2}\.\d{1,2}\.\d{4})\)\s+by\b[^\n]*?\((?P<v>S\.\s?I\.\s?(?P<y>\d{4})/(?P<n>\d+))\)",
    re.M,
)


def detect(text: str) -> bool:
    head = text[:4000]
    return bool(_NUMBER.search(head)) and bool(
        re.search(r"STATUTORY INSTRUMENTS|\bComing into force\b|\bLaid before Parliament\b", head, re.I)
        or _REVISED.search(text)
    )


def f_notes(text: str) -> list[tuple[Found, Found | None, str | None]]:
    """A revised SI's textual amendments: each amending SI (its citation) and the day its
    change took effect, from the F-notes ("inserted (1.4.2024) by ... (S.I. 2024/346)")."""
    from ..dates import find_dates

    out = []
    for m in _F_NOTE.finditer(text) if "F" in text else ():
        days = find_dates(m.group("d"))
        if days:
            day, _s, _e = days[0]
            cite = Found(f"SI {m.group('y')}/{m.group('n')}", m.start("v"), m.end("v"))
            out.append((cite, Found(day.isoformat(), m.start("d"), m.end("d")), None))
    return out


def read(text: str, registry: Registry) -> Profile:
    number = _NUMBER.search(text)
    profile = Profile("uk_si", kind="statutory instrument")
    profile.citation = f"SI {number.group('year')}/{number.group('num')}"
    profile.identifiers = {"uksi": f"http://www.legislation.gov.uk/uksi/{number.group('year')}/{number.group('num')}"}
    title = _TITLE.search(text[:4000])
    profile.title = line_span(text, title, "v") if title else Found(profile.citation, number.start(), number.end())
    # a series in the UK's drafting by another state names that state in its masthead,
    # a heading of its series or its enacting formula
    authority = _AUTHORITY.search(text) or _MADE_BY.search(text[:6000])
    formula = (authority.start(), authority.end()) if authority else None
    profile.jurisdiction = own_state(text, number.start(), registry, "GB", formula) or Found(
        "GB", number.start(), number.end()
    )
    made = date_after(text, _MADE, window=60)
    if made:
        profile.dates["adopted"] = made
    in_force = date_after(text, _IN_FORCE, window=60)
    if in_force:
        profile.dates["effective"] = in_force
    for amended in _AMENDS.finditer(text):
        profile.amends.append(
            Found(f"SI {amended.group('y')}/{amended.group('n')}", amended.start("v"), amended.end("v"))
        )
    for amended in _IS_AMENDED.finditer(text):
        if not any(a.value == amended.group("v") for a in profile.amends):
            profile.amends.append(Found(amended.group("v"), amended.start("v"), amended.end("v")))
    profile.amended_by = f_notes(text)
    if authority:
        # its own name, without the state it is of ("The Minister for Trade of the Republic of X")
        name = _OF_STATE.sub("", authority.group("v")[4:])
        s = authority.start("v") + 4
        profile.authority = Found(name, s, s + len(name))
    return profile
