"""Our own small result types, shaped like SPARQL 1.1 JSON results.

No pyoxigraph, rdflib or HTTP-client type leaks past a backend: callers get these.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from qharmony.ontology.namespaces import TRUNCATED as TRUNCATED_LINK

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _escape_literal(value: str) -> str:
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    return out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


#: characters an IRI may not hold (one search, not a scan per character: a build makes
#: and writes millions of IRIs)
_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\ \n]')


@dataclass(frozen=True)
class Term:
    """An RDF term: ``type`` is uri, literal or bnode, as in SPARQL JSON."""

    type: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        if _NOT_IN_IRI.search(value):
            raise ValueError(f"not a valid IRI: {value!r}")
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        if datatype == XSD_STRING:
            datatype = None
        return cls("literal", value, datatype, lang)

    @classmethod
    def from_json(cls, data: dict) -> Term:
        kind = data["type"]
        if kind == "typed-literal":  # SPARQL XML-era JSON spelling
            kind = "literal"
        return (
            cls.literal(data["value"], data.get("datatype"), data.get("xml:lang"))
            if (kind == "literal")
            else cls(kind, data["value"])
        )

    def to_json(self) -> dict:
        data: dict = {"type": self.type, "value": self.value}
        if self.lang:
            data["xml:lang"] = self.lang
        elif self.datatype:
            data["datatype"] = self.datatype
        return data

    def n3(self) -> str:
        """N-Triples form, safe to place in a query or a dump."""
        if self.type == "uri":
            return f"<{Term.iri(self.value).value}>"
        if self.type == "bnode":
            return f"_:{self.value}"
        text = f'"{_escape_literal(self.value)}"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype not in (XSD_STRING, RDF_LANG_STRING):
            return f"{text}^^<{self.datatype}>"
        return text

    def __str__(self) -> str:
        return self.value


Triple = tuple[Term, Term, Term]


class Triples(list):
    """Triples of a CONSTRUCT or DESCRIBE; ``truncated`` says a cap cut the answer."""

    truncated: bool = False


@dataclass
class SelectResult:
    """Rows of a SELECT query; ``truncated`` says the row cap cut the answer."""

    variables: list[str]
    rows: list[dict[str, Term]] = field(default_factory=list)
    truncated: bool = False

    def values(self, var: str) -> list[str]:
        return [row[var].value for row in self.rows if var in row]

    def to_json(self) -> dict:
        """SPARQL JSON results; a cut answer says so in the body too, with
        ``"truncated": true`` and a ``head.link`` to the explanation."""
        data: dict = {
            "head": {"vars": list(self.variables)},
            "results": {"bindings": [{k: t.to_json() for k, t in row.items()} for row in self.rows]},
        }
        if self.truncated:
            data["head"]["link"] = [TRUNCATED_LINK]
            data["truncated"] = True
            data["rows"] = len(self.rows)
        return data

    def to_xml(self) -> str:
        """SPARQL Query Results XML Format."""
        from xml.sax.saxutils import escape, quoteattr

        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in self.variables]
        if self.truncated:
            out.append(f"<link href={quoteattr(TRUNCATED_LINK)}/>")
        out += ["</head>", "<results>"]
        for row in self.rows:
            out.append("<result>")
            for name, term in row.items():
                if term.type == "uri":
                    value = f"<uri>{escape(term.value)}</uri>"
                elif term.type == "bnode":
                    value = f"<bnode>{escape(term.value)}</bnode>"
                else:
                    attrs = (
                        f" xml:lang={quoteattr(term.lang)}"
                        if term.lang
                        else f" datatype={quoteattr(term.datatype)}"
                        if term.datatype
                        else ""
                    )
                    value = f"<literal{attrs}>{escape(term.value)}</literal>"
                out.append(f"<binding name={quoteattr(name)}>{value}</binding>")
            out.append("</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out) + "\n"

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV: plain values, CRLF line ends."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([row[v].value if v in row else "" for v in self.variables])
        return buf.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 TSV: terms in their N-Triples form."""
        lines = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join(row[v].n3() if v in row else "" for v in self.variables))
        return "\n".join(lines) + "\n"


QueryResult = SelectResult | bool | list[Triple]


def in_total_order(rows: list[dict[str, Term]]) -> list[dict[str, Term]]:
    """Rows sorted by all their values, so code that keeps the first of equal rows
    (an instrument with two labels) keeps the same one whichever engine answered:
    SPARQL leaves the order of ties, and of rows without ORDER BY, to the engine."""

    def key(row: dict[str, Term]) -> list:
        return sorted((k, v.type, v.value, v.datatype or "", v.lang or "") for k, v in row.items())

    return sorted(rows, key=key)


def cell(row: dict[str, Term], key: str, default: str = "") -> str:
    """The value of an optional column of a row, or ``default`` when it is unbound."""
    return row[key].value if key in row else default


def select_from_json(data: dict, limit: int | None = None) -> SelectResult:
    """Read SPARQL JSON results, keeping at most ``limit`` rows."""
    variables = list(data.get("head", {}).get("vars", []))
    rows: list[dict[str, Term]] = []
    truncated = False
    for binding in data.get("results", {}).get("bindings", []):
        if limit is not None and len(rows) >= limit:
            truncated = True
            break
        rows.append({k: Term.from_json(v) for k, v in binding.items()})
    return SelectResult(variables, rows, truncated)


def boolean_xml(value: bool) -> str:
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
    )
