# title: A corrected threshold
# description: In the document's graph, the threshold the fact with this fingerprint points at takes the corrected comparator, value, unit and label.
# param: fingerprint string -- the fact's fingerprint
# param: comparator string -- the corrected comparator
# param: value -- the corrected value (xsd:double, in the normalised unit)
# param: unit iri -- the QUDT unit
# param: label -- the threshold's new label
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE { GRAPH ?g { ?t qh:comparator ?oldComparator ; qh:value ?oldValue ; qh:unit ?oldUnit ; rdfs:label ?oldLabel } }
INSERT { GRAPH ?g { ?t qh:comparator ?comparator ; qh:value ?value ; qh:unit ?unit ; rdfs:label ?label } }
WHERE {
  GRAPH ?g {
    ?evidence a qh:Evidence ; qh:fingerprint ?fingerprint ; rdf:object ?t .
    ?t qh:comparator ?oldComparator ; qh:value ?oldValue ; qh:unit ?oldUnit .
    OPTIONAL { ?t rdfs:label ?oldLabel }
  }
}
