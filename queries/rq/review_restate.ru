# title: A corrected statement in place of the extracted one
# description: In the document's graph, the statement of the fact with this fingerprint says the corrected object (and predicate, when a date changes precision), and its evidence with it.
# param: fingerprint string -- the fact's fingerprint
# param: newPredicate iri -- the corrected predicate
# param: newObject -- the corrected object (an IRI or a typed literal)
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
DELETE { GRAPH ?g { ?s ?p ?o . ?evidence rdf:predicate ?p ; rdf:object ?o } }
INSERT { GRAPH ?g { ?s ?newPredicate ?newObject . ?evidence rdf:predicate ?newPredicate ; rdf:object ?newObject } }
WHERE {
  GRAPH ?g { ?evidence a qh:Evidence ; qh:fingerprint ?fingerprint ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
}
