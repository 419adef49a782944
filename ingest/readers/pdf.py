"""PDF through pypdf: the text layer of each page, segmented like plain text."""

from __future__ import annotations

from pathlib import Path

from .base import ReaderError, SourceText, document_name, segment
from .text import HEADING


def read_pdf(path: Path) -> SourceText:
    from pypdf import PdfReader

    from .decoding import check_size

    check_size(path)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ReaderError(f"{path}: the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReaderError:
        raise
    except Exception as exc:  # pypdf on a damaged file raises many kinds; all are the file's
        raise ReaderError(f"{path}: cannot read the PDF ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise ReaderError(f"{path}: the PDF has no text layer (scanned pages need OCR first)")
    text += "\n"
    return SourceText(document_name(path), text, segment(text, HEADING), str(path))
