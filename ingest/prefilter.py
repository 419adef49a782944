"""Cheap tests in front of costly patterns: a case-insensitive alternation such as the
hedge or negation cues costs Python's regex engine a try of every alternative at every
position, and most texts hold none of its words. On the real CCL such searches were a
third of what extraction adds to spaCy.

``Gated`` is a compiled pattern behind the words every one of its matches contains: a
text none of them is in (lower case) cannot match, and is not searched. The gate is
exact, not a heuristic: a case-insensitive pattern matches an ASCII letter only to
itself in either case or to one of ``FOLDS_TO_ASCII``, so a text without those
characters that matches holds the words in its lower case. Whoever writes a gate owes
that every match contains one of its words; ``tests/test_ingest_prefilter.py`` checks
the gates against the sample corpus.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator

#: the only characters that a case-insensitive pattern matches to an ASCII letter but
#: ``str.lower`` does not turn into one (dotted and dotless i, long s, the Kelvin sign):
#: what ``re._casefix`` adds to plain lower case. Written as escapes: a normalising editor
#: once turned the Kelvin sign into a plain "K", which made every text with a K pass
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


#: text -> its lower case, or None when it holds one of ``FOLDS_TO_ASCII``: the same
#: sentence meets many gates in a row (a dictionary hit costs less than ``str.lower``)
_LOWER: dict[str, str | None] = {}
_LOWER_SIZE = 256


def _lower(text: str) -> str | None:
    low = _LOWER.get(text, "")
    if low == "":
        if len(_LOWER) >= _LOWER_SIZE:
            _LOWER.clear()
        folds = not text.isascii() and any(c in text for c in FOLDS_TO_ASCII)
        low = _LOWER[text] = None if folds else text.lower()
    return low


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """Whether a case-insensitive pattern whose every match holds one of ``words``
    (lower-case ASCII) can match in ``text``: False only when it cannot."""
    low = _LOWER.get(text, "")
    if low == "":
        low = _lower(text)
    return low is None or any(map(low.__contains__, words))


class Gated:
    """A compiled pattern that searches only texts holding one of its words (see the
    module's docstring); the methods extraction uses, with ``re.Pattern``'s meaning."""

    __slots__ = ("regex", "words", "pattern", "flags", "_seen")

    def __init__(self, pattern: str, flags: int, words: tuple[str, ...]):
        bad = [w for w in words if not w or not w.isascii() or w != w.lower()]
        if bad or not words:
            raise ValueError(f"gate words must be non-empty lower-case ASCII: {bad or words!r}")
        self.regex = re.compile(pattern, flags)
        self.words = words
        self.pattern = self.regex.pattern
        self.flags = self.regex.flags
        #: text -> whether it may match: a sentence meets the same gate once per fact
        #: read from it (the hedge test), a block once per rule
        self._seen: dict[str, bool] = {}

    def may(self, text: str) -> bool:
        seen = self._seen.get(text)
        if seen is None:
            if len(self._seen) >= _LOWER_SIZE:
                self._seen.clear()
            # ``may_contain``, inlined: this runs some 70,000 times over the real CCL
            low = _LOWER.get(text, "")
            if low == "":
                low = _lower(text)
            seen = self._seen[text] = low is None or any(map(low.__contains__, self.words))
        return seen

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self.may(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos) if self.may(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text, pos, endpos) if self.may(text) else iter(())

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return self.regex.sub(repl, text, count) if self.may(text) else text

    def __repr__(self) -> str:
        return f"Gated({self.pattern!r}, words={self.words!r})"
