"""What a walk through one document knows so far, and the small text tests that
every extraction step shares (hedges, negation)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named: the mapping reads ``is_hedged`` without spaCy
    from spacy.tokens import Doc

from .doc_cache import doc_ents
from .prefilter import Gated
from .readers import Block, SourceText
from .records import Entity, Extraction, Relation

#: (behind the words every match holds: ``prefilter``)
HEDGES = Gated(
    r"\b(not verified|unverified|believed|reportedly|reported|inferred|assumed|not read|(?:is|are) said to|"
    r"appears? to|seems? to|(?:widely |is |are )understood|we understand|apparently|arguably|on most readings|"
    r"(?:observers|reports|commentators) (?:suggest|indicate|say)|press reports)\b",
    re.I,
    ("verified", "believed", "reported", "reports", "inferred", "assumed", "not read", "said to", "appear", "seem",
     "underst", "apparently", "arguably", "on most readings", "suggest", "indicate", "say"),
)  # fmt: skip
#: "controls X but not Y" ("up to but not including 100" is a limit, not a negation)
_BUT_NOT = r"but not\b(?! limited| including| inclusive| exceeding| less| more| fewer)"
NEGATION = Gated(
    r"\b((?:does|do|did) not (?:(?:appear|seem) to )?"
    r"(?:control|cover|list|apply to|catch|capture|reach|include|extend to|"
    r"fall (?:under|within)|come (?:under|within))|"
    r"not controlled|no longer|removed|rescinded|no (?:control|entry)|"
    r"not (?:covered|listed|caught|captured|reached|included)|excludes|leaves out|omits|omitted|"
    # "X but not Y" (the clause starts at "but not"), "which remain uncontrolled", "are excluded
    # from", "fall outside it / the scope / FX-4" (never "for use outside a laboratory")
    rf"{_BUT_NOT}|(?:remains?|stays?|are|is|left) uncontrolled|(?:is|are) excluded|excluded from|"
    r"(?:is|are|falls?|fell|lies?|remains?) outside (?:(?:of )?(?:the |its )?scope|it|them|this|these|"
    r"entry|item|heading|(?=[A-Z]{1,4}-?\d|\d[A-E]\d))|"
    # "appears to have left cryogenic cooling, wafer probers ... off its list", "left it out of
    # its 2024 order", "leaves adiabatic machines aside": what is left off is left off a thing
    # of someone's (never "the left column, with a cut-off frequency")
    r"(?:leaves?|left|leaving) out|(?:leaves?|left|leaving) [^.;]{1,100}?(?<![\w-])(?:off|out of) "
    r"(?:its|their|the|this|that|our|his|her) |(?:leaves?|left|leaving) [^.;,]{1,40}? aside\b|"
    r"outside (?:its|their) scope)\b",
    re.I,
    ("not ", "no ", "removed", "rescinded", "excludes", "leave", "left", "omit", "uncontrolled", "excluded", "outside"),
)


#: where a sentence turns to another clause ("controls X, yet Canada has no ..."): a
#: negation or cue holds inside its own clause
#: (a sentence end the tokenizer missed, "... States.\n2. Canada ...", and a line that opens a
#: list item break one too; "U.S." and a wrapped line do not)
CLAUSE_BREAK = re.compile(
    r"(?<![A-Z])[.!?]\s+(?=[A-Z0-9(])|[;:]\s+|\n(?=[ \t]*(?:\d{1,2}[.)]|[-*•]|\([a-z0-9]\))[ \t])|"
    rf",\s*(?=(?:and|but|yet|while|whereas|although|though)\b)|\s(?={_BUT_NOT})"
)


def clause_index(text: str, offset: int) -> int:
    """Which clause of ``text`` (counted from 0) holds ``offset``."""
    return sum(1 for m in CLAUSE_BREAK.finditer(text, 0, offset))


def clause_at(text: str, offset: int) -> str:
    """The clause of ``text`` around ``offset``."""
    start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, offset)), default=0)
    stop = CLAUSE_BREAK.search(text, offset)
    return text[start : stop.start() + 1 if stop else len(text)]


def clause_negated(text: str, offset: int) -> bool:
    """Whether the clause of ``text`` around ``offset`` negates what it states."""
    return bool(NEGATION.search(clause_at(text, offset)))


#: "(entry code not verified)" says the list number is unknown, not that the control is
#: doubtful: the entry records that as ``qh:codeVerified false`` instead.
UNCODED = re.compile(r"\s*\((?:entry )?code not verified\)", re.I)


def is_hedged(text: str) -> bool:
    """Whether a sentence hedges what it states ("believed", "reportedly", "not verified")."""
    return bool(HEDGES.search(UNCODED.sub("", text)))


def hedged(text: str, confidence: float) -> float:
    """Hedged wording ("reportedly", "not verified") lowers a fact's confidence."""
    return round(confidence * 0.7, 3) if HEDGES.search(text) else confidence


def ents(doc: Doc, label: str) -> list:
    return [e for e in doc_ents(doc) if e.label_ == label]


@dataclass
class DocumentState:
    """Context that later blocks depend on: the instrument, the open entry, items."""

    source: SourceText
    out: Extraction
    fields: dict[str, tuple[Block, Doc]] = field(default_factory=dict)
    jurisdiction: str | None = None
    instrument: str | None = None
    exception: str | None = None
    arrangement: str | None = None
    control_list: str | None = None
    reasons: list[tuple[str, int, int]] = field(default_factory=list)
    last_jurisdiction: str | None = None
    abbreviations: dict[str, str] = field(default_factory=dict)
    entry: str | None = None
    entry_tech: dict[str, list[str]] = field(default_factory=dict)
    items: dict[int, str] = field(default_factory=dict)
    #: technologies an entry controls through its paragraphs (``entries._roll_up``)
    rolled_up: dict[str, list[str]] = field(default_factory=dict)
    #: the section of an ECCN-style entry the walk is in (``eccn.SECTIONS``)
    section: str | None = None
    #: the open entry was opened by a line of a list, not a heading (``leads``)
    entry_from_line: bool = False
    #: the open entry opens a list of its own ("7706. Quantum technologies:"), whose numbered
    #: paragraphs ("1. Quantum computers, as follows:") are its items (``entries.numbered_item``)
    entry_list: bool = False
    #: the numbered item of the open entry the walk is in ("1" for 7706.1), if any
    numbered: str | None = None
    #: the entry a heading or title line named, the subject of the paragraph after it
    #: (``prose_controls.carry_subject``)
    carried: str | None = None
    #: "open" while the carried entry's lead-in opened a list ("... covers:") not yet ended
    carried_list: str = ""
    #: the text of the paragraph just before the current block, if it was one (a note that
    #: hands a list on to another ECCN, ``item_context.note_hand_over``)
    last_paragraph: str = ""
    #: the text has introduced a list ("adds the following items"), so lines led by a
    #: code of any shape are its entries (``leads``)
    list_introduced: bool = False
    #: the CFR title a US text is in ("" when it names none; ``cfr.cfr_title``)
    cfr_title: str | None = None
    #: the column a table's head row named "Entry", "ECCN", "Code" ...: the cells below it
    #: are codes of any shape; None outside a table or without such a head (``tables``)
    code_column: int | None = None
    #: the code column's head names codes ("Entry", "ECCN"), not just row numbers ("No.")
    code_strong: bool = False
    #: the head row's cells, which name the figures below them (``tables``)
    table_header: list[str] = field(default_factory=list)
    #: titles the text paired with their citation, for its later mentions (``titles``)
    titles: dict[str, str] = field(default_factory=dict)
    #: the text has named the European Union, so "the Union" is the EU (``memberships``)
    union_named: bool = False
    #: the text has cited an EU act, so "the Commission" is the European Commission (``authorities``)
    eu_cited: bool = False
    #: the states a text lists as a country group's ("Schedule A comprises X, Y and Z") and
    #: the licences it makes available for a group, joined in ``licences.group_destinations``
    group_members: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    group_licences: dict[str, list[str]] = field(default_factory=dict)
    #: the instruments the text has named, last named last, with the kind words their
    #: labels give ("regulation", "order", "rule"), for anaphors (``amendments``)
    instrument_kinds: dict[str, set[str]] = field(default_factory=dict)
    #: the Instrument entities of ``out.entities`` read so far, each once (``amendments``)
    instruments_read: object = None
    #: what the document is, from its genre's conventions (``genres.Profile``)
    profile: object = None
    #: jurisdictions beyond ISO 3166 known to this build (``jurisdictions.Registry``)
    registry: object = None
    #: sentences waiting for the parser (``syntax.ParseQueue``); None parses at once
    parses: object = None

    def entity(
        self,
        type_: str,
        id_: str,
        start: int,
        end: int,
        conf: float,
        rule: str,
        sentence: tuple[int, int] | None = None,
        **attributes,
    ) -> None:
        text = self.source.text[start:end]
        if type_ == "Instrument" and id_.startswith("EU:"):
            self.eu_cited = True
        self.out.entities.append(
            Entity(type_, id_, text, start, end, conf, rule, {k: v for k, v in attributes.items() if v}, sentence)
        )

    def relate(
        self,
        type_: str,
        subject: str,
        subject_type: str,
        obj,
        object_type: str,
        start: int,
        end: int,
        conf: float,
        rule: str,
        sentence: tuple[int, int] | None = None,
        qualifier: str = "",
    ) -> None:
        self.out.relations.append(
            Relation(type_, subject, subject_type, obj, object_type, start, end, conf, rule, sentence, qualifier)
        )
