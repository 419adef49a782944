"""HTML: EUR-Lex-like pages and generic pages. Headings come from h1-h6 and from
EUR-Lex title classes; paragraphs from block elements; scripts and navigation are
skipped. Table rows, and a definition list's terms that are codes with their descriptions (dt,
dd), are rendered as pipe rows ("| T-401 | Quantum computers ... |"), as Markdown writes a table,
so that extraction reads every table alike. The rendered text is what the user sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .base import ReaderError, SourceText, decode, document_name, render, segment

_BLOCKS = {
    "p",
    "div",
    "li",
    "dd",
    "dt",
    "td",
    "th",
    "blockquote",
    "pre",
    "section",
    "article",
    "tr",
    "caption",
    "figcaption",
    "address",
}
_SUPERSCRIPT = str.maketrans("0123456789-−+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁺")
_SKIP = {"script", "style", "nav", "noscript", "template", "svg", "head", "button", "form"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
#: EUR-Lex marks article and section titles with classes rather than h tags.
_TITLE_CLASSES = {
    "ti-art": 2,
    "oj-ti-art": 2,
    "ti-section-1": 2,
    "oj-ti-section-1": 2,
    "doc-ti": 1,
    "oj-doc-ti": 1,
    "ti-grseq-1": 2,
    "oj-ti-grseq-1": 2,
}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, int]] = []
        self.buffer: list[str] = []
        self.level = 0
        self.skipping = 0
        self.title = ""
        self.in_title = False
        #: cells of the table row being read, or None outside a row
        self.cells: list[str] | None = None
        #: the row being read is a definition list's term and description (dt, dd)
        self.term = False
        self.sup = 0

    def flush(self) -> None:
        text = "".join(self.buffer)
        if text.strip():
            self.parts.append((text, self.level))
        self.buffer, self.level = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
            self.in_title = tag == "head" and self.in_title
            return
        if tag == "title":
            self.in_title = True
        if tag == "sup":
            self.sup += 1
        if tag == "tr" or tag == "dt" and self.cells is None:
            self.flush()
            self.cells = []
            self.term = tag == "dt"
            return
        if self.cells is not None and tag in ("td", "th", "dt", "dd"):
            self.buffer = []
            return
        if self.cells is not None and (tag in _BLOCKS or tag == "br"):
            self.buffer.append(" ")  # a paragraph inside a cell stays in its cell
            return
        if tag in _HEADINGS or tag in _BLOCKS or tag == "br":
            self.flush()
        if tag in _HEADINGS:
            self.level = _HEADINGS[tag]
        classes = (dict(attrs).get("class") or "").split()
        for cls in classes:
            if cls in _TITLE_CLASSES:
                self.level = _TITLE_CLASSES[cls]

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag == "sup":
            self.sup = max(0, self.sup - 1)
        if self.cells is not None and tag in ("td", "th", "dt", "dd"):
            self.cells.append(" ".join("".join(self.buffer).split()))
            self.buffer = []
            if tag == "dd" and self.term:
                self._term_row()
            return
        if tag == "tr" and self.cells is not None:
            # one row, one line: "| 4A906 | Quantum computers | 34 or more qubits |",
            # as a Markdown pipe table writes it, so both read the same way
            self._row()
            return
        if tag == "dl" and self.cells is not None:  # a term left without a description
            self._term_row()
        if tag in _HEADINGS or tag in _BLOCKS:
            self.flush()

    def _term_row(self) -> None:
        """A term that is a code ("T-401", "ECCN 4A906") and its description: one row of two
        cells, as a table would set them; a term in words ("Quantum computers (ECCN 4A906)")
        is a title line over its description, each a block of its own."""
        term = self.cells[0] if self.cells else ""
        if len(term.split()) <= 2 and any(ch.isdigit() for ch in term):
            self._row()
            return
        self.parts.extend((cell, 0) for cell in self.cells if cell)
        self.cells, self.buffer, self.term = None, [], False

    def _row(self) -> None:
        if any(self.cells):
            self.parts.append(("| " + " | ".join(self.cells) + " |", 0))
        self.cells, self.buffer, self.term = None, [], False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if not self.skipping:
            if self.sup and re.fullmatch(r"\s*[\d−+-]+\s*", data):
                data = data.strip().translate(_SUPERSCRIPT)  # 10<sup>-4</sup> reads 10⁻⁴
            self.buffer.append(data)


def read_html(path: Path) -> SourceText:
    collector = _Collector()
    try:
        collector.feed(decode(path))
        collector.close()
    except (AssertionError, ValueError) as exc:  # malformed markup the parser gives up on
        raise ReaderError(f"{path}: cannot parse the HTML ({exc})") from exc
    collector.flush()
    parts = collector.parts
    if collector.title.strip() and not any(level == 1 for _t, level in parts):
        parts = [(collector.title, 1), *parts]
    text, headings = render(parts)
    if not text.strip():
        raise ReaderError(f"{path}: the page has no visible text")
    return SourceText(document_name(path), text, segment(text, headings), str(path))
