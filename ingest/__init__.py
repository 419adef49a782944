"""From sources to triples: readers, segmentation, the spaCy pipeline, linking,
mapping to RDF and the build that loads it. Imports ``ontology`` and ``queries``.
"""
