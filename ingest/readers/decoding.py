"""From a file's bytes to its text, or a ReaderError that names the file and says
why not: too large, not text (a binary file, random bytes under a text name), or in
no encoding we can tell. Every reader of a text format starts here, so one bad file
in a batch is named and skipped while the rest build.

What decodes: UTF-8 (with or without a BOM); UTF-16 with a BOM, or without one when
the zero bytes say which byte order it is; else Windows-1252 (older Windows text).
What is refused: a file over MAX_FILE_BYTES; bytes that decode in none of these; a
decoded text with more than MAX_CONTROL_SHARE of control or replacement characters.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .base import ReaderError

#: Largest file a build reads (bytes). Extraction runs at some thousands of words a
#: second, so a larger text would hold a build for many minutes; split it first.
MAX_FILE_BYTES = 10_000_000
#: Most control characters (other than tab, line and page breaks) and U+FFFD a text
#: may hold, as a share of its characters; random bytes hold about a tenth.
MAX_CONTROL_SHARE = 0.005
_SAMPLE = 65_536
_LAYOUT = set("\t\n\r\f\v")


def _utf16_order(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the zero bytes of a BOM-less sample sit on one
    side of each pair, as they do in UTF-16 text that is mostly Latin script."""
    sample = raw[: _SAMPLE - _SAMPLE % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 0.3 * pairs and even < 0.02 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.02 * pairs:
        return "utf-16-be"
    return None


def _as_text(raw: bytes, path: Path) -> tuple[str, str]:
    """The decoded text and the name of its encoding, or a ReaderError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        attempts = ["utf-16"]
    elif b"\x00" in raw[:_SAMPLE]:
        order = _utf16_order(raw)
        if order is None:
            raise ReaderError(f"{path}: looks like a binary file, not text (it holds zero bytes)")
        attempts = [order]
    else:
        attempts = ["utf-8-sig", "cp1252"]
    for encoding in attempts:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            last = exc
    where = f"byte {last.start:,}"
    if attempts == ["utf-8-sig", "cp1252"]:
        raise ReaderError(
            f"{path}: cannot decode the text: it is neither UTF-8 nor Windows-1252 ({where}); save it as UTF-8"
        )
    raise ReaderError(f"{path}: cannot decode the text as {attempts[0].upper()} ({where}); save it as UTF-8")


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (c not in _LAYOUT and unicodedata.category(c) == "Cc") or c == "\ufffd")
    return bad / len(sample)


def check_size(path: Path) -> None:
    """A ReaderError naming a file that is missing, unreadable or over MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise ReaderError(
            f"{path}: {size:,} bytes is more than the {MAX_FILE_BYTES:,} a document may have; "
            "split it into smaller files"
        )


def decode_file(path: Path) -> str:
    """The text of the file at ``path``, or a ReaderError naming it and the reason."""
    check_size(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    text, encoding = _as_text(raw, path)
    share = _control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise ReaderError(
            f"{path}: does not look like text ({share:.0%} control characters when read as "
            f"{encoding.upper()}); is it a binary file?"
        )
    return text
