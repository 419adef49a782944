"""``qharmony review ...`` and ``qharmony user add``: decisions in bulk, moved
between installations as TriG or JSON, and reviewers' accounts. Decisions are saved
in the review file at once and applied to the graph by the next ``qharmony build``."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click

from qharmony.queries.review import (
    decision_quads,
    decisions_from_json,
    decisions_from_trig,
    decisions_to_json,
    stored_decisions,
)
from qharmony.queries.serialize import convert_dataset, ntriples

from .accounts import ROLES, add_user
from .cli_settings import open_cli_store, settings, store_option
from .ledger import add_decisions, all_decisions, review_file


def _ledger(store: str | None) -> Path:
    return review_file({**settings(), **({"STORE": store} if store else {})})


def ledger_decisions(store_location: str | None) -> list:
    """The decisions in the review file, for a build to apply."""
    return all_decisions(_ledger(store_location))


def known_decisions(store_location: str | None) -> list:
    """The review file's decisions and those in the store's audit graph, once each."""
    target = open_cli_store(store_location, read_only=True)
    try:
        known = {d.id: d for d in [*stored_decisions(target), *all_decisions(_ledger(store_location))]}
    finally:
        target.close()
    return list(known.values())


@click.group()
def review() -> None:
    """Review extracted facts: list the queue, accept, reject, correct, export, import."""


@review.command("list")
@store_option
@click.option("--show", type=click.Choice(["open", "decided", "all"]), default="open", show_default=True)
@click.option("--document", default="", help="Only facts read from this document (its slug).")
@click.option("--jurisdiction", default="", help="Only facts about this jurisdiction (ISO code, or EU).")
@click.option("--relation", default="", help="Only this relation, e.g. qh:hasThreshold.")
@click.option("--max-confidence", type=float, default=None, help="Only facts at or below this confidence.")
@click.option("--decisions", "show_decisions", is_flag=True, help="List the decisions and what the last build did.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of lines.")
def list_(store, show, document, jurisdiction, relation, max_confidence, show_decisions, as_json) -> None:
    """The facts waiting for review (or decided ones), or with --decisions every decision."""
    decisions = known_decisions(store)
    if show_decisions:
        target = open_cli_store(store, read_only=True)
        from qharmony.queries.review import decision_status

        status = decision_status(target)
        target.close()
        rows = [{**d.to_json(), "status": status.get(d.id, "not yet built")} for d in decisions]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        for r in [] if as_json else rows:
            line = f"{r['at']}  {r['action']:<7} {r['fingerprint']}  {r['status']:<10}"
            click.echo(f"{line} {r['reviewer']}: {r['reason']}")
        return
    target = open_cli_store(store, read_only=True)
    from qharmony.queries.review_queue import Filters, review_queue  # not on a build's path

    queue = review_queue(target, decisions, Filters(document, jurisdiction, relation, max_confidence, show))
    target.close()
    if as_json:
        click.echo(json.dumps([f.to_json() for f in queue.facts], indent=2, ensure_ascii=False))
        return
    for f in queue.facts:
        mark = f.status or ("held" if f.held else "flagged")
        click.echo(f"{f.fingerprint}  {f.confidence:.2f}  {mark:<7} {f.statement}  [{f.document.rsplit('/', 1)[-1]}]")
    click.echo(f"{len(queue.facts)} facts", err=True)


def _decide(store, fingerprints, action, reviewer, reason, value=None) -> None:
    target = open_cli_store(store, read_only=True)
    try:
        from qharmony.queries.review_queue import make_decision

        made = [make_decision(target, fp, action, reviewer, reason, value) for fp in fingerprints]
    finally:
        target.close()
    add_decisions(_ledger(store), made)
    for d in made:
        click.echo(f"{action}: {d.fingerprint}  {d.statement}")
    click.echo(f"{len(made)} decisions recorded; 'qharmony build' applies them", err=True)


_reason = click.option("--reason", required=True, help="Why: it is kept in the audit graph.")
_reviewer = click.option("--reviewer", default=None, help="Who decides [default: the login name].")


@review.command()
@click.argument("fingerprints", nargs=-1, required=True)
@_reason
@_reviewer
@store_option
def accept(fingerprints, reason, reviewer, store) -> None:
    """Accept facts: they are asserted whatever their confidence."""
    _decide(store, fingerprints, "accept", reviewer or getpass.getuser(), reason)


@review.command()
@click.argument("fingerprints", nargs=-1, required=True)
@_reason
@_reviewer
@store_option
def reject(fingerprints, reason, reviewer, store) -> None:
    """Reject facts: they are never asserted."""
    _decide(store, fingerprints, "reject", reviewer or getpass.getuser(), reason)


@review.command()
@click.argument("fingerprint")
@click.option("--op", default=None, help="A threshold's comparator: < <= > >= =.")
@click.option("--value", default=None, help="A threshold's value.")
@click.option("--unit", default=None, help="A threshold's unit, as extraction spells it (e.g. count, mK, uW).")
@click.option("--jurisdiction", default=None, help="A jurisdiction's ISO code, or EU.")
@click.option("--date", default=None, help="A date, YYYY-MM-DD or YYYY-MM.")
@click.option("--precision", default=None, type=click.Choice(["day", "month"]), help="The date's precision.")
@_reason
@_reviewer
@store_option
def correct(fingerprint, op, value, unit, jurisdiction, date, precision, reason, reviewer, store) -> None:
    """Correct a fact: the new value replaces the extracted one in every build."""
    given = {"op": op, "value": value, "unit": unit, "jurisdiction": jurisdiction, "date": date}
    given["precision"] = precision
    _decide(store, [fingerprint], "correct", reviewer or getpass.getuser(), reason, given)


@review.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "json"]), default="trig", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="File to write [default: stdout].")
@store_option
def export(fmt, output, store) -> None:
    """Every decision, as TriG (the audit graph) or JSON, for another installation."""
    decisions = known_decisions(store)
    if fmt == "json":
        text = decisions_to_json(decisions)
    else:
        text = convert_dataset(ntriples(decision_quads(decisions)).encode(), "trig").decode("utf-8")
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(decisions)} decisions written to {output}", err=True)
    else:
        click.echo(text)


@review.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
def import_(path, store) -> None:
    """Add decisions exported from another installation (TriG, N-Quads or JSON)."""
    data = path.read_bytes()
    if path.suffix.lower() == ".json":
        decisions = decisions_from_json(data.decode("utf-8"), str(path))
    else:
        decisions = decisions_from_trig(data, str(path))
    added = add_decisions(_ledger(store), decisions)
    known = len(decisions) - added
    click.echo(f"{added} new decisions from {path} ({known} already known); 'qharmony build' applies them")


@click.group()
def user() -> None:
    """Reviewers' accounts (kept in the review file, not in the graph)."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="reviewer", show_default=True)
@click.password_option(help="The password (asked for when not given).")
@store_option
def user_add(name, role, password, store) -> None:
    """Add a reviewer, or set a new password for one."""
    account = add_user(_ledger(store), name, password, role)
    click.echo(f"{account.role} {account.name} can now sign in at /review/login")


COMMANDS = (review, user)
