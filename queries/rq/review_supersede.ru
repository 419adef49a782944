# title: Earlier decisions superseded
# description: The decisions on this fact before the new one (flags aside) are marked superseded in the audit graph.
# param: fingerprint string -- the fact's fingerprint
# param: decision iri -- the new decision's IRI
PREFIX qh: <https://w3id.org/qharmony/ontology#>
DELETE { GRAPH <https://w3id.org/qharmony/graph/review> { ?earlier qh:reviewStatus ?status } }
INSERT { GRAPH <https://w3id.org/qharmony/graph/review> { ?earlier qh:reviewStatus "superseded" } }
WHERE {
  GRAPH <https://w3id.org/qharmony/graph/review> {
    ?earlier qh:fingerprint ?fingerprint ; qh:reviewAction ?earlierAction .
    OPTIONAL { ?earlier qh:reviewStatus ?status }
  }
  # here, not inside GRAPH: a filter sees only its own group, and ?decision is bound out here
  FILTER(?earlier != ?decision && ?earlierAction != "flag")
}
