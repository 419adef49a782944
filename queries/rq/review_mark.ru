# title: A decision marked on its fact
# description: The evidence of the fact with this fingerprint takes the decision (accept, reject, correct) and is no longer held; its statement is asserted in the document's graph unless the decision rejects it, as a build would map it.
# param: fingerprint string -- the fact's fingerprint
# param: decision iri -- the decision's IRI
# param: action string -- accept, reject or correct
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
DELETE { GRAPH ?g { ?evidence qh:heldForReview ?held ; qh:reviewDecision ?was ; qh:reviewAction ?wasAction . ?s ?p ?o } }
INSERT { GRAPH ?g { ?evidence qh:reviewDecision ?decision ; qh:reviewAction ?action . ?s ?p ?kept } }
WHERE {
  GRAPH ?g {
    ?evidence a qh:Evidence ; qh:fingerprint ?fingerprint ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?evidence qh:heldForReview ?held }
    OPTIONAL { ?evidence qh:reviewDecision ?was }
    OPTIONAL { ?evidence qh:reviewAction ?wasAction }
  }
  # a rejected statement is not asserted: ?kept stays unbound (?unbound is never bound)
  BIND(IF(?action = "reject", ?unbound, ?o) AS ?kept)
}
