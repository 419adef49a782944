"""Whose text an eCFR document is, from its own conventions: a Code of Federal
Regulations citation ("Title 15, Part 774", "15 CFR part 740", "§ 740.24") is a US
instrument, and the Commerce Control List is the list of 15 CFR part 774. The owner
of every entry of such a list is the United States, whatever countries the text
names as destinations, examples or related controls."""

from __future__ import annotations

import re

from qharmony.ontology.namespaces import slug

from .dates import find_dates
from .eccn import POINTER_SECTIONS, section
from .instrument_ids import instrument_id
from .state import DocumentState

_TITLE_PART = re.compile(r"\bTitle\s+(?P<title>\d+)\b[^\n]{0,40}?\bPart\s+(?P<part>\d+)\b", re.I)
_CFR_PART = re.compile(r"\b(?P<title>\d+)\s+CFR\s+(?:part\s+)?(?P<part>\d+)(?:\.(?P<section>\d+))?", re.I)
_SECTION_SIGN = re.compile(r"^\s*§\s*(?P<part>\d+)\.(?P<section>\d+)\b")
_PART_HEAD = re.compile(r"^\s*PART\s+(?P<part>\d+)\b|^\s*Supplement No\.\s*\d+ to Part (?P<supp>\d+)\b", re.I)
#: terms only the EAR uses: its name, its list, and its licence exceptions (part 740)
_EAR = re.compile(r"\b(?:EAR|Export Administration Regulations|Commerce Control List|License Exceptions?)\b")
_EAR_PARTS = range(730, 775)
_CCL = re.compile(r"\bCommerce Control List\b", re.I)
#: CFR title and part range -> the agency that issues them (15 CFR chapter VII, the EAR)
_AGENCIES = [(15, _EAR_PARTS, "Bureau of Industry and Security")]
#: a file's YAML front matter ("---\ntitle: ...\n---"), and a chapter or subchapter heading
_FRONT_MATTER = re.compile(r"\A\s*---\n.*?\n---[ \t]*\n", re.S)
_CHAPTER_HEAD = re.compile(r"^\W*(?:SUB)?CHAPTER\b", re.I)
#: how far into a document its citation is looked for
_HEAD = 1500


def _title_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the lines a CFR text's title is read from: past a file's front
    matter and the chapter heading every part of a chapter repeats."""
    front = _FRONT_MATTER.match(text[:_HEAD])
    at, found = front.end() if front else 0, []
    for line in text[at:_HEAD].splitlines(keepends=True):
        if line.strip() and not _CHAPTER_HEAD.match(line):
            found.append((at + len(line) - len(line.lstrip()), line.strip()))
        at += len(line)
    return found


def cfr_citation(text: str) -> tuple[int, int, str] | None:
    """The CFR title, part and section (or "") a document opens with, if it is CFR
    text. A bare "§ 740.24" or "PART 774" heading is title 15 when the part is one
    of the EAR's and the text speaks of the EAR or the Commerce Control List."""
    # the title lines, not a preamble that cites the parts it amends, past a file's front
    # matter and the chapter heading every part of a chapter repeats
    head = "\n".join(line for _, line in _title_lines(text)[:2])
    match = _TITLE_PART.search(head) or _CFR_PART.match(head.lstrip("# "))
    if match:
        section = match.groupdict().get("section") or ""
        return int(match.group("title")), int(match.group("part")), section
    # a heading of its own, or under an amendatory instruction ("36. In Supplement No. 1 to
    # part 774, ... add ECCN 4A906 ..." / "Supplement No. 1 to Part 774—The Commerce Control List")
    bare = next(
        (
            m
            for line in head.splitlines()
            if (m := _SECTION_SIGN.match(line.lstrip("# ")) or _PART_HEAD.match(line.lstrip("# ")))
        ),
        None,
    )
    part = int(bare.group("part") or bare.group("supp")) if bare else 0
    if part in _EAR_PARTS and _EAR.search(text):  # a supplement is text of its part
        section = bare.groupdict().get("section") or _first_section(text, part)
        return 15, part, section
    return None


_PART_LINE = re.compile(r"^\W*PART \d{3}\b", re.M)


def _first_section(text: str, part: int) -> str:
    """A part's heading followed, before any text, by one of its sections' headings ("PART
    772—DEFINITIONS OF TERMS" ... "§ 772.1 Definitions ..."): the file is that section's."""
    if len(_PART_LINE.findall(text)) > 1:
        return ""  # a file of several parts is the first part's, not one section's
    for _, line in _title_lines(text)[1:8]:
        found = _SECTION_SIGN.match(line.lstrip("# "))
        if found and int(found.group("part")) == part:
            return found.group("section")
    return ""


def identify(st: DocumentState, text: str) -> bool:
    """Open the instrument (and list) of an eCFR document that has no header fields.
    True when the document is CFR text."""
    found = cfr_citation(text)
    if found is None:
        return False
    title, part, section = found
    # a section's text is that section's instrument ("15 CFR 740.24"), a part's the part
    citation = f"{title} CFR {part}.{section}" if section else f"{title} CFR part {part}"
    st.jurisdiction = "US"
    st.instrument = instrument_id("US", citation)
    at, label = (_title_lines(text) or [(0, text[:_HEAD].strip().splitlines()[0])])[0]
    label = label[:200]
    st.entity("Instrument", st.instrument, at, at + len(label), 0.9, "cfr.citation", label=label, citation=citation)
    st.entity("Jurisdiction", "US", at, at + len(label), 0.9, "cfr.citation")
    st.relate("applies_in", st.instrument, "Instrument", "US", "Jurisdiction", at, at + len(label), 0.9, "cfr.citation")
    # a file that opens with its part's heading before the section ("PART 772—..." then "§ 772.1")
    # is also the part's text: the part is a US instrument, the agency's
    issued = st.instrument
    if section and _PART_HEAD.match(label.lstrip("# ")):
        issued = instrument_id("US", f"{title} CFR part {part}")
        st.entity("Instrument", issued, at, at + len(label), 0.9, "cfr.citation", label=label)
        st.relate("applies_in", issued, "Instrument", "US", "Jurisdiction", at, at + len(label), 0.9, "cfr.citation")
    for agency_title, parts, agency in _AGENCIES:
        if title == agency_title and part in parts:
            ident = slug(agency).lower()
            st.entity("Authority", ident, at, at + len(label), 0.85, "cfr.agency", label=agency)
            st.relate("issued_by", issued, "Instrument", ident, "Authority", at, at + len(label), 0.85, "cfr.agency")
    ccl = _CCL.search(text[:_HEAD])
    if ccl or (title, part) == (15, 774):
        st.control_list = f"US:{slug('Commerce Control List')}"
        s, e = (ccl.start(), ccl.end()) if ccl else (at, at + len(label))
        st.entity("ControlList", st.control_list, s, e, 0.9, "cfr.list", label="Commerce Control List")
    return True


#: an eCFR source note: "[89 FR 72937, Sept. 6, 2024, as amended at 89 FR 83428, Oct. 16, 2024]"
_SOURCE_NOTE = re.compile(r"^\s*(?:>\s*)?\[(?P<body>\d+ FR \d+[^\[\]]*)\]\s*$")  # "> [...]": a Markdown quote
_NOTE_CITE = re.compile(r"(?P<amended>as amended at\s+)?(?P<cite>\d+ FR \d+)")


def source_note(st: DocumentState, start: int, text: str) -> bool:
    """The source note under a CFR section: the rule that first published the text
    dates it (``adopted_on``, to the day the note gives), and each rule it was "amended
    at" amends it and is dated too. True when ``text`` is such a note."""
    match = _SOURCE_NOTE.match(text)
    if not (match and st.instrument and st.jurisdiction == "US"):
        return False
    body, offset = match.group("body"), start + match.start("body")
    cites = list(_NOTE_CITE.finditer(body))
    amended = False
    for i, cite in enumerate(cites):
        amended = amended or bool(cite.group("amended"))
        end = cites[i + 1].start() if i + 1 < len(cites) else len(body)
        dates = find_dates(body[cite.end() : end])
        s, e = offset + cite.start("cite"), offset + cite.end("cite")
        rule = instrument_id("US", cite.group("cite"))
        st.entity("Instrument", rule, s, e, 0.9, "cfr.source_note", label=cite.group("cite"))
        day = None
        if dates:
            value, ds, de = dates[0]
            day = (value.isoformat(), offset + cite.end() + ds, offset + cite.end() + de)
            st.entity("Date", day[0], day[1], day[2], 0.9, "cfr.source_note")
        if amended:
            st.relate("amends", rule, "Instrument", st.instrument, "Instrument", s, e, 0.9, "cfr.source_note")
            if day:
                st.relate("adopted_on", rule, "Instrument", day[0], "Date", day[1], day[2], 0.9, "cfr.source_note")
        elif day:  # the text as first published: the section's own date
            st.relate("adopted_on", st.instrument, "Instrument", day[0], "Date", day[1], day[2], 0.9, "cfr.source_note")
    return True


#: a CFR citation in running text: "15 CFR 740.24", "31 CFR part 850" (a list of the parts a
#: rule amends, "15 CFR Parts 740 and 774", and its "List of Subjects in" lines name no
#: instrument of their own)
_CITED_CFR = re.compile(r"(?<!List of Subjects in )\b(?P<v>\d{1,2} CFR (?:[Pp]art |§ ?)?\d+(?:\.\d+)?)\b(?! *, *\d)")


#: a section cited without its title, in a text whose title is known: "§ 740.24", "§§ 740.9 and
#: 740.10", an amendatory instruction's "Section 740.2 is amended ..." (a section number has a
#: part of three digits and a dot; "Section 2" of an act is none)
_BARE_SECTION = re.compile(
    r"(?:§§?|\bSection) ?(?P<v>\d{3}\.\d{1,3})\b(?:(?:\([a-z0-9]{1,4}\))*)"
    r"(?P<more>(?:,? (?:and|or|through) \d{3}\.\d{1,3}\b|, \d{3}\.\d{1,3}\b)*)"
)
_MORE_SECTION = re.compile(r"\d{3}\.\d{1,3}\b")
_ECCN_ENTRY = re.compile(r"^US:\d[A-E]\d{3}")
#: the CFR title a document is in ("15 CFR Part 740", "Title 15")
_TITLE = re.compile(r"\b(?P<t>\d{1,2}) CFR\b|\bTitle (?P<h>\d{1,2})\b")


def cfr_title(st: DocumentState) -> str | None:
    """The CFR title of a US document that names one (read once per document)."""
    if st.cfr_title is None:
        own = re.match(r"US:(\d{1,2})-CFR-", st.instrument or "")
        m = _TITLE.search(st.source.text) if st.jurisdiction == "US" and not own else None
        st.cfr_title = own.group(1) if own else (m.group("t") or m.group("h")) if m else ""
        if not st.cfr_title and st.jurisdiction == "US" and _EAR.search(st.source.text):
            st.cfr_title = "15"  # a US text that speaks of the EAR cites its sections by number
    return st.cfr_title or None


#: a part of the EAR cited the EAR's way, whose title is 15 in any text (each pattern behind a
#: string its matches hold, as most blocks hold none): "Supplement No. 1 to
#: part 774" (the CCL), "part 740 of the EAR", "EAR Part 738", a "PART 772—DEFINITIONS" heading
_EAR_PART = (
    ("Supplement No", re.compile(r"\bSupplement No\. ?\d+ to [Pp]art (?P<p>7[3-7]\d)\b")),
    ("of the EAR", re.compile(r"\b[Pp]art (?P<p>7[3-7]\d) of the EAR\b")),
    ("EAR ", re.compile(r"\bEAR [Pp]art (?P<p>7[3-7]\d)\b")),
    ("PART 7", re.compile(r"^\W*PART (?P<p>7[3-7]\d)\b", re.M)),
)


def cited_cfr(st: DocumentState, start: int, text: str) -> None:
    """Each CFR section or part a text cites is a US instrument; in a US text of a known CFR
    title, so is a section cited by its number alone ("§ 740.24", "Section 740.2 is amended")."""
    # an ECCN's header lines ("See § 742.4(a)(5)", "LVS: ... Supplement No. 1 to part 740") point
    # to where a requirement is; the guide leaves them optional
    pointer = st.entry and (section(text) or st.section) in POINTER_SECTIONS and _ECCN_ENTRY.match(st.entry)
    found = [m for word, rx in _EAR_PART if word in text for m in rx.finditer(text)] if not pointer else []
    for m in found:
        part = int(m.group("p"))
        ident = instrument_id("US", f"15 CFR part {part}")
        if part in _EAR_PARTS and ident != st.instrument:
            st.entity("Instrument", ident, start + m.start(), start + m.end(), 0.85, "cfr.ear_part", label=m.group())
    for m in _CITED_CFR.finditer(text) if "CFR" in text else ():
        ident = instrument_id("US", m.group("v").replace("§", "").replace("  ", " "))
        if ident != st.instrument:
            s, e = start + m.start("v"), start + m.end("v")
            st.entity("Instrument", ident, s, e, 0.85, "cfr.cited", label=m.group("v"))
    if ("§" not in text and "Section" not in text) or not cfr_title(st):
        return
    if pointer:
        return
    for m in _BARE_SECTION.finditer(text):
        if text[max(0, m.start() - 4) : m.start()].endswith("CFR "):
            continue  # read above
        numbers = [(m.group("v"), m.start("v"))]
        numbers += [(n.group(), m.start("more") + n.start()) for n in _MORE_SECTION.finditer(m.group("more") or "")]
        for number, at in numbers:
            ident = instrument_id("US", f"{st.cfr_title} CFR {number}")
            if ident != st.instrument:
                st.entity("Instrument", ident, start + at, start + at + len(number), 0.8, "cfr.section",
                          label=f"§ {number}")  # fmt: skip
