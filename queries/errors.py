"""The store's own errors, so callers never catch a backend's exception types."""

from __future__ import annotations


class StoreError(Exception):
    """Something went wrong in the store; ``status`` is the HTTP status to answer."""

    status = 500


class QueryError(StoreError):
    """The query or update text is not valid SPARQL, or a parameter is wrong."""

    status = 400


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened right now."""

    status = 503


class QueryTimeout(StoreError):
    """The query ran longer than the configured limit."""

    status = 503


class StoreMissing(StoreUnavailable):
    """A store folder opened for reading does not exist (a mistyped --store, say)."""
