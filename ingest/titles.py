"""Instruments a text names by their title alone ("the Export Control Order 2008"), linked
to their citation (S.I. 2008/3231) so that they are the same instrument as wherever the
citation is written.

Two sources: a title the text itself pairs with a citation ("the Export Control Order
2008 (S.I. 2008/3231)"), which holds for the rest of that document; and the few titles
of the instruments the reference set lists (``../shared/reference/instruments.csv`` and
the acts they amend), by which alerts and essays name them without a citation. A title
names its own jurisdiction, so these are read in commentary too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qharmony.ontology.namespaces import slug

#: official title (or the short title texts use) -> (jurisdiction, citation)
KNOWN_TITLES: dict[str, tuple[str, str]] = {
    "Export Control Order 2008": ("GB", "SI 2008/3231"),
    "Export Control (Amendment) Regulations 2024": ("GB", "SI 2024/346"),
    "Export Control (Amendment) (No. 2) Regulations 2025": ("GB", "SI 2025/1197"),
    "Dual-Use Regulation": ("EU", "Regulation (EU) 2021/821"),
    "Dual-use Regulation": ("EU", "Regulation (EU) 2021/821"),
    "EU Dual-Use Regulation": ("EU", "Regulation (EU) 2021/821"),
    "Defence and Strategic Goods List 2024": ("AU", "F2024L01024"),
}
#: a word every known title holds: most blocks name none, and are not scanned
_ANY_TITLE_WORD = re.compile(r"Order|Regulations?|List")
#: "<Title> (S.I. 2008/3231)", "<Title> (SOR/2024-112)", "<Title> (Regulation (EU) 2021/821)"
_WORD = r"(?:[A-Z][\w-]*|\((?:Amendment|No\. \d+)\)|of|and|on|for|the)"
_PAIRED = re.compile(
    r"(?P<title>" + _WORD + r"(?: " + _WORD + r")*(?: (?:19|20)\d\d)?) \((?P<cite>S\.?I\.? \d{4}/\d+|SOR/\d{4}-\d+|"
    r"(?:Delegated |Implementing )?Regulation \(EU\) \d{4}/\d+)\)"
)
_CITE_OWNER = [(re.compile(r"^S\.?I\.?"), "GB"), (re.compile(r"^SOR"), "CA"), (re.compile(r"Regulation \(EU\)"), "EU")]
_LEADING = {"The", "the", "This", "These", "Under", "In", "By", "Of", "An", "A", "To", "of", "and", "on", "for"}


def citation_id(jurisdiction: str, citation: str) -> str:
    """The id of an instrument by its citation ("S.I. 2008/3231" -> GB:SI-2008-3231)."""
    return f"{jurisdiction}:{slug(citation.replace('S.I.', 'SI'))}"


@lru_cache(maxsize=1)
def _known_rx() -> re.Pattern[str]:
    names = sorted(KNOWN_TITLES, key=len, reverse=True)
    return re.compile(r"(?<![\w(])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w)])")


def known_titles(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, id, title) of each known title in ``text``."""
    if not _ANY_TITLE_WORD.search(text):
        return []
    found = []
    for m in _known_rx().finditer(text):
        jurisdiction, citation = KNOWN_TITLES[m.group(0)]
        found.append((m.start(), m.end(), citation_id(jurisdiction, citation), m.group(0)))
    return found


def paired_titles(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, id, title) of each title the text pairs with its citation."""
    if "(" not in text:
        return []
    found = []
    for m in _PAIRED.finditer(text):
        words = m.group("title").split(" ")
        while words and words[0] in _LEADING:
            words.pop(0)
        if len(words) < 2:
            continue
        title = " ".join(words)
        cite = m.group("cite")
        owner = next(code for rx, code in _CITE_OWNER if rx.search(cite))
        start = m.end("title") - len(title)
        found.append((start, m.end("title"), citation_id(owner, cite), title))
    return found
