"""Licences a sentence introduces and the destinations it serves: general licences,
general authorisations and the EAR's licence exceptions (by name or by symbol alone), with
the destinations coordination and apposition give them, leaving out those an exception
("other than"), a negation or a contrasting clause scopes away."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from qharmony.ontology.namespaces import slug

from .country_groups import GROUP_DEFINED, MEMBERS_END, NAMED_GROUP
from .doc_cache import span_text
from .prefilter import Gated
from .readers import Block
from .state import DocumentState
from .syntax import Mention, acting, excluded

#: (behind the words every match holds: ``prefilter``)
EXCEPTION = Gated(
    # a general licence or permit by its symbol ("GL-5", "OGL-Q", "GL-CRYO"), its number ("No. 12")
    # or its name in parentheses ("Open General Export Licence (Quantum Research)")
    r"\b(?:(?:General|Open(?: General| Individual)?(?: Export)?|Individual) (?:Licen[cs]e|Permit)"
    r"|License Exception|Licence Exception)"
    # a word in capitals for emphasis ("an Individual Permit IS required") names none
    r" (?P<name>(?!(?:IS|ARE|WAS|NOT|MAY|MUST|SHALL|ALSO|ONLY|AND|OR|THE|BE)\b)"
    r"[A-Z]{2,5}(?:-[A-Za-z0-9]{1,8})?|\d+|GL-?\w+|No\. ?\d+|\([A-Z][\w -]{2,40}\))(?=\W|$)"
    r"|\bGeneral (?:Export )?Authori[sz]ation (?P<eu>EU\d{3})\b"
    r"|\b(?:Open )?General (?:Export )?Authori[sz]ation (?P<national>[A-Z]{2,5}-?(?:\d{1,3}|[A-Z]{1,6}))\b"
    r"|\bGeneral Order No\. \d+\b",  # the EAR's general licences in Supplement No. 1 to part 736
    0,
    ("licen", "authori", "general order", "permit"),
)
ELIGIBLE_WORDS = Gated(
    r"\beligib\w*|\bmay (?:be )?(?:exported|shipped|sent)\b|\bqualif\w*|\bavailable (?:for|to)\b",
    re.I,
    ("eligib", "may ", "qualif", "available "),
)
#: a clause that turns to something else: what follows it is not among the licence's destinations
_CONTRAST = re.compile(r"[,;]\s*(?:while|whereas|but|although|though)\b|;")


def ear_exception(st: DocumentState, text: str) -> bool:
    """An essay with no instrument of its own may still name an EAR licence exception
    ("License Exception IEC"), which is the United States' whoever names it."""
    return st.jurisdiction is None and bool(re.search(r"\bLicen[cs]e Exception [A-Z]{3}\b", text))


def exception_match(st: DocumentState, sent: Span) -> tuple[re.Match, str] | None:
    """The licence a sentence names, and its id."""
    text = span_text(sent)
    m = EXCEPTION.search(text)
    if not m:
        return None
    ear = m.group(0).startswith(("License Exception", "Licence Exception"))
    if ear and st.jurisdiction not in ("US", None):
        return None  # an EAR exception named in another state's text is not its measure
    owner = "US" if ear else offering_state(text, m.start(), sent.ents, sent.start_char) or st.jurisdiction
    return m, f"{owner}:{slug(m.group(0))}"


#: what a state does with a licence it offers: "Canada issues General Permit No. 47", "the
#: United Kingdom's Open General Export Licence"
_OFFERS = re.compile(
    r"(?:'s|’s| (?:also |now |still )?(?:issues|offers|grants|publishes|provides|operates|maintains|has))"
    r" (?:(?:an?|the|its|a new) )?$"
)


def offering_state(text: str, at: int, ents, base: int = 0) -> str | None:
    """The state whose licence the words at ``at`` name, when its own clause says it is that
    state's ("..., and Canada issues General Permit No. 47"); None leaves it the text's.
    ``ents`` are the text's entities, their offsets ``base`` ahead of ``text``'s."""
    for e in ents:
        if e.label_ != "JURISDICTION" or not e.ent_id_:
            continue
        end = e.end_char - base
        if 0 <= end <= at and _OFFERS.match(text, end, at):
            return e.ent_id_
    return None


#: a string every ``EXCEPTION`` match holds, in its case (a licence's name is capitalised)
_NAMED_WORDS = ("Licen", "Authori", "Permit", "General Order")


def named_exceptions(st: DocumentState, block: Block, text: str, doc: Doc) -> None:
    """Every licence a text names is a mention, whatever its sentence says of it ("Yes, under
    General Licence No. 3, ...", "you may use General Licence GL-Cryo"): the sentence rules
    (``introduce``) add what it is part of and where it may go."""
    if not any(w in text for w in _NAMED_WORDS) or not (st.jurisdiction or ear_exception(st, text)):
        return
    for m in EXCEPTION.regex.finditer(text):
        ear = m.group(0).startswith(("License Exception", "Licence Exception"))
        if ear and st.jurisdiction not in ("US", None):
            continue  # an EAR exception named in another state's text is not its measure
        owner = "US" if ear else offering_state(text, m.start(), doc.ents) or st.jurisdiction
        ident = f"{owner}:{slug(m.group(0))}"
        st.entity("LicenseException", ident, block.start + m.start(), block.start + m.end(), 0.85,
                  "regex.named_exception", label=m.group(0))  # fmt: skip


def introduce(st: DocumentState, sent: Span, block: Block) -> tuple[str, int, int] | None:
    found = exception_match(st, sent)
    if not found:
        return None
    m, ident = found
    s, e = block.start + sent.start_char + m.start(), block.start + sent.start_char + m.end()
    st.entity("LicenseException", ident, s, e, 0.9, "parse.exception", label=m.group(0))
    owner = ident.split(":", 1)[0]
    elsewhere = owner != st.jurisdiction and not (owner == "US" and st.jurisdiction is None)  # named in passing
    if st.instrument and not elsewhere and getattr(st.profile, "genre", "") != "guidance" and _defines(st, m):
        st.relate("part_of", ident, "LicenseException", st.instrument, "Instrument", s, e, 0.9, "parse.exception")
    return ident, s, e


#: the EAR's licence exceptions (15 CFR part 740) by symbol: "RPL is restricted to ..."
EAR_EXCEPTIONS = ("LVS GBS CIV TSR APP TMP RPL GOV GFT TSU BAG AVS APR ENC AGR CCD STA SCP NAC IEC ACE").split()
_SYMBOLS = "|".join(sorted(set(EAR_EXCEPTIONS)))
_SYMBOL = r"(?:" + _SYMBOLS + r")\b"
#: "TMP is restricted to ...", "only TMP, RPL, GOV and TSU stay available": each symbol of the
#: coordinated list before the verb of availability
_BARE_EXCEPTION = re.compile(
    r"\b(?P<list>" + _SYMBOL + r"(?:(?:,? (?:and|or) |, )" + _SYMBOL + r")*)(?= (?:is|are|remains?|stays?) "
    r"(?:still |also |only )?(?:not )?(?:restricted|available|authorized|eligible)\b)"
)
_AVAILABLE_SYMBOL = re.compile(r"\b(?P<name>" + _SYMBOLS + r"): Yes\b")
_ONE_SYMBOL = re.compile(r"\b(?P<name>" + _SYMBOLS + r")\b")
#: a word the pattern needs: most blocks have none, and a substring test is cheap
_BARE_EXCEPTION_WORDS = ("restricted", "available", "authorized", "eligible")


def _defines(st: DocumentState, m: re.Match) -> bool:
    """Is the licence the instrument's own? A CFR section defines the one its heading
    names ("§ 740.24 Implemented Export Control (IEC)") and only names the others."""
    if "-CFR-" not in (st.instrument or ""):
        return True
    title = st.source.text[:300].split("\n\n", 2)
    name = (m.group("name") or m.group("eu") or "").strip()
    return bool(name) and any(f"({name})" in line or m.group(0) in line for line in title[:2])


def ear_symbol_id(symbol: str) -> str:
    """The id of the EAR licence exception a symbol names ("IEC" is License Exception IEC):
    the one id its full name gets, so a symbol quoted alone ("IEC: Yes") is the exception
    that part 740 creates, not another one with no instrument."""
    return f"US:{slug('License Exception ' + symbol)}"


def bare_exceptions(st: DocumentState, block: Block, text: str) -> None:
    """ "TMP is restricted to ...; RPL is restricted to ...": EAR licence exceptions
    named by their symbol alone, in US text; so is a symbol an ECCN's License Exceptions
    paragraph marks available, quoted in running text ("License Exceptions: LVS: N/A; IEC:
    Yes", "each ECCN reads: IEC: Yes") (an "N/A" names none)."""
    if st.jurisdiction != "US":
        return
    for m in _AVAILABLE_SYMBOL.finditer(text) if ": Yes" in text else ():
        s, e = block.start + m.start("name"), block.start + m.end("name")
        name = m.group("name")
        st.entity(
            "LicenseException", ear_symbol_id(name), s, e, 0.85, "regex.exception", label=f"License Exception {name}"
        )
    if not any(w in text for w in _BARE_EXCEPTION_WORDS):
        return
    for listed in _BARE_EXCEPTION.finditer(text):
        for m in _ONE_SYMBOL.finditer(text, listed.start("list"), listed.end("list")):
            s, e = block.start + m.start("name"), block.start + m.end("name")
            name = m.group("name")
            st.entity(
                "LicenseException",
                ear_symbol_id(name),
                s,
                e,
                0.85,
                "regex.exception",
                label=f"License Exception {name}",
            )


def destinations(st: DocumentState, sent: Span, block: Block, mentions, span, conf: float, carried: list[str]) -> None:
    """A licence and the destinations it serves, wherever coordination and apposition
    put them; a destination scoped out by "except", "other than" or a negation is not
    one. "The countries of Schedule B" is a country group."""
    found = None if st.exception else introduce(st, sent, block)
    if found:
        carried[:] = [found[0]]
    elif carried and ELIGIBLE_WORDS.search(span_text(sent)):
        found = (carried[0], 0, 0)  # "License Exception IEC. ... are eligible destinations"
    if not found:
        return
    exception = found[0]
    group_licence(st, sent, block, exception, conf)
    contrast = _CONTRAST.search(span_text(sent), max(0, found[1] - block.start - sent.start_char))
    stop = block.start + sent.start_char + contrast.start() if contrast else span[1]
    for m in (m for m in mentions if m.label == "JURISDICTION"):
        if m.ident == st.jurisdiction or excluded(m.token) or acting(m.token) or m.start >= stop:
            continue  # "..., while British law requires a licence for exports to the United States"
        st.entity("Jurisdiction", m.ident, m.start, m.end, 0.9, "ruler.jurisdiction", span)
        st.relate(
            "eligible_destination",
            exception,
            "LicenseException",
            m.ident,
            "Jurisdiction",
            m.start,
            m.end,
            conf,
            "parse.destination",
            span,
        )


def group_licence(st: DocumentState, sent: Span, block: Block, exception: str, conf: float) -> None:
    """ "GA-Q is granted for exports to countries in Schedule A": the licence serves the group
    (and each state the text lists in it, ``group_destinations``)."""
    group = NAMED_GROUP.search(span_text(sent))
    if group is None:
        return
    s = block.start + sent.start_char + group.start("name")
    ident = f"{st.jurisdiction}:{slug(group.group('name'))}"
    st.entity("CountryGroup", ident, s, s + len(group.group("name")), 0.85, "parse.group")
    st.group_licences.setdefault(ident, []).append(exception)
    group_destinations(st, ident, (block.start + sent.start_char, block.start + sent.end_char), conf)


def group_members(st: DocumentState, sent: Span, mentions: list[Mention], span: tuple[int, int], conf: float) -> None:
    """The states a sentence lists as a group's: the list right after the verb that says it
    holds them, up to a clause break or an exception ("every Wassenaar state except Iran")."""
    text = span_text(sent)
    m = GROUP_DEFINED.search(text)
    if m is None or not st.jurisdiction:
        return
    ident = f"{st.jurisdiction}:{slug(m.group('name'))}"
    end = MEMBERS_END.search(text, m.end())
    after, stop = span[0] + m.end(), span[0] + (end.start() if end else len(text))
    members = [
        (p.ident, p.start, p.end)
        for p in mentions
        if p.label == "JURISDICTION" and after <= p.start < stop and not excluded(p.token)
    ]
    if members:
        st.group_members.setdefault(ident, []).extend(members)
        group_destinations(st, ident, span, conf)


def group_destinations(st: DocumentState, group: str, span: tuple[int, int], conf: float) -> None:
    """A licence made available for a group serves each state the text lists in it, whichever
    the text says first."""
    for exception in st.group_licences.get(group, []):
        for code, s, e in st.group_members.get(group, []):
            st.relate("eligible_destination", exception, "LicenseException", code, "Jurisdiction", s, e, conf,
                      "parse.group_member", span)  # fmt: skip
