"""Authorities a text names: a body defined with its abbreviation ("the Bureau of Industry
and Security (BIS)", which then also answers to "BIS" and "the Bureau"), a body of the
known list named in full ("the Export Control Joint Unit"), and the known abbreviations.
A body named by its shape is one too: a head noun of government (Ministry, Department,
Bureau, Commission, Board, Minister, Secretary of State ...) with capitalised modifiers
before it or an "of"/"for" complement after it ("the Nuclear Regulatory Commission", "the
Ministry of Economy, Trade and Industry", "DEPARTMENT OF COMMERCE"), which then also answers
to "the Ministry" (``named_bodies``). One home for what counts as an authority's name, read
by every genre."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from qharmony.ontology.namespaces import slug

from .readers import Block
from .state import DocumentState

_DEFINED = re.compile(
    r"\b(?:the )?((?:[A-Z][a-z]+|of|and|for|the)(?: (?:[A-Z][a-z]+|of|and|for|the)){1,8}) "
    r"\(([A-Z]{2,6})\)"
)
#: head words that make a defined name a body's name, not another defined term
AUTHORITY_WORDS = {
    "Bureau",
    "Ministry",
    "Department",
    "Commission",
    "Office",
    "Agency",
    "Council",
    "Secretariat",
    "Directorate",
    "Authority",
    "Minister",
}


@lru_cache(maxsize=1)
def _known_authorities() -> list[str]:
    """Export-control bodies known by name, as texts capitalise them ("the Export Control
    Joint Unit"); the parent departments are named in the list only to say whose they are."""
    from .genres.common import AUTHORITY_JURISDICTIONS

    keep = ("unit", "bureau", "office", "agency", "directorate", "global affairs", "bundesamt")
    small = {"of", "and", "for", "für", "und"}
    names = [n for n in AUTHORITY_JURISDICTIONS if any(k in n for k in keep)]
    return [" ".join(w if w in small else w.capitalize() for w in n.split()) for n in names]


@lru_cache(maxsize=1)
def _known_authority_patterns() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    """The known bodies as one pattern (most blocks name none) and one each, with ids."""
    names = _known_authorities()
    each = [(re.compile(r"\b" + re.escape(n) + r"\b"), slug(n).lower()) for n in names]
    return re.compile("|".join(r"\b" + re.escape(n) + r"\b" for n in names) or "(?!)"), each


@lru_cache(maxsize=512)
def _word_pattern(short: str) -> re.Pattern[str]:
    """An abbreviation as a whole word; "the Bureau" with either case of its article (it
    opens sentences), its head in the case the name gave it: "the bureau" is no name."""
    if short.startswith("the "):
        return re.compile(r"\b[Tt]he " + re.escape(short[4:]) + r"\b")
    return re.compile(r"\b" + re.escape(short) + r"\b")


#: the abbreviation part of ``_DEFINED``, alone: it tries its name words at every capital
_DEFINED_TAIL = re.compile(r" \([A-Z]{2,6}\)")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str], ...]:
    """The known bodies' abbreviations (``genres.common``, imported late: it imports us)."""
    from .genres.common import AUTHORITY_ABBREVIATIONS

    return tuple(AUTHORITY_ABBREVIATIONS.items())


#: the last word of an act's name: a name ending in one names an instrument, not a body
_INSTRUMENT_KINDS = {"Regulation", "Regulations", "Directive", "Decision", "Recommendation", "Order", "Act", "Rule",
                     "Notice", "Decree", "Ordinance"}  # fmt: skip


def authorities(st: DocumentState, block: Block, text: str) -> None:
    """ "the Bureau of Industry and Security (BIS)" defines BIS and "the Bureau"."""
    for m in _DEFINED.finditer(text) if " (" in text and _DEFINED_TAIL.search(text) else ():
        raw, abbreviation = m.group(1), m.group(2)
        name = raw.removeprefix("The ")
        start = m.start(1) + (len(raw) - len(name))
        words = set(name.split())
        if not words & AUTHORITY_WORDS or name.split()[-1] in _INSTRUMENT_KINDS:
            continue  # "Commission Delegated Regulation (EU) ...": an act, not a body defined as "EU"
        ident = slug(name).lower()
        st.abbreviations[abbreviation] = ident
        for head in words & AUTHORITY_WORDS:
            st.abbreviations[f"the {head}"] = ident
        st.entity(
            "Authority", ident, block.start + start, block.start + m.end(1), 0.9, "regex.defined_term", label=name
        )
    anyone, each = _known_authority_patterns()
    for rx, ident in each if any(n in text for n in _known_authorities()) and anyone.search(text) else ():
        for m in rx.finditer(text):
            st.entity("Authority", ident, block.start + m.start(), block.start + m.end(), 0.85, "gazetteer.authority")
    for short, name in _abbreviations():
        if short not in st.abbreviations and short in text:
            for m in _word_pattern(short).finditer(text):
                s, e = block.start + m.start(), block.start + m.end()
                st.entity("Authority", slug(name).lower(), s, e, 0.8, "gazetteer.abbreviation")
    named_bodies(st, block, text)
    _the_commission(st, block, text)
    for short, ident in st.abbreviations.items():
        if short.removeprefix("the ") not in text:
            continue
        for m in _word_pattern(short).finditer(text):
            st.entity("Authority", ident, block.start + m.start(), block.start + m.end(), 0.85, "abbreviation")


#: the head nouns of a public body's name, longest first ("Secretary of State" before a
#: bare "Secretary", which names a person's office only with its state)
_HEADS = ("Secretary of State", "Governor in Council", "Directorate-General", "Ministry", "Department", "Bureau",
          "Agency", "Office", "Commission", "Council", "Directorate", "Unit", "Authority", "Secretariat", "Service",
          "Administration", "Board", "Minister", "Branch", "Division")  # fmt: skip
_HEAD = "|".join(h.replace(" ", r"\ ") for h in _HEADS)
#: the head nouns as one alternation, for a reader that finds a body's line by them (``federal_register``)
HEAD_NOUNS = _HEAD
_CAPS_HEAD = "|".join(h.upper().replace(" ", r"\ ") for h in _HEADS)


def _any_of(words: str) -> str:
    """One alternation of the words of ``words`` (a group, for the patterns below)."""
    return "(?:" + "|".join(words.split()) + ")"


#: capitalised words that open a sentence or a phrase, never a body's name
_NOT_NAME = _any_of(
    "The This These That Those A An Each Every Any All Both Under In On By Of For From To With If When Where "
    "Our Its Their Such No And Or But As At After Before Since Until Whether"
)
#: words after which a capitalised phrase is an act, not a body ("Commission Delegated
#: Regulation", "the Export Administration Regulations", "MOFCOM Announcement")
_KIND_AFTER = (
    r"(?:Delegated |Implementing |Administrative )?(?:Regulations?|Directive|Decision|Recommendation|"
    r"Order|Act|Rules?|Notice|Decree|Ordinance|Announcement|Circular|Resolution|Proclamation|Guidance)\b"
)
_WORD = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
#: a space inside a name, which a wrapped line may hold ("the Bureau of Industry and\nSecurity")
_SP = r"(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"  # one way to read each run of spaces: no backtracking
#: the word that opens a state's formal name: "of the Kingdom of X" is the body's state, not its name
_STATE_WORDS = _any_of(
    "Republic Kingdom Federation Commonwealth Grand Principality Isles Federated Democratic Sultanate Emirate"
)
#: words that open a reference, not a name's part ("the Department of State for Schedule ...")
_REFERENCE_WORDS = _any_of(
    r"Schedule Annex Part Supplement Article Section Chapter Category Item Entry Licen[cs]e Regulations?"
)
_PART = rf"(?!(?:{_HEAD}|{_STATE_WORDS}|{_REFERENCE_WORDS}|{_NOT_NAME})\b)(?!{_KIND_AFTER}){_WORD}"
#: a comma inside a name only lists its parts up to an "and" ("of Economy, Trade and Industry"),
#: never an apposition ("Bureau of Industry and Security, Commerce.")
_LISTING = r",[ \t]+(?=[^.;:()\n]{0,60}?[ \t]and[ \t]+[A-Z])"
_NAMED_BODY = re.compile(
    # modifiers on the head's own line: "Japan\nAuthority:" is a value and a field's name
    rf"(?<![\w-])(?P<mods>(?:{_PART}[ \t]+){{0,4}})(?P<head>{_HEAD.replace(chr(92) + ' ', _SP)})\b(?![ \t]*:)"
    # a further "of" is the name's own unless it opens another body ("Directorate-General for
    # Trade of the European Commission")
    rf"(?P<comp>(?:{_SP}(?:of|for|on){_SP}(?:the{_SP})?{_PART}(?:(?:,?{_SP}and{_SP}|{_LISTING}|{_SP}(?:of|for){_SP}(?:the{_SP})?"
    rf"(?!(?:{_WORD}{_SP}){{0,3}}(?:{_HEAD})\b)|{_SP}){_PART}){{0,6}}))?"
    rf"(?!{_SP}(?:{_WORD}{_SP}){{0,2}}{_KIND_AFTER})"
)
_CAPS_WORD = rf"(?!(?:THE|AND|OF|FOR|ON|TO|IN|BY|{_STATE_WORDS.upper()})\b)[A-Z]{{2,}}(?:-[A-Z]{{2,}})?"
_CAPS_BODY = re.compile(
    rf"(?<![\w-])(?P<mods>(?:(?!(?:{_CAPS_HEAD})\b){_CAPS_WORD} ){{0,3}})(?P<head>{_CAPS_HEAD})\b"
    rf"(?P<comp>(?: (?:OF|FOR) (?:THE )?(?!(?:{_CAPS_HEAD})\b){_CAPS_WORD}"
    rf"(?:(?:,? AND |, | OF (?:THE )?| FOR (?:THE )?| )(?!(?:{_CAPS_HEAD})\b){_CAPS_WORD}){{0,6}}))?(?![\w-])"
)
#: the heads' first words in both cases, as plain strings: most blocks hold none (a cheap test)
_HEAD_WORDS = tuple({w for h in _HEADS for w in (h.split()[0], h.split()[0].upper())})
_ANY_HEAD = re.compile(rf"\b(?:{_HEAD}|{_CAPS_HEAD})\b")
#: a modifier alone that makes a head a role in general, not a named body ("the Competent Authority")
_ROLE = {"Competent", "Relevant", "Appropriate", "Designated", "Issuing", "Licensing", "Responsible", "National",
         "Public"}  # fmt: skip
#: heads that firms and machines have as often as states ("Power Supply Unit", "Sales Office",
#: "Quantum Computing Service", "Board of Directors"): such a head names a body only with an
#: "of"/"for" complement or a state's or public modifier, and a bare "the Office" is no alias
GENERIC_HEADS = {"Unit", "Office", "Service", "Board", "Council", "Division", "Branch", "Department", "Agency"}
#: modifiers that say a body is a state's: its public remit or its level of government
_PUBLIC = {"National", "Federal", "State", "Government", "Customs", "Export", "Import", "Trade", "Strategic",
           "Security", "Enforcement", "Licensing", "Sanctions", "Border", "Revenue", "Treasury", "Foreign",
           "Defence", "Defense", "Regulatory", "Nuclear", "Patent", "Commerce", "Economic", "Permits",
           "Controls"}  # fmt: skip
#: a complement that names a firm's organs, not a public remit ("Board of Directors")
_CORPORATE = {"Directors", "Trustees", "Shareholders", "Management"}
_SMALL = {"of", "for", "and", "the", "on", "in"}


_THE_COMMISSION = re.compile(r"\b[Tt]he Commission\b(?! (?:of|for|on)\b)")


def _the_commission(st: DocumentState, block: Block, text: str) -> None:
    """ "The Commission has published ...": in a text of EU law (the Union's own, or one that
    cites an EU act), the Commission is the European Commission, unless the text has named
    another commission it would be."""
    if "Commission" not in text or "the Commission" in st.abbreviations or not _THE_COMMISSION.search(text):
        return
    if st.jurisdiction != "EU" and not st.eu_cited:
        return
    for m in _THE_COMMISSION.finditer(text):
        s, e = block.start + m.start() + 4, block.start + m.end()
        st.entity("Authority", "european-commission", s, e, 0.8, "eu.the_commission", label="European Commission")


def _label(name: str) -> str:
    """A capitalised heading's name as running text spells it ("DEPARTMENT OF COMMERCE" ->
    "Department of Commerce")."""
    if not name.isupper():
        return name
    return " ".join(w.lower() if w.lower() in _SMALL else w.capitalize() for w in name.split())


def _around_heads(text: str) -> Iterator[re.Match[str]]:
    """The name patterns' matches, searched only around the head nouns a text holds (the
    patterns try every capital; most of a long text is far from any head): each window
    reaches far enough before and after every head it holds for a name's longest shape."""
    windows: list[list[int]] = []
    if not any(h in text for h in _HEAD_WORDS):
        return
    for head in _ANY_HEAD.finditer(text):
        start, end = max(0, head.start() - 120), min(len(text), head.end() + 250)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    for start, end in windows:
        for rx in (_NAMED_BODY, _CAPS_BODY):
            yield from rx.finditer(text, start, end)


def named_bodies(st: DocumentState, block: Block, text: str) -> None:
    """Bodies named by the shape of a body's name: a head noun with capitalised modifiers or
    an "of"/"for" complement ("the Office of Export Licensing", "Trade Controls Branch"). A
    bare head ("the Ministry") is no name of its own; it answers to the body named last
    with that head (``authorities``' abbreviations)."""
    seen: set[int] = set()
    for m in _around_heads(text):
        if m.start() in seen:
            continue
        seen.add(m.start())
        mods, head, comp = m.group("mods").split(), m.group("head"), m.group("comp") or ""
        if not mods and not comp and " " not in head:
            continue  # "the Ministry" alone; "the Secretary of State" is a name
        if not comp and len(mods) == 1 and mods[0].capitalize() in _ROLE:
            continue  # "the Competent Authority"
        head = _label(head) if head.isupper() else head
        if head in GENERIC_HEADS and not _public(mods, comp):
            continue  # "an Inertial Measurement Unit", "our Sales Office", "the Board of Directors"
        name = _label(" ".join(m.group(0).split()))
        ident = slug(name).lower()
        start = block.start + m.start("mods") + len(m.group("mods")) - len(m.group("mods").lstrip())
        st.entity("Authority", ident, start, block.start + m.end(), 0.8, "shape.body", label=name)
        if head not in GENERIC_HEADS:  # "the Ministry" answers to the first Ministry named
            st.abbreviations.setdefault(f"the {head}", ident)


def _public(mods: list[str], comp: str) -> bool:
    """Is a body with a generic head a state's? Its "of"/"for" complement says its remit
    ("Office of Export Licensing"), unless it names a firm's organs; else a modifier must
    say it is a state's ("Customs Enforcement Unit", "Canadian Trade Office")."""
    from .linking import ADJECTIVES

    if comp:
        return not any(w.capitalize() in _CORPORATE for w in comp.split())
    return any(w.capitalize() in _PUBLIC or w.capitalize() in ADJECTIVES for w in mods)
