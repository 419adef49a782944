"""The one error a source or a publisher raises: its message is for the user."""


class SourceError(ValueError):
    """A sources file, a source or a publisher's answer we cannot use; the message
    names the file, the source or the URL and what was wrong."""
