"""What every reader yields: the text, and a structure map with offsets into it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class ReaderError(Exception):
    """A file that cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class Block:
    """One structural unit: a heading, a header field, a paragraph or a lettered item.

    ``start``/``end`` are offsets of the block's content in ``SourceText.text``;
    ``label`` is an item's letter path (``a.1``); ``name`` a field's name.
    """

    kind: str
    start: int
    end: int
    level: int = 0
    label: str = ""
    name: str = ""


@dataclass
class SourceText:
    """A document as read: its name, full text and structure."""

    name: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    path: str = ""

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    @property
    def fields(self) -> dict[str, Block]:
        return {b.name.lower(): b for b in self.blocks if b.kind == "field"}


def decode(path: Path) -> str:
    """The file's text, or a ReaderError naming it and why not (``decoding``)."""
    from .decoding import decode_file  # decoding raises ReaderError, defined here

    return decode_file(path)


def document_name(path: Path) -> str:
    return path.stem


#: a letter path: a., (b), a.1., b.2.c., a.1.a.1. (letters and numbers alternate, so
#: "e.g." is not an item)
_ITEM = re.compile(
    # a quoted line of inserted text may open with its quotation mark: "“a. quantum computers ..."
    r"^(?P<indent>[ \t]*)(?:[-*+][ \t]+)?[“\"‘]?"
    r"(?P<label>\(?[a-z](?:\.\d+(?:\.[a-z](?:\.\d+(?:\.[a-z])?)?)?)?[.)](?:\d+\.)?"
    # a path of two levels or more needs no closing stop ("z.1.b Commodities ...", as the eCFR prints some)
    r"|[a-z]\.\d+(?:\.[a-z](?:\.\d+)?)?(?=[ \t]+[“\"‘]?[A-Z]))[ \t]+"
)
#: a table row, "| 4A906 | Quantum computers | ... |", and a header rule "|---|---|"
_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE_ROW = re.compile(r"^\s*\|[\s:|-]*\|\s*$")
#: a line of "=" or "-" under a one-line title: the title is a heading (setext style)
_UNDERLINE = re.compile(r"^[ \t]*(?:={3,}|-{3,})[ \t]*$")
_FIELD = re.compile(r"^(?P<name>[A-Z][A-Za-z /()-]{1,40}):[ \t]+(?P<value>\S.*)$")
_LABEL_CLEAN = re.compile(r"[()]")
#: a line led by a list code and then words ("RQ-101  Quantum computers ...", "5506. Emerging
#: technologies", '"PL9013 Cryogenic ...', a bullet "- **O-812** Quantum ..."): the start of
#: its own block, so that each entry of a list set as lines (or quoted as inserted Schedule
#: text) is read on its own. Whether it is an entry is for extraction to decide
#: (``ingest.leads``).
#: the first word of a sentence about a code ("4A906.c applies to ..."), never of an entry's
#: description
CODE_SENTENCE_WORDS = (
    "is are was were matches match corresponds covers cover controls control applies apply does do has have "
    "may shall must will would remains includes include no not of and or to in on under see also"
).split()
LEAD_LINE = re.compile(
    r"^[ \t]*(?:[-*+•][ \t]+)?(?:\d{1,2}[.)][ \t]+(?=(?i:entry|item)\b))?[“\"‘']?(?:\*\*)?"
    r"(?:(?i:ECCN|Entry|Item)[ \t]+)?"
    r"(?P<code>\d[A-E]\d{3}(?:\.[a-z](?:\.\d+)*)?|PL\d{4}|(?!19\d\d|20\d\d)[1-9]\d{3}"
    r"|(?!(?:SOR|SI|OJ|PC|No|NO|COM|FR|CFR|RIN|CELEX|ELI|ISO|EN|SR|HS|CAS|UN|GL|L|C|S|P)\b)"
    r"[A-Z]{1,4}(?:[-./]?|-[A-Z])\d{1,4}(?:[-./]\d{1,4})*)"
    r"(?:\*\*)?(?:[.:)][ \t]+|[ \t]+[-–—][ \t]+|[ \t]+)(?=[“\"‘(]?[A-Za-z])"
    r"(?!(?i:" + "|".join(CODE_SENTENCE_WORDS) + r")\b)"
    r"(?!(?:No\b|January|February|March|April|May|June|July|August|September|October|November|December)\b)"
)
#: a bulleted line ("- **Quantum computers (ECCN 4A906).** ..."), which is not a lettered item
_BULLET = re.compile(r"^[ \t]*[-*+•][ \t]+\S")
#: a numbered line ("1. Quantum computers, as follows:")
_NUMBERED_LINE = re.compile(r"^[ \t]*\(?\d{1,2}[.)][ \t]+\S")
#: a line that ends a sentence or opens a list: what follows it is not its continuation
_ENDED = set('.;:!?)]"”')


_ENTRY_HEADING = re.compile(r"^\d[A-E]\d{3}\s")


def _continues(text: str, last: Block, line: str) -> bool:
    """Does ``line`` go on with the block before it? A lettered item or an ECCN heading
    that stopped in mid-sentence, followed by a line that opens nothing of its own (an
    entry heading's continuation starts in lower case or with "(see ...)")."""
    if text[last.end - 1] in _ENDED or LEAD_LINE.match(line):
        return False
    if last.kind == "item":
        return True
    return (
        last.kind == "heading"
        and bool(_ENTRY_HEADING.match(text[last.start : last.end]))
        and line[:1] in "(abcdefghijklmnopqrstuvwxyz"
    )


def item_label(raw: str) -> str:
    """``a.1.`` -> ``a.1``; ``(b)`` -> ``b``."""
    return _LABEL_CLEAN.sub("", raw).rstrip(".)")


def segment(text: str, heading: re.Pattern[str]) -> list[Block]:
    """Split text into blocks. Header fields are ``Name: value`` lines that come
    before the first section heading; items are lines led by a letter path."""
    blocks: list[Block] = []
    offset = 0
    in_preamble = True
    para_start: int | None = None
    para_end = 0

    def close_paragraph() -> None:
        nonlocal para_start
        if para_start is not None:
            blocks.append(Block("paragraph", para_start, para_end))
            para_start = None

    previous_end = -1  # where the last non-blank line ended: a wrapped item goes on from there
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        line_start = offset
        offset += len(line)
        if not stripped:
            close_paragraph()
            previous_end = -1
            continue
        lead = len(body) - len(body.lstrip())
        if _UNDERLINE.match(body) and para_start is not None and "\n" not in text[para_start:para_end]:
            # "Italy - National Control List\n------": a title, the document's own when it
            # opens it (its header fields may follow), else a section heading
            level = 1 if not blocks or "=" in stripped else 2
            blocks.append(Block("heading", para_start, para_end, level=level))
            para_start, in_preamble = None, level == 1 and len(blocks) == 1
            previous_end = -1
            continue
        head = heading.match(body)
        if head:
            close_paragraph()
            level = head.group("level")
            level_n = len(level) if level else 2
            if level_n > 1:
                in_preamble = False
            start = line_start + head.start("title")
            blocks.append(Block("heading", start, line_start + len(body.rstrip()), level=level_n))
            previous_end = blocks[-1].end
            continue
        field_match = _FIELD.match(stripped) if in_preamble else None
        if field_match:
            close_paragraph()
            start = line_start + lead + field_match.start("value")
            blocks.append(Block("field", start, line_start + len(body.rstrip()), name=field_match.group("name")))
            continue
        if _ROW.match(body):
            close_paragraph()
            in_preamble = False
            if not _RULE_ROW.match(body):
                blocks.append(Block("row", line_start + lead, line_start + len(body.rstrip())))
            continue
        item = _ITEM.match(body)
        if item:
            close_paragraph()
            in_preamble = False
            label = item_label(item.group("label"))
            blocks.append(
                Block(
                    "item",
                    line_start + item.end(),
                    line_start + len(body.rstrip()),
                    label=label,
                    level=label.count(".") + 1,
                )
            )
            previous_end = blocks[-1].end
            continue
        in_preamble = False
        last = blocks[-1] if blocks and para_start is None else None
        if last is not None and last.end == previous_end and _continues(text, last, stripped):
            # wrapped in mid-sentence (the Federal Register's plain text wraps at 70
            # columns): the next line goes on with the item or entry heading
            blocks[-1] = Block(last.kind, last.start, line_start + len(body.rstrip()), last.level, last.label)
            previous_end = blocks[-1].end
            continue
        numbered = (
            para_start is not None
            and _NUMBERED_LINE.match(body)
            # after a line that opens a list, or within a numbered list ("1. ...\n2. ...")
            and (text[para_end - 1] in ":;" or _NUMBERED_LINE.match(text[para_start:para_end]))
        )
        if para_start is not None and (LEAD_LINE.match(body) or _BULLET.match(body) or numbered):
            # each entry line, each bullet of a list and each numbered line after a line that
            # opens a list ("7706. Quantum technologies:" / "1. Quantum computers ...") is a block
            close_paragraph()
        if para_start is None:
            para_start = line_start + lead
        para_end = line_start + len(body.rstrip())
    close_paragraph()
    return split_long_blocks(text, field_table(text, blocks))


#: a cell of a field table: a name such as a header field has ("Issued by", "In force")
_FIELD_NAME = re.compile(r"^[*_\s]*(?P<name>[A-Z][A-Za-z /()-]{1,40}?)[*_:\s]*$")


def field_table(text: str, blocks: list[Block]) -> list[Block]:
    """A summary may set its header fields as a two-column table before its first section
    ("| Field | Value |" / "| Issued by | State Export Control Commission |"): each row
    whose name cell is a header field's name is that field, the value cell its span. Only
    the document's first table, before any section, item or field line; at least two rows
    must name known fields, or the table is a table."""
    from ..preamble import FIELD_ALIASES  # the names extraction knows; read at call time

    rows: list[int] = []
    for i, block in enumerate(blocks):
        if block.kind == "row":
            if rows and rows[-1] != i - 1:
                break
            rows.append(i)
        elif rows or block.kind in ("field", "item") or (block.kind == "heading" and block.level > 1):
            if rows:
                break
            return blocks
    if rows and _RULE_ROW.match(text[blocks[rows[0]].end :].lstrip("\r\n").split("\n", 1)[0]):
        head, rows = rows[0], rows[1:]  # "| Field | Value |" over its rule line
    else:
        head = -1
    fields: dict[int, Block] = {}
    for i in rows:
        row = text[blocks[i].start : blocks[i].end]
        cells = row.strip().strip("|").split("|")
        name = _FIELD_NAME.match(cells[0])
        if len(cells) != 2 or not name or not cells[1].strip():
            return blocks  # a code, a figure or a third column: a table of its own
        start = blocks[i].start + row.index("|", row.index("|") + 1) + 1
        start += len(cells[1]) - len(cells[1].lstrip())
        fields[i] = Block("field", start, start + len(cells[1].strip()), name=name.group("name").strip())
    if sum(f.name.lower() in FIELD_ALIASES for f in fields.values()) < 2:
        return blocks
    return [fields.get(i, b) for i, b in enumerate(blocks) if i != head]


#: Longest block handed to spaCy as one Doc: a text without blank lines would else be
#: one paragraph, past what spaCy takes (``nlp.max_length``) or can parse in memory.
MAX_BLOCK_CHARS = 20_000
_BREAK = re.compile(r"\n|(?<=[.;:!?])\s")


def split_long_blocks(text: str, blocks: list[Block], most: int = MAX_BLOCK_CHARS) -> list[Block]:
    """Blocks no longer than ``most`` characters: a longer one is cut at the last line
    break or sentence end before the limit, else the last space, else at the limit."""
    out: list[Block] = []
    for block in blocks:
        start = block.start
        while block.end - start > most:
            window = text[start : start + most]
            cuts = [m.end() for m in _BREAK.finditer(window)] or [window.rfind(" ") + 1]
            cut = start + (cuts[-1] if cuts[-1] > most // 2 else most)
            out.append(Block(block.kind, start, cut, block.level, block.label, block.name))
            start = cut
        if start != block.start:
            block = Block(block.kind, start, block.end, block.level, block.label, block.name)
        out.append(block)
    return out


class _HeadingMatch:
    """The part of a regex match that ``segment`` reads: level marks and title start."""

    def __init__(self, body: str, level: int):
        self._body, self._level = body, level

    def group(self, name: str) -> str:
        return "#" * self._level if name == "level" else self._body.strip()

    def start(self, name: str) -> int:
        return len(self._body) - len(self._body.lstrip())


class KnownHeadings:
    """Headings a markup reader found, matched by their rendered line, so that HTML,
    XML and PDF share ``segment`` with the text readers."""

    def __init__(self) -> None:
        self.levels: dict[str, int] = {}

    def add(self, title: str, level: int) -> None:
        self.levels.setdefault(title.strip(), level)

    def match(self, body: str) -> _HeadingMatch | None:
        level = self.levels.get(body.strip())
        return _HeadingMatch(body, level) if level else None


_SPACE = re.compile(r"\s+")


def render(parts: list[tuple[str, int]]) -> tuple[str, KnownHeadings]:
    """Text from (text, heading level or 0) parts, one block per paragraph; the text
    returned is what the user sees, and every offset points into it."""
    headings = KnownHeadings()
    lines = []
    for text, level in parts:
        clean = _SPACE.sub(" ", text).strip()
        if not clean:
            continue
        if level:
            headings.add(clean, level)
        lines.append(clean)
    return "\n\n".join(lines) + "\n", headings
