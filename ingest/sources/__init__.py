"""Connectors to the official publishers (eCFR, Federal Register, legislation.gov.uk,
EUR-Lex): a sources file names what to follow, ``sync`` fetches what is new politely
into a cache on disk and builds it into the store beside what is there."""

from .errors import SourceError

__all__ = ["SourceError"]
