"""Evidence packs for the pages and the CLI: the memo template rendered outside a
request (a CLI run has none), with its stylesheet, around ``queries.pack``."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from qharmony.queries.pack import Memo, build_pack
from qharmony.queries.store import Store

MEDIA = "application/zip"
_ENV = Environment(loader=PackageLoader("qharmony.server", "templates"), autoescape=select_autoescape(["html"]))


def render_memo(memo: Memo) -> str:
    return _ENV.get_template("memo.html").render(memo=memo)


def memo_css() -> bytes:
    return resources.files("qharmony.server.static").joinpath("memo.css").read_bytes()


def question_of(result) -> str:
    """The question an answer answers, in words, for the memo's first line."""
    as_of = getattr(result, "as_of", "")
    if hasattr(result, "gaps") and hasattr(result, "a"):
        return f"Where do the controls of {result.a} and {result.b} differ as of {as_of}?"
    if hasattr(result, "findings") and hasattr(result, "licence"):
        return f"Which entries does this item meet going from {result.origin} to {result.destination} on {as_of}?"
    if hasattr(result, "determinations"):
        return f"What does {result.jurisdiction} control as of {as_of}, and how sure is the graph?"
    return getattr(result, "question", "")


def make_pack(result, store: Store, title: str, question: str = "") -> bytes:
    """The ZIP of one analysis result."""
    question = question or question_of(result) or title
    return build_pack(result, store, title, question, render_memo, {"memo.css": memo_css()})
