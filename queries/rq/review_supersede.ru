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
    FILTER(?earlier != ?decision && ?earlierAction != "flag")
    OPTIONAL { ?earlier qh:reviewStatus ?status }
  }
}
