"""The vocabulary and its rules: OWL ontology, SHACL shapes, reasoning and validation.

Imports nothing else of qharmony, and never Flask or spaCy.
"""
