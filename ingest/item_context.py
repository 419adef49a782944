"""Which ECCN a lettered paragraph belongs to when no heading says so.

A text quoted from the Commerce Control List often starts inside an entry ("d. Designed or
modified ...", "z.1.a Commodities that are described in 5A002.a ...") or runs from one entry
into a paragraph of another after a note that names it ("3A001.c does not control ...",
then "d. Electronic devices ..."). The paragraphs still say whose they are:

- the paragraphs before any heading cite their own siblings by full number ("not specified
  by 5A002.d" under e.): the ECCN whose cited paragraphs are among the labels of those
  paragraphs is theirs (``orphan_entry``);
- a note that opens with a paragraph's number ("3A001.c does not control ...") and is
  followed by the next letter ("d.") hands the list on to that ECCN (``note_hand_over``).
"""

from __future__ import annotations

import re
from collections import Counter

from .eccn import BASE, PATH
from .readers import Block
from .state import DocumentState

#: a full paragraph number: its ECCN and its path ("5A002.d", "3A001.e.3")
_CITED = re.compile(rf"\b(?P<base>{BASE})\.(?P<path>{PATH})\b")
#: a note led by a paragraph's number and a verb ("3A001.c does not control ...")
_NOTE_LEAD = re.compile(rf"^\s*(?:Note(?: \d+)?(?: to [^:]{{1,20}})?:\s*)?(?P<base>{BASE})\.(?P<path>{PATH})\s+[a-z]")


def orphan_entry(st: DocumentState) -> str | None:
    """The ECCN of the lettered paragraphs a text opens with, before any entry heading:
    the one whose paragraphs, cited by full number anywhere among them, carry the labels
    those paragraphs have. Read once per document."""
    memo = st.__dict__.setdefault("_orphan_entry", [])
    if memo:
        return memo[0]
    source, labels, ends = st.source, set(), 0
    for block in source.blocks:
        if block.kind == "heading":
            break
        if block.kind == "item" and block.label:
            labels.add(block.label)
            ends = block.end
    counts = Counter(m.group("base") for m in _CITED.finditer(source.text, 0, ends) if m.group("path") in labels)
    best = counts.most_common(2)
    found = best[0][0] if best and (len(best) == 1 or best[0][1] > best[1][1]) else None
    memo.append(found)
    return found


def _successor(label: str, path: str) -> bool:
    """ "d" after "c", "e.4" after "e.3": the next paragraph at the same depth."""
    a, b = label.split("."), path.split(".")
    if len(a) != len(b) or a[:-1] != b[:-1]:
        return False
    last, prev = a[-1], b[-1]
    if last.isdigit() and prev.isdigit():
        return int(last) == int(prev) + 1
    return len(last) == len(prev) == 1 and last.isalpha() and ord(last) == ord(prev) + 1


def note_hand_over(st: DocumentState, block: Block, note: str | None) -> None:
    """Before an item: when the paragraph before it was a note led by another ECCN's
    paragraph number and the item's label comes next after it, the list goes on in that
    ECCN ("3A001.c does not control ..." / "d. Electronic devices ...")."""
    m = _NOTE_LEAD.match(note or "")
    if not m or not st.entry or not st.jurisdiction or not _successor(block.label, m.group("path")):
        return
    entry = f"{st.jurisdiction}:{m.group('base')}"
    if entry != st.entry and not st.entry.startswith(entry + "."):
        st.entry = entry
        st.items.clear()
