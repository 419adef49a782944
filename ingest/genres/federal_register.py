"""Federal Register rules (plain text, or the text the XML reader renders from RULE,
PREAMB and SUPLINF): AGENCY, ACTION, SUMMARY and DATES captions, the FR citation and
FR Doc number, and the CFR parts amended."""

from __future__ import annotations

import re

from qharmony.ontology.namespaces import slug

from ..authorities import HEAD_NOUNS
from ..dates import find_dates
from ..identifiers import identifiers
from ..jurisdictions import Registry
from .common import Found, Profile, adopted_date, authority_jurisdiction, date_after, effective_date, line_span

_AGENCY = re.compile(r"^[ \t]*AGENCY:[ \t]*\n?[ \t]*(?P<v>[^\n]+)", re.M)
_ACTION = re.compile(r"^[ \t]*ACTION:[ \t]*\n?[ \t]*(?P<v>[^\n]+)", re.M)
_DATES = re.compile(r"^[ \t]*(?:DATES?|EFFECTIVE DATE):[ \t]*\n?(?P<v>(?:[^\n]+\n?){1,4})", re.M)
_FR_CITE = re.compile(r"\b(?P<v>\d{2,3} FR \d{3,6})\b")
#: govinfo text: "[Federal Register Volume 89 (Friday, September 6, 2024)]" and "[Pages 72926-72956]";
#: the printed page header: "Federal Register / Vol. 89, No. 173 / Friday, September 6, 2024 / Rules ..."
_VOLUME = re.compile(
    r"Federal Register (?:Volume |/ Vol\. )(?P<vol>\d{2,3})(?:, No\. \d+)?\s*[(/]\s*"
    r"(?:[A-Z][a-z]+day, )?(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})"
)
#: the printed page header carries the page number before or after it
_PRINTED_PAGE = re.compile(
    r"^[ \t]*(?P<page>\d{4,6})[ \t]+Federal Register / Vol\.|"
    r"Federal Register / Vol\.[^\n]*?/ [A-Z][a-z ]+[ \t]+(?P<page2>\d{4,6})[ \t]*$",
    re.M,
)
_PAGES = re.compile(r"\[Pages? (?P<page>\d{3,6})(?:-\d+)?\]")
#: the executive department above the agency ("DEPARTMENT OF COMMERCE"), on its own line
_DEPARTMENT = re.compile(
    r"^[ \t]*(?P<v>DEPARTMENT OF (?:THE )?[A-Z][A-Z ,]+?|Department of (?:the )?[A-Z][a-z]+)[ \t]*$", re.M
)
#: the AGENCY line names the agency, then its department: "..., Commerce." or "..., Department of Commerce."
_PARENT = re.compile(r",\s*(?:(?:U\.S\.\s+)?Department of (?:the )?[A-Z][\w ]+|[A-Z][a-z]+)\.?$|\.$")
#: volume 1 of the Federal Register is 1936: a volume is its year less 1935
_FIRST_YEAR = 1935
#: FR Doc numbers of the reference set's rules and their citations (first page), for a text
#: that prints the number without a page ("[FR Doc. 2024-19633]"); facts of ../shared/reference
KNOWN_FR_DOCS = {"2024-19633": "89 FR 72926"}
_COMPLY = re.compile(r"\bcomply\b[^.]{0,120}?\b(?:from|by|on|before|after)\b", re.I)
_FR_DOC = re.compile(r"\bFR Doc\.? (?:No\.? )?(?P<v>\d{2,4}-\d{3,6})\b")
_CFR = re.compile(r"\b(?P<v>\d{1,2} CFR (?:Parts?|parts?) \d[\d, and]*)")
_META = re.compile(r"^\s*(?:\d+ CFR|\[|RIN\b|DEPARTMENT OF|Federal Register|Bureau of|#)", re.I)
_HEADING = re.compile(r"^#{1,2}[ \t]+(?P<v>\S[^\n]*)$", re.M)


#: the Federal Register's web pages: "A Rule by the Industry and Security Bureau on 09/06/2024"
#: and a list of document details ("Document Citation: 89 FR 72926", "Agencies: ...")
_WEB_BYLINE = re.compile(
    r"^[ \t]*An? (?P<kind>Rule|Proposed Rule|Notice|Presidential Document) by (?:the )?(?P<v>[^\n]+?)"
    r"(?: on (?P<date>\d{2}/\d{2}/\d{4}))?[ \t]*$",
    re.M,
)
_WEB_FIELD = r"^[ \t]*(?:[-*][ \t]+)?(?:\*\*)?{name}:?(?:\*\*)?:?[ \t]+(?P<v>[^\n]+)$"
_WEB_CITATION = re.compile(_WEB_FIELD.format(name="Document Citation"), re.M)
_WEB_AGENCIES = re.compile(_WEB_FIELD.format(name="Agenc(?:y|ies)"), re.M)
_WEB_DATES = {
    "adopted": re.compile(_WEB_FIELD.format(name="Publication Date"), re.M),
    "effective": re.compile(_WEB_FIELD.format(name="Effective Date"), re.M),
}
_WEB_DATES_LINE = re.compile(_WEB_FIELD.format(name="Dates"), re.M)
_US_DAY = re.compile(r"\b(?P<m>\d{2})/(?P<d>\d{2})/(?P<y>\d{4})\b")
#: the web pages name agencies subject first ("Industry and Security Bureau")
_INVERTED = re.compile(r"^(?P<subject>.+?) (?P<body>Bureau|Office|Department|Agency|Administration|Service)$")
_THE_DEPARTMENTS = {"Treasury", "Interior"}


#: a rule as printed (or its XML rendered) without an AGENCY caption: the issue or page line on
#: top, then the department and the agency under it ("DEPARTMENT OF COMMERCE / Bureau of ...")
_PRINT_HEAD = re.compile(r"^\s*\[(?:Federal Register Volume \d{2,3}\b|Pages? \d{3,6})")
_SUBAGENCY = re.compile(
    r"^[ \t]*DEPARTMENT OF (?:THE )?[A-Z][A-Z ,]+[ \t]*\n(?:[ \t]*\n)?"
    # the agency's line names a body by one of the head nouns of a body's name ("Bureau of
    # Industry and Security", "Patent and Trademark Office", "Internal Revenue Service")
    rf"[ \t]*(?P<v>(?=[^\n]{{0,80}}\b(?:{HEAD_NOUNS})\b)[A-Z][^\n]{{3,100}})[ \t]*$",
    re.M,
)


def detect(text: str) -> bool:
    head = text[:6000]
    if _WEB_CITATION.search(head) and _FR_CITE.search(head):
        return True
    if _PRINT_HEAD.match(head) and _SUBAGENCY.search(head[:1500]):
        # only when the rule's citation can be read: an issue line, or a page and a dated year
        return bool(_VOLUME.search(head[:400]) or _dated_year(text))
    return bool(_AGENCY.search(head) and (_ACTION.search(head) or "SUMMARY:" in head))


def _agency_name(raw: str) -> str:
    """ "Industry and Security Bureau" -> "Bureau of Industry and Security"."""
    name = raw.strip().rstrip(".")
    m = _INVERTED.match(name)
    if not m or m.group("subject").startswith(("Bureau", "Office", "Department")):
        return name
    subject = m.group("subject")
    return f"{m.group('body')} of {'the ' if subject in _THE_DEPARTMENTS else ''}{subject}"


def _read_web(text: str, registry: Registry) -> Profile:
    """A rule as the Federal Register's web page lays it out: the byline and the list of
    document details, in place of the printed captions."""
    profile = Profile("federal_register", kind="Federal Register rule")
    cite = _WEB_CITATION.search(text)
    found = _FR_CITE.search(cite.group("v"))
    profile.citation = found.group("v")
    byline, agencies = _WEB_BYLINE.search(text[:3000]), _WEB_AGENCIES.search(text[:6000])
    names = [n.strip() for n in re.split(r"[;,]", agencies.group("v"))] if agencies else []
    if byline:
        profile.kind = byline.group("kind")
    lead = byline.group("v") if byline else (names[-1] if names else "")
    if lead:  # the byline names the agency; the details list adds its department
        start = byline.start("v") if byline else agencies.start("v") + agencies.group("v").find(lead)
        profile.authority = Found(_agency_name(lead), start, start + len(lead))
        for other in names:
            if _agency_name(other) != profile.authority.value:
                at = agencies.start("v") + agencies.group("v").find(other)
                profile.co_authorities.append(Found(_agency_name(other), at, at + len(other)))
    name = profile.authority.value if profile.authority else ""
    code = authority_jurisdiction(name, registry) or "US"
    where = profile.authority or Found(found.group("v"), cite.start("v"), cite.end("v"))
    profile.jurisdiction = Found(code, where.start, where.end)
    heading = _HEADING.search(text)
    profile.title = line_span(text, heading, "v") if heading else Found(profile.citation, where.start, where.end)
    for role, rx in _WEB_DATES.items():
        field = rx.search(text[:6000])
        day = _US_DAY.search(field.group("v")) if field else None
        if day:
            iso = f"{day.group('y')}-{day.group('m')}-{day.group('d')}"
            profile.dates[role] = Found(iso, field.start("v") + day.start(), field.start("v") + day.end())
    if "adopted" not in profile.dates and byline and byline.group("date"):
        m, d, y = byline.group("date").split("/")
        profile.dates["adopted"] = Found(f"{y}-{m}-{d}", byline.start("date"), byline.end("date"))
    line = _WEB_DATES_LINE.search(text[:6000])
    effective = effective_date(line.group("v")) if line else None
    if effective and "effective" not in profile.dates:
        shift = line.start("v")
        profile.dates["effective"] = Found(effective.value, effective.start + shift, effective.end + shift)
    profile.identifiers = identifiers(profile.citation)
    return profile


def _dated_year(text: str) -> int:
    """The year a rule is dated in: its signature ("Dated: August 29, 2024") or its DATES
    caption ("This rule is effective September 6, 2024"); 0 when it gives neither."""
    dates = _DATES.search(text)
    found = adopted_date(text) or (effective_date("effective " + dates.group("v")) if dates else None)
    return int(found.value[:4]) if found else 0


def _title(text: str, agency: re.Match) -> Found | None:
    """The rule's subject: the lines just before AGENCY that are not docket, RIN or CFR lines
    (after the agency line when the rule prints no AGENCY caption)."""
    if agency.re is _SUBAGENCY:
        for m in re.finditer(r"^[ \t]*(?P<v>\S[^\n]{20,})$", text[agency.end() : agency.end() + 800], re.M):
            if not _META.match(m.group("v")):
                s = agency.end() + m.start("v")
                return Found(m.group("v").strip(), s, s + len(m.group("v").strip()))
        return None
    before = text[: agency.start()].rstrip("\n").split("\n")
    end = agency.start() - 1
    lines: list[tuple[int, str]] = []
    for line in reversed(before):
        start = end - len(line)
        if not line.strip():
            if lines:
                break
        elif _META.match(line):
            if lines:
                break
        else:
            lines.insert(0, (start, line))
        end = start - 1
    if lines:
        s = lines[0][0] + len(lines[0][1]) - len(lines[0][1].lstrip())
        e = lines[-1][0] + len(lines[-1][1].rstrip())
        return Found(" ".join(line.strip() for _, line in lines), s, e)
    heading = _HEADING.search(text)
    return line_span(text, heading, "v") if heading else None


def read(text: str, registry: Registry) -> Profile:
    agency = _AGENCY.search(text)
    if agency is None and _PRINT_HEAD.match(text[:400]):
        agency = _SUBAGENCY.search(text[:1500])  # the agency line under its department
    if agency is None or _WEB_CITATION.search(text[:6000]):
        return _read_web(text, registry)
    profile = Profile("federal_register", kind="Federal Register rule")
    name = _PARENT.sub("", agency.group("v").strip())
    profile.authority = Found(name, agency.start("v"), agency.start("v") + len(name))
    code = authority_jurisdiction(name, registry) or "US"
    profile.jurisdiction = Found(code, profile.authority.start, profile.authority.end)
    profile.title = _title(text, agency)
    department = _DEPARTMENT.search(text[: agency.start()])
    if department and slug(department.group("v")).lower() != profile.authority_id:
        profile.co_authorities.append(line_span(text, department, "v"))
    action = _ACTION.search(text)
    if action:
        profile.kind = action.group("v").strip().rstrip(".")
    volume, pages = _VOLUME.search(text[:3000]), _PAGES.search(text[:3000])
    printed = _PRINTED_PAGE.search(text[:3000])
    cite = _FR_CITE.search(text) or _FR_DOC.search(text)
    doc_number = _FR_DOC.search(text)
    year = int(doc_number.group("v").split("-")[0]) if doc_number else 0
    if (pages or printed) and (volume or year > _FIRST_YEAR):
        page = pages.group("page") if pages else printed.group("page") or printed.group("page2")
        # an FR Doc number starts with the year it was filed, the year of its volume
        number = volume.group("vol") if volume else str(year - _FIRST_YEAR)
        profile.citation = f"{number} FR {page}"
    elif cite and cite.re is _FR_CITE:
        profile.citation = cite.group("v")
    elif pages and _dated_year(text):
        # "[Page 72926]" and no issue line: the volume is the year the rule is dated (signed or effective)
        profile.citation = f"{_dated_year(text) - _FIRST_YEAR} FR {pages.group('page')}"
    elif cite:  # the FR Doc number alone: the rule's first page when the reference set knows it
        profile.citation = KNOWN_FR_DOCS.get(cite.group("v"), f"FR Doc {cite.group('v')}")
    if profile.title is None and cite:  # a rule printed without its subject line: its citation names it
        profile.title = Found(cite.group(0), cite.start(), cite.end())
    if volume:  # the day of publication in the Federal Register
        day = find_dates(volume.group("date"))[0][0].isoformat()
        profile.dates["adopted"] = Found(day, volume.start("date"), volume.end("date"))
    cfr = _CFR.search(text)
    profile.identifiers = identifiers(f"{profile.citation} {cfr.group('v') if cfr else ''}")
    dates = _DATES.search(text)
    if dates:
        found = effective_date(dates.group("v")) or effective_date("effective " + dates.group("v"))
        if found:
            shift = dates.start("v") - (0 if effective_date(dates.group("v")) else len("effective "))
            profile.dates["effective"] = Found(found.value, found.start + shift, found.end + shift)
    signed = adopted_date(text)
    if signed and "adopted" not in profile.dates:
        profile.dates["adopted"] = signed
    comply = date_after(text[:8000], _COMPLY, window=40)
    if comply:
        profile.dates["compliance"] = comply
    return profile
