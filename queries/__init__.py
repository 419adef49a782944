"""Everything that speaks SPARQL: the store protocol and its backends, the named
queries and their catalog, and the analyses built on them. Imports only ``ontology``.
"""
