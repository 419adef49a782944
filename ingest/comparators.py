"""How texts write a comparison next to a figure: "less than", "at or below", "not
exceeding", "up to and including", "less (better) than" before it, "or more", "and below"
after it. ``BEFORE_PHRASES`` is the one list of comparators written before a figure; the
threshold parser (``thresholds.py``) asks ``comparator`` for the one at each figure.
"""

from __future__ import annotations

import re

from .prefilter import may_contain

#: comparators written before a figure, longest phrases first, negated forms ("not
#: exceeding") before the plain ones; ``{opt}`` stands for "(better)" or "(worse)"
BEFORE_PHRASES = [
    (
        "less{opt} than or equal to|equal to or less{opt} than|equal to or lower than|not more than|no more than"
        "|not exceeding|does not exceed|do not exceed|up to and including|at most|up to|a maximum of|maximum of"
        "|at or below|no greater than|not greater than|not above|no higher than|not higher than|≤|=<|<=",
        "<=",
    ),
    (
        "greater{opt} than or equal to|equal to or greater{opt} than|equal to or more than|more than or equal to"
        "|at least|not less than|no less than|no fewer than|not fewer than|a minimum of|minimum of|at or above"
        "|≥|>=|from|between",
        ">=",
    ),
    (
        "up to but not including|up to but excluding|fewer than|less{opt} than|below|under|lower than"
        "|colder than|smaller than|better than|<",
        "<",
    ),
    (
        "more than|greater{opt} than|exceeding|exceeds|exceed|above|over|beyond|higher than|warmer than|in excess of|>",
        ">",
    ),
]
_OPT = r"(?:\s*\((?:better|worse)\))?"
#: the same optional part read backwards, for ``_BEFORE_REVERSED``
_OPT_REVERSED = r"(?:\)(?:retteb|esrow)\(\s*)?"


def _alternatives(phrases: str, reverse: bool = False) -> str:
    """A ``|``-separated phrase list as a regular expression, or as one matching the
    phrases written backwards."""
    out = []
    for phrase in phrases.split("|"):
        parts = [re.escape(part[::-1] if reverse else part) for part in phrase.split("{opt}")]
        out.append((_OPT_REVERSED if reverse else _OPT).join(parts[::-1] if reverse else parts))
    return "|".join(out)


#: a comparator, then up to four words ending in "of" ("at or below a temperature of")
BEFORE_RX = [
    (re.compile(r"(?:^|(?<=[\s(,]))(?:" + _alternatives(words) + r")\s*(?:(?:[\w'‘’-]+\s+){0,4}of\s+)?$", re.I), op)
    for words, op in BEFORE_PHRASES
]
#: the same patterns reversed, as one: matched at the start of the reversed text before a
#: figure, a single attempt instead of searches that try every position (most of the
#: component's time on the real CCL). Each branch carries its own optional "... of" so
#: that the first comparator group that matches wins, as in ``BEFORE_RX`` order;
#: ``tests/test_ingest_thresholds.py`` checks that the two agree
_BEFORE_REVERSED = re.compile(
    "|".join(
        rf"(?P<op{i}>(?:\s+fo(?:\s+[\w'‘’-]+){{0,4}})?\s*(?:{_alternatives(words, reverse=True)})(?=[\s(,]|$))"
        for i, (words, _) in enumerate(BEFORE_PHRASES)
    ),
    re.I,
)
_BEFORE_OPS = {f"op{i}": op for i, (_, op) in enumerate(BEFORE_PHRASES)}
#: comparators written after a figure ("34 or more")
AFTER_PHRASES = [
    ("or more|or greater|or higher|or above|and above|or warmer|or larger|or bigger|or longer|or wider", ">="),
    ("or less|or lower|or fewer|or below|or colder|and below|or smaller|or shorter|or narrower", "<="),
]
# the unit between may be a sign ("0.1% or less")
_AFTER = [(re.compile(r"^[\s,]*(?:\S+\s+)?(?:" + words + ")", re.I), op) for words, op in AFTER_PHRASES]


#: a word of every comparator (``BEFORE_PHRASES``, ``AFTER_PHRASES``), lower case: a figure needs
#: a comparator, and most clauses with numbers (paragraph numbers, dates, citations) have
#: none; ``tests/test_ingest_thresholds.py`` checks that every comparator contains one
COMPARATOR_WORDS = (
    "less", "more", "exceed", "up to", "most", "maximum", "minimum", "below", "above", "greater", "least",
    "fewer", "from", "between", "under", "lower", "colder", "smaller", "over", "beyond", "higher", "warmer",
    "excess", "better", "larger", "bigger", "longer", "wider", "shorter", "narrower", "<", ">", "≤", "≥",
)  # fmt: skip


def may_compare(text: str) -> bool:
    """Whether a comparator can be in the text: False only when none can."""
    return may_contain(text, COMPARATOR_WORDS)


#: a word every comparator of ``_AFTER`` contains: most numbers of a list (paragraph and
#: section numbers, years) have none after them
_AFTER_WORD = re.compile(r"or |and ", re.I)


def comparator(text: str, start: int, end: int) -> str | None:
    """The comparison a figure at ``text[start:end]`` is written with ("<=", ">=", "<",
    ">"), from the words after it first, then the words before it; None without one."""
    after = text[end : end + 30]
    for pattern, op in _AFTER if _AFTER_WORD.search(after) else ():
        if pattern.search(after):
            return op
    before = _BEFORE_REVERSED.match(text[max(0, start - 70) : start][::-1])
    return _BEFORE_OPS[before.lastgroup] if before else None
