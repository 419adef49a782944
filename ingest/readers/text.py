"""Plain text: headings are lines such as ``Article 3``, ``Section 2 - Title``,
``§ 740.24 ...``, an ECCN-style entry heading (``4A906 Quantum computers ...``: a
list code, then a capitalised word, where ``4A906 applies to`` is a note) and the
fixed section names of such an entry (``License Requirements``)."""

from __future__ import annotations

import re
from pathlib import Path

from .base import ReaderError, SourceText, decode, document_name, segment

HEADING = re.compile(
    r"^(?P<level>)(?P<title>(?:Article|Section|Part|Chapter|Annex|Schedule|§)\s+[\w.]+\b.*"
    r"|\d[A-E]\d{3}\s+[“\"'‘(]?[A-Z].*"
    r"|(?:License Requirements|List Based License Exceptions|License Exceptions|List of Items Controlled)\b.*)$"
)


def read_text(path: Path) -> SourceText:
    text = decode(path)
    if not text.strip():
        raise ReaderError(f"{path}: the file is empty")
    return SourceText(document_name(path), text, segment(text, HEADING), str(path))
