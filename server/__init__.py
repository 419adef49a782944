"""The Flask explorer and the ``qharmony`` command line. Imports ``ontology`` and
``queries``; only ``cli.py``, the composition root, also imports ``ingest``."""
