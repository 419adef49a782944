"""Country groups as texts name them. The EAR's groups have a shape of their own ("Country
Group A:5", coordinated: "Country Groups A:5 and A:6", "Country Group D:4 or D:5"), which is
the US's in any text. Other lists name a group by a list designator and its label (a
Schedule, Annex, List, Group or Appendix: "Schedule B", "Annex IIa", "List C") that the
sentence says holds countries: "the countries of Schedule B", "destinations listed in
Annex 4", "a destination outside Schedule A", "Schedule 2 destinations". Such a group is
the document's own jurisdiction's. One home for what a country group's name is."""

from __future__ import annotations

import re
from collections.abc import Iterator

#: "Country Group A:5", "Country Groups A:5, A:6 and D:1", "Country Group D:4 or D:5"
US_GROUP_LIST = re.compile(r"\bCountry Groups?\s+(?P<list>[A-E]:\d+(?:\s*(?:,|or|and|,\s*or|,\s*and)\s*[A-E]:\d+)*)")
#: one EAR group inside such a list
US_GROUP = re.compile(r"[A-E]:\d+")
_DESIGNATOR = r"(?:Schedule|Annex|List|Group|Appendix)"
_LABEL = r"(?:[A-Z]{1,2}\b|\d{1,2}[A-Za-z]?\b|[IVX]{1,5}[a-z]?\b)(?!:)"  # "A:5" is the EAR's
_PLACES = r"(?:countries|country|destinations?|states?|jurisdictions?|partners?)"
#: after the group's name, "states" is a noun only when no determiner or clause follows it
#: ("Schedule 2 states the conditions", "Schedule 1 (Fees) states how to pay" is a verb)
_NOT_A_NOUN = r"(?<=states)(?! (?:the|a|an|that|how|what|which|whether|when|where|who|its|their|each|every)\b)"
#: "the countries of Schedule B", "destinations listed in Annex 4", "a country outside Schedule
#: A", "states named in List C": the group's name is ``name``
NAMED_GROUP = re.compile(
    rf"\b{_PLACES}(?: (?:listed|named|set out|specified|included|mentioned))? (?:of|in|outside|on|under|from)"
    rf"(?: the)? (?P<name>{_DESIGNATOR} {_LABEL})"
)
#: "Schedule A countries", "the List C destinations"
GROUP_BEFORE = re.compile(
    rf"\b(?P<name>{_DESIGNATOR} {_LABEL})(?: \([A-Z][\w ]{{2,40}}\))? {_PLACES}\b(?:{_NOT_A_NOUN}|(?<!states))"
)
#: a sentence that says which states a group holds, the verb and the list right after it:
#: "Schedule A, for the purposes of this Notice, comprises Finland, Sweden and Canada", "Annex
#: IIa consists of ...", "Group P is made up of". "Covers", "contains" and "lists" are left
#: out: a schedule covers goods and lists documents far more often than it holds states.
GROUP_DEFINED = re.compile(
    rf"\b(?P<name>{_DESIGNATOR} {_LABEL})[^.;]{{0,80}}?"
    r"\b(?:comprises|consists of|is made up of|includes|is composed of)\b"
)
#: where a group's list of members ends: a clause break, a contrast or an exception ("every
#: Wassenaar state except Iran", "Norway and Japan but not Iran", "...; exports to Russia")
MEMBERS_END = re.compile(r"[;:.]|\b(?:except|excluding|other than|but|save|apart from|with the exception)\b")
_ANY = re.compile(rf"\b{_DESIGNATOR} {_LABEL}")
#: a string every ``_ANY`` match holds: most blocks name no list designator and are not scanned
_DESIGNATOR_WORDS = ("Schedule ", "Annex ", "List ", "Group ", "Appendix ")


def us_groups(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, "A:5") of each EAR country group, each of a coordinated list on its own."""
    for m in US_GROUP_LIST.finditer(text) if "Country Group" in text else ():
        for g in US_GROUP.finditer(m.group("list")):
            s = m.start("list") + g.start()
            # the first group's mention holds its "Country Group" words, as texts are annotated
            yield (m.start() if g.start() == 0 else s), s + len(g.group()), g.group()


def named_groups(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of each group of another list that the text says holds countries."""
    if not any(w in text for w in _DESIGNATOR_WORDS) or not _ANY.search(text):
        return
    seen = set()
    for rx in (NAMED_GROUP, GROUP_BEFORE):
        for m in rx.finditer(text):
            name = m.group("name")
            if m.start("name") in seen:
                continue
            seen.add(m.start("name"))
            yield m.start("name"), m.end("name"), name
