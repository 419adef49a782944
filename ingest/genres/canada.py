"""Canada Gazette Part II orders and regulations: the SOR number and registration
date, the enacting formula (the Governor General in Council, on the recommendation of
a Minister), the title, and "comes into force on ..." (often the registration day)."""

from __future__ import annotations

import re

from ..jurisdictions import Registry
from .common import Found, Profile, effective_date, line_span
from .own_state import own_state

_SOR = re.compile(r"\b(?P<v>SOR/\d{4}-\d+)\b")
#: "Registration / SOR/2024-112 May 31, 2024": a gazette's registration number, in the SOR's
#: shape or another series' ("FSO/2026-41" in the gazette of another state)
_REGISTRATION = re.compile(
    r"\bRegistration\b\s*(?:[^\n]{0,30}?\s)?(?P<cite>[A-Z]{2,5}/\d{4}-\d+)[ \t,]*(?P<v>[A-Z][a-z]+ \d{1,2}, \d{4})"
)
_TITLE = re.compile(
    r"^[ \t#]*(?P<v>(?:Order|Regulations|Regulation) (?:Amending|Respecting|Repealing)[^\n]{3,150})$", re.M
)
_AUTHORITY = re.compile(r"\b(?P<v>(?:Her|His) Excellency the Governor General in Council|Governor in Council)\b")
#: the enacting formula of another gazette: "The Council of Ministers of the Kingdom of
#: Freedonia, on the recommendation of the Minister of ..., makes the annexed Order"
_ENACTING = re.compile(
    r"^(?:The )?(?P<v>[A-Z][\w'-]*(?: (?:[A-Z][\w'-]*|of|in|for|and))*?)(?: of the [A-Z][^,\n]{2,60})?, "
    r"on the recommendation of\b[^.]{0,200}?\bmakes?\b",  # wrapped over lines as gazettes print it
    re.M,
)
_ON_REGISTRATION = re.compile(r"comes? into force on the day on which it is registered", re.I)


def detect(text: str) -> bool:
    head = text[:4000]
    # the order itself (registered, titled "Order Amending ..."), not a notice that cites one
    masthead = "\n".join(line for line in head.splitlines() if line.strip())[:200]  # a notice may cite it
    return bool(_REGISTRATION.search(head) or _TITLE.search(head[:600]) or "Canada Gazette" in masthead)


#: "Canada Gazette, Part I, Volume 158, Number 51": the issue of Part I (proposals)
_PART_I = re.compile(r"(?P<v>Canada Gazette, Part I, (?:Volume|Vol\.) \d+, (?:Number|No\.) \d+)(?!\d)")
#: "Sponsoring department" and the body on the next line
_SPONSOR = re.compile(
    r"^[ \t]*Sponsoring (?:department|agency|ministry)[ \t]*\n[ \t]*(?P<v>[A-Z][^\n]{3,120})$", re.M | re.I
)


def read(text: str, registry: Registry) -> Profile:
    from ..dates import find_dates

    profile = Profile("canada_gazette", kind="order in council")
    reg = _REGISTRATION.search(text)
    sor = _SOR.search(text) or (reg and re.compile(f"(?P<v>{re.escape(reg.group('cite'))})").search(text))
    if sor:
        profile.citation = sor.group("v")
    title = _TITLE.search(text[:4000])
    if title:
        profile.title = line_span(text, title, "v")
    elif sor:
        profile.title = Found(sor.group("v"), sor.start("v"), sor.end("v"))
    anchor = sor or title
    authority = _AUTHORITY.search(text)
    enacting = None if authority else _ENACTING.search(text)
    if anchor:
        # the gazette of another state in the Canada Gazette's drafting names that state in its
        # masthead, its gazette's name or its enacting formula
        formula = (enacting.start(), enacting.end()) if enacting else None
        other = own_state(text, anchor.start(), registry, "CA", formula)
        profile.jurisdiction = other or Found("CA", anchor.start(), anchor.end())
    if authority:
        name = "Governor General in Council" if "General" in authority.group("v") else "Governor in Council"
        profile.authority = Found(name, authority.start("v"), authority.end("v"))
    elif enacting:
        profile.authority = Found(enacting.group("v"), enacting.start("v"), enacting.end("v"))
    issue = _PART_I.search(text[:600]) if not sor else None
    if issue:
        # a proposal in Part I has no registration yet: the Gazette issue that publishes it names
        # it, dated by the issue; its "Sponsoring department" proposes it
        profile.citation, profile.kind = issue.group("v").replace(",", ""), "proposed regulation"
        profile.title = Found(issue.group("v"), issue.start("v"), issue.end("v"))
        when = find_dates(text[issue.end() : issue.end() + 80])
        if when:
            day, s, e = when[0]
            profile.dates["adopted"] = Found(day.isoformat(), issue.end() + s, issue.end() + e)
        sponsor = _SPONSOR.search(text)
        if sponsor:
            profile.authority = Found(
                sponsor.group("v").strip(), sponsor.start("v"), sponsor.start("v") + len(sponsor.group("v").strip())
            )
    if reg:
        day = find_dates(reg.group("v"))[0][0].isoformat()
        profile.dates["adopted"] = Found(day, reg.start("v"), reg.end("v"))
    if _ON_REGISTRATION.search(text) and reg:
        profile.dates["effective"] = profile.dates["adopted"]
    else:
        found = effective_date(text)
        if found:
            profile.dates["effective"] = found
    return profile
