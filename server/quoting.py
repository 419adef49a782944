"""How the command line cites a source sentence: quoted only when it is the official
text; a summary is said to be one, with the official instrument's URL."""

from __future__ import annotations


def quote_line(ev: dict) -> str:
    """A source sentence as the CLI prints it: quoted only when it is official text."""
    if ev.get("document_kind") == "OfficialText":
        return f'source (official text): {ev["document_title"]}: "{ev["sentence"][:200]}"'
    kind = "summary, our own words" if ev.get("document_kind") == "Summary" else "commentary"
    url = f" | official instrument: {ev['official_url']}" if ev.get("official_url") else ""
    return f"source ({kind}): {ev['document_title']}: {ev['sentence'][:200]}{url}"
