"""Entries set as the rows of a table: Markdown pipe tables, HTML tables, a Federal
Register GPOTABLE and a definition list, which the readers all render as pipe rows
("| 4A906 | Quantum computers | 34 or more qubits |").

The header row says which column holds the codes ("ECCN", "Entry", "Control code",
"Paragraph"; a column that only numbers the rows, "No.", gives way to one of those) and
names the figures below it: a cell "10⁻⁴ or less" under "C-NOT error" is a C-NOT error
limit. A code cell may carry other words ("**KV-7.3** (new)", "ECCN 4A906 (see note)");
a letter path ("a.4") is a paragraph of the open entry. Without a header, a row is an
entry when its first cell is a code: a list shape anywhere, a national shape when the
text introduced a list or the table has two columns (a term and its description). A
cell that names a state makes the row's code that state's (a comparison table); in an
alert or essay a row names an entry and what it covers, and defines none.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from . import eccn
from .code_lists import code_text
from .crossrefs import correspondences
from .doc_cache import doc_ents, doc_text
from .entries import _entry_links, _technologies, _thresholds, item
from .parameters import names_parameter
from .readers import Block
from .state import DocumentState
from .thresholds import Threshold, find_thresholds

_KNOWN_CODE = r"(?:ECCN|Entry|Item)?\s*(?P<code>" + eccn.CODE + r"|PL\d{4}[a-z.\d]*|\d{4}(?:\.[a-z\d.]+)?)"
#: a code cell: the code first, then nothing, or words set apart ("(new)", "[see note]")
_ROW_CODE = re.compile(r"^\s*" + _KNOWN_CODE + r"(?=\s*$|\s+[(\[*—–-])")
_NATIONAL_CODE = re.compile(
    r"^\s*(?!(?:SOR|SI|OJ|PC|No|NO|COM|FR|CFR|RIN|CELEX|ISO|EN|HS|CAS|UN|GL|EU)\b)"
    r"(?P<code>[A-Z]{1,4}(?:[-./]?|-[A-Z])\d{1,4}(?:[-./]\d{1,4})*[a-z]?)(?=\s*$|\s+[(\[*—–-])"
)
#: under a head that names the code column, a code of any shape ("9Q01", "QX.4-2"): letters
#: and digits, a digit among them, set apart like a code; never a year or a bare number
_COLUMN_CODE = re.compile(
    r"^\s*(?!(?:19|20)\d\d\b)(?P<code>(?=[\w.-]*\d)(?=[\w.-]*[A-Z])[A-Z\d]{1,6}(?:[-./][A-Za-z\d]{1,5}){0,3})"
    r"(?=\s*$|\s+[(\[*—–-])"
)
#: a letter path in a cell: "a.4", "(b)", "a.1.", or a numbered subitem "(1)"
_LETTER_PATH = re.compile(r"^\s*(?:\(?(?P<label>[a-z](?:\.\d+(?:\.[a-z](?:\.\d+)?)?)?)[.)]?|\((?P<num>\d{1,2})\))\s*$")
#: head cells that name the code column, strongest first; "No." may only number the rows
_STRONG_HEAD = re.compile(
    r"^\s*(?:ECCN|Entry|Item|Code|Heading|Paragraph|Rating|(?:Control|List|Entry|Item)"
    r" (?:entry|code|no\.?|number|item))\s*$",
    re.I,
)
_WEAK_HEAD = re.compile(r"^\s*(?:No\.?|Number|Ref(?:erence)?|#)\s*$", re.I)
_MARKUP = str.maketrans({"*": " ", "`": " ", "_": " "})


def _cells(text: str) -> list[tuple[str, int]]:
    """The cells of a pipe row with their offsets in the row's text."""
    body_start = text.index("|") + 1 if "|" in text else 0
    cells, at = [], body_start
    parts = text[body_start:].rstrip().rstrip("|").split("|")
    for part in parts:
        cells.append((part, at))
        at += len(part) + 1
    return cells


def _header(st: DocumentState, cells: list[str]) -> bool:
    """A head row: remember its cells, and which column holds the codes."""
    strong = [i for i, c in enumerate(cells) if _STRONG_HEAD.match(c)]
    weak = [i for i, c in enumerate(cells) if _WEAK_HEAD.match(c)]
    if not (strong or weak):
        return False
    st.code_column = (strong or weak)[0]
    st.code_strong = bool(strong)
    st.table_header = [" ".join(c.split()) for c in cells]
    return True


def _code_in(st: DocumentState, cell: str, lone: bool) -> tuple[str, int] | None:
    """The code a cell holds and its offset in the cell, or None."""
    clean = cell.translate(_MARKUP)
    m = _ROW_CODE.match(clean)
    if not m and (st.code_column is not None or st.list_introduced or lone):
        m = _NATIONAL_CODE.match(clean)  # "OS-3.2", "RQ-101", under a code column
    if not m and st.code_strong:
        m = _COLUMN_CODE.match(clean)  # "9Q01" under "Entry"
    return (m.group("code"), m.start("code")) if m else None


def _column_thresholds(st: DocumentState, cells: list[tuple[str, int]], skip: int) -> list[Threshold] | None:
    """The figures of a row read with their column heads ("C-NOT error" over "10⁻⁴ or
    less"); None without a head row, when the row's own words must name them."""
    if not st.table_header:
        return None
    found = []
    for i, (cell, at) in enumerate(cells):
        if i == skip or not any(ch.isdigit() for ch in cell):
            continue
        head = st.table_header[i] if i < len(st.table_header) else ""
        before = cells[i - 1] if i > 0 and i - 1 != skip else None
        if before and not names_parameter(head) and names_parameter(before[0]):
            # a "Limit" column after a cell that names the quantity: "Cooling power at 0.1 K"
            # | "≥ 400 µW", "rated to provide cooling power" | "not less than 600 µW at 0.1 K"
            found += _after_its_name(cell, at, *before)
            continue
        # the head names the quantity before the figure ("C-NOT error: 10⁻⁴ or less") or,
        # when it ends in the unit, after it ("350 or more ... physical qubits")
        prefix = f"{head}: " if head else ""
        here = [t for t in find_thresholds(prefix + cell) if t.start >= len(prefix)]
        shift = at - len(prefix)
        if not here and head:
            here, shift = [t for t in find_thresholds(f"{cell} {head}") if t.end <= len(cell)], at
        found += [
            Threshold(t.parameter, t.op, t.value, t.unit, t.start + shift, t.end + shift, t.text, t.condition_of)
            for t in here
        ]
    return found


def _after_its_name(cell: str, at: int, name: str, name_at: int) -> list[Threshold]:
    """The figures of a cell read with the cell before it that names their quantity: as one
    clause, the name first when it has no figure of its own, else after the figure (a figure
    in the name, "at 0.1 K", is the condition the limit is rated at)."""
    if any(ch.isdigit() for ch in name):
        text = f"{cell} {name}"
        spans = [(0, len(cell), at), (len(cell) + 1, len(text), name_at - len(cell) - 1)]
    else:
        text = f"{name}: {cell}"
        spans = [(len(name) + 2, len(text), at - len(name) - 2)]
    out = []
    for t in find_thresholds(text):
        shift = next((d for a, b, d in spans if a <= t.start < b), None)
        if shift is not None:
            out.append(
                Threshold(t.parameter, t.op, t.value, t.unit, t.start + shift, t.end + shift, t.text, t.condition_of)
            )
    return out


def _row_jurisdiction(doc: Doc, cells: list[tuple[str, int]], column: int) -> str | None:
    """A cell that is a state's name ("| United Kingdom | PL9014 | ... |"): the row's code
    is on that state's list."""
    for i, (cell, at) in enumerate(cells):
        if i == column:
            continue
        for ent in doc_ents(doc):
            if ent.label_ == "JURISDICTION" and ent.text == cell.strip() and ent.start_char >= at:
                return ent.ent_id_
    return None


def row(st: DocumentState, block: Block, doc: Doc) -> bool:
    """A table row that is an entry (or a paragraph of the open entry): its other cells
    name what it controls and its limits. False when the row is not an entry (a head
    row, or a table outside a list)."""
    text = doc_text(doc)
    cells = _cells(text)
    words = [c for c, _ in cells]
    if not words or _header(st, words):
        return False
    column = st.code_column if st.code_column is not None and st.code_column < len(cells) else 0
    cell, at = cells[column]
    claims = getattr(st.profile, "claims_only", False)
    owner = _row_jurisdiction(doc, cells, column) or st.jurisdiction
    if not (owner and (st.instrument or claims)):
        return False
    limits = _column_thresholds(st, cells, column)
    letter = _LETTER_PATH.match(cell)
    if letter and st.entry:
        # "(1)" under item 5506: a numbered subitem, 5506.1 (Canadian drafting)
        label = letter.group("label") or letter.group("num")
        start = block.start + at + letter.start("label" if letter.group("label") else "num")
        as_item = Block("item", start, block.end, level=label.count(".") + 1, label=label)
        return item(st, as_item, doc, limits) is not None
    found = _code_in(st, cell, lone=len(cells) == 2)
    if not found:
        return False
    code, offset = found
    start = block.start + at + offset
    entry = f"{owner}:{code}"
    others = [c for i, c in enumerate(words) if i != column]
    label = " ".join(others[0].split())[:160] if others else code
    # an alert's or essay's table names entries of the lists it compares; it defines none
    rule = "table.code" if claims else "heading.table_row"
    st.entity("ControlEntry", entry, start, start + len(code), 0.9, rule, label=label, code=code)
    if not claims:
        _entry_links(st, entry, start, start + len(code), 0.9)
        if st.entry is None or st.entry_from_line:
            # "| 5506 | ... subitems |" then "| (1) | ... |": the row is the entry its path rows
            # are paragraphs of, closed like an entry line at the next paragraph of prose
            st.entry, st.entry_from_line, st.numbered = entry, True, None
            st.items.clear()
    st.entry_tech[entry] = _technologies(st, doc, block, entry, 0.9, "table.technology")
    _thresholds(st, doc, block, entry, 0.9, (block.start, block.end), limits)
    correspondences(st, block, doc, entry)
    _column_counterparts(st, block, doc, cells, column, entry)
    return True


#: a head cell that names a column of another list's matching codes ("US counterpart",
#: "Equivalent entry", "Corresponds to", "Wassenaar match")
_COUNTERPART_HEAD = re.compile(r"\b(?:counterparts?|equivalents?|correspond\w*|match(?:es|ing)?|analogues?)\b", re.I)


def _column_counterparts(
    st: DocumentState, block: Block, doc: Doc, cells: list[tuple[str, int]], column: int, entry: str
) -> None:
    """The codes in a counterpart column are the entries the row's entry corresponds to; a
    state the head names ("UK equivalent") owns them, else their own shape or words do."""
    from .linking import country_code
    from .owners import code_jurisdiction

    for i, (cell, at) in enumerate(cells):
        head = st.table_header[i] if i < len(st.table_header) else ""
        if i == column or not _COUNTERPART_HEAD.search(head):
            continue
        named = next((c for w in re.findall(r"[A-Z][\w.]+", head) if (c := country_code(w.rstrip(".")))), None)
        for code in doc_ents(doc):
            if code.label_ != "CONTROL_CODE" or not at <= code.start_char < at + len(cell):
                continue
            owner = named or code_jurisdiction(st, code.sent if doc.has_annotation("SENT_START") else doc[:], code)
            target = f"{owner}:{code_text(code)}"
            if not owner or target == entry:
                continue
            s, e = block.start + code.start_char, block.start + code.end_char
            st.entity("ControlEntry", target, s, e, 0.9, "ruler.code", code=target.split(":", 1)[1])
            st.relate("corresponds_to", entry, "ControlEntry", target, "ControlEntry", s, e, 0.85, "table.counterpart")


def end_table(st: DocumentState) -> None:
    """A block that is not a row ends the table: its head no longer applies."""
    st.code_column, st.table_header, st.code_strong = None, [], False
