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


def make_pack(result, store: Store, title: str, question: str = "") -> bytes:
    """The ZIP of one analysis result."""
    return build_pack(result, store, title, question or title, render_memo, {"memo.css": memo_css()})
