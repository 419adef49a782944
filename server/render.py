"""One way to render: a view parses the request, calls one library function that
returns a dataclass, and hands it to ``render``, which answers as HTML for people or
as JSON, CSV or XLSX for programs (``format=``, ``Accept`` or a ``.json`` suffix).

So every page has a JSON twin, and a new page needs only its data function, a
template and a route. Analysis results (anything with a graph ``version`` and
``rows()``) are written by ``export_result``, so their JSON, CSV and XLSX state the
as-of date, the graph version and SHACL conformance, exactly as the CLI writes them.
Errors have one shape: ``{"ok": false, "error": "...", "status": N}`` for programs,
the error page for people.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from flask import Response, abort, current_app, render_template, request

from qharmony.queries.exports import MEDIA, export_result

from .security import content_disposition

#: media types a client may ask for in Accept, by our format name
ACCEPT = {"html": "text/html", **MEDIA}


def is_export(data: object) -> bool:
    """An analysis result: it knows the graph version it was computed on, and has rows."""
    return hasattr(data, "version") and callable(getattr(data, "rows", None))


def offered_formats(data: object) -> list[str]:
    """The formats a page can be had in: always HTML and JSON; CSV for tables and
    analysis results; XLSX for analysis results."""
    formats = ["html", "json"]
    if is_export(data) or callable(getattr(data, "to_csv", None)):
        formats.append("csv")
    if is_export(data):
        formats.append("xlsx")
    return formats


def requested_format(offered: Iterable[str] = ("html", "json"), default: str = "html") -> str:
    """``format=`` wins, then a ``.json`` suffix, then the Accept header."""
    offered = list(offered)
    given = request.args.get("format", "").strip().lower()
    if given:
        if given not in offered:
            abort(400, description=f"parameter 'format' must be {', '.join(offered)}, got {given!r}")
        return given
    if request.path.endswith(".json"):
        return "json"
    if default != "html":
        return default
    best = request.accept_mimetypes.best_match([ACCEPT[f] for f in offered if f in ACCEPT])
    return next((f for f in offered if ACCEPT.get(f) == best), default)


def wants_json() -> bool:
    """Whether this request is from a program that should get JSON (errors included)."""
    if request.path.startswith(("/api/", "/sparql")) or request.path.endswith(".json"):
        return True
    if request.args.get("format", "html").strip().lower() != "html":
        return True  # a format only programs ask for, known or not
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def to_json(data: object) -> object:
    """Plain JSON values: a result's own ``to_json`` where it has one, else its fields."""
    if hasattr(data, "to_json"):
        return data.to_json()
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {f.name: to_json(getattr(data, f.name)) for f in dataclasses.fields(data)}
    if isinstance(data, dict):
        return {k: to_json(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [to_json(v) for v in data]
    return data


def _filename(title: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in title.lower().replace(" ", "-"))


def render(
    data: object,
    template: str,
    *,
    title: str = "",
    default: str = "html",
    filename: str | None = None,
    **context: object,
) -> Response:
    """Answer with ``data`` in the format the request asks for.

    ``template`` gets ``data``, ``title`` and ``context``; the other formats get ``data``
    alone. ``default`` is the format when the request names none (an API route says
    json). ``filename`` names CSV and XLSX downloads (default: from the title).
    """
    fmt = requested_format(offered_formats(data), default)
    name = filename or _filename(title or template.removesuffix(".html"))
    if fmt == "html":
        response = Response(render_template(template, data=data, title=title, **context))
    elif is_export(data):
        disposition = "inline" if fmt == "json" else "attachment"
        response = Response(
            export_result(data, fmt, title),
            mimetype=MEDIA[fmt],
            headers={"Content-Disposition": content_disposition(f"{name}.{fmt}", disposition)},
        )
    elif fmt == "csv":
        response = Response(
            data.to_csv(), mimetype="text/csv", headers={"Content-Disposition": content_disposition(f"{name}.csv")}
        )
    else:
        response = current_app.json.response(to_json(data))
    response.headers["Vary"] = "Accept"
    return response


def render_error(message: str, status: int) -> tuple[Response, int]:
    """The one error shape: JSON for programs, the error page for people."""
    if wants_json():
        return current_app.json.response({"ok": False, "error": message, "status": status}), status
    return Response(render_template("error.html", message=message, status=status)), status
