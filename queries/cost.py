"""A guess, made before a query is dispatched, at whether it may be expensive.

Why: the worker pool keeps a few warm workers for cheap queries, so that a cheap
request is answered at once while expensive ones run. Time tells for certain (a
query that runs long is capped and stopped, whatever this guess said), but by then
an expensive query may hold the worker a cheap one needed. So a query whose text
shows the shapes that make evaluation grow without bound is sent to a worker of its
own, at lower CPU priority, from the start:

- a group whose triple patterns fall apart into parts that share no variable (a
  cartesian product: ``{ ?a ?p ?b . ?c ?q ?d }``);
- a property path with ``*`` or ``+`` (a closure over the graph);
- a sub-SELECT.

A wrong guess costs little either way: an expensive query taken for cheap is still
stopped by the limits; a cheap one taken for expensive waits for a worker to start.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .screen import CACHED_CHARS, query_tokens

#: Keywords that start a part of a group which is not a triple pattern.
_NOT_TRIPLES = {"FILTER", "OPTIONAL", "MINUS", "BIND", "VALUES", "GRAPH", "SERVICE", "UNION", "NOT", "EXISTS"}
#: After these a ``{ }`` group is no join partner of its neighbours (or no pattern at all).
_APART = {"OPTIONAL", "MINUS", "EXISTS", "CONSTRUCT", "FILTER", "NOT"}


@dataclass
class _Group:
    """One ``{ }`` group being read: its parts (each a set of variables) so far."""

    apart: bool = False  # a CONSTRUCT template, OPTIONAL, MINUS, EXISTS or VALUES data
    parts: list[set[str]] = field(default_factory=list)
    current: set[str] = field(default_factory=set)
    in_triple: bool = False
    keyword: str = ""  # the keyword the current part started with
    brackets: int = 0  # ( and [ open inside the current part
    union_next: bool = False

    def end_part(self) -> None:
        if self.current and self.keyword != "FILTER":
            self.parts.append(self.current)
        self.current, self.in_triple, self.keyword = set(), False, ""

    def disconnected(self) -> bool:
        """True when the parts with variables form two or more groups sharing none."""
        components: list[set[str]] = []
        for part in self.parts:
            touching = [c for c in components if c & part]
            merged = set(part).union(*touching)
            components = [c for c in components if not any(c is t for t in touching)] + [merged]
        return len(components) > 1


def looks_expensive(query: str) -> bool:
    """True when the query text holds a cartesian product, a path closure or a
    sub-SELECT (see the module docstring); a guess, never a refusal."""
    return (_judged if len(query) <= CACHED_CHARS else _judge)(query)


def _judge(query: str) -> bool:
    tokens = list(query_tokens(query))
    if sum(1 for kind, text in tokens if kind == "name" and text.upper() == "SELECT") > 1:
        return True
    stack: list[_Group] = []
    previous = ("", "")
    for kind, text in tokens:
        word = text.upper() if kind == "name" else ""
        if kind == "op" and text in "*+" and _ends_path_step(previous):
            return True
        if kind == "open" and text == "{":
            parent = stack[-1] if stack else None
            keyword = previous[1].upper() if previous[0] == "name" else ""
            apart = keyword in _APART or (parent is not None and parent.keyword == "VALUES")
            if parent is not None and parent.in_triple and parent.keyword != "VALUES":
                parent.end_part()
            stack.append(_Group(apart=apart, union_next=keyword == "UNION"))
        elif kind == "close" and text == "}" and stack:
            group = stack.pop()
            group.end_part()
            if not group.apart and group.disconnected():
                return True
            if stack:
                _nested_group_closed(stack[-1], group)
        elif stack:
            _read_token(stack[-1], kind, text, word)
        previous = (kind, text)
    return False


_judged = functools.lru_cache(maxsize=512)(_judge)


def _nested_group_closed(parent: _Group, group: _Group) -> None:
    """A nested group is one part of its parent: the variables it binds."""
    if parent.brackets:  # EXISTS { } inside a FILTER's brackets: the FILTER goes on
        return
    if parent.keyword == "VALUES":  # the data block ends the VALUES part
        parent.end_part()
        return
    bound = set() if group.apart else set().union(*group.parts)
    if parent.keyword == "GRAPH":
        bound |= parent.current
    parent.current, parent.keyword, parent.in_triple = set(), "", False
    if group.union_next and parent.parts:
        parent.parts[-1] |= bound  # { A } UNION { B }: one part
    elif bound:
        parent.parts.append(bound)


def _read_token(group: _Group, kind: str, text: str, word: str) -> None:
    if group.apart:
        return
    if kind == "open":
        group.brackets += 1
    elif kind == "close":
        group.brackets = max(0, group.brackets - 1)
        if group.brackets == 0 and group.keyword in ("FILTER", "BIND"):
            group.end_part()
        return
    if group.brackets == 0 and word in _NOT_TRIPLES:
        if word != "EXISTS" or group.keyword != "FILTER":
            group.end_part()
            group.keyword = word
        return
    if group.brackets == 0 and kind == "other" and text == ".":
        group.end_part()
        return
    if kind == "var":
        group.current.add(text[1:])
    if not group.keyword:
        group.in_triple = True


def _ends_path_step(previous: tuple[str, str]) -> bool:
    """``*`` or ``+`` after an IRI, a prefixed name, ``a`` or ``)`` is a path closure
    (after ``SELECT`` or ``(`` it is a projection or ``COUNT(*)``)."""
    kind, text = previous
    if kind == "iri" or (kind == "close" and text == ")"):
        return True
    return kind == "name" and (":" in text or text == "a")
