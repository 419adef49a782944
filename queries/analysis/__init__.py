"""The harmonisation analysis, one concept per module, all read through named queries.

- ``regimes``: the entries in force per jurisdiction and technology on a date
- ``thresholds`` and ``bands``: entries' thresholds as boxes, and where two sides differ
- ``treatment``, ``commitments``: favourable treatment; what arrangements agreed
- ``version``, ``evidence``: what an answer relies on and the sentences behind it
- ``gap``, ``gap_kinds``, ``gaps``: the six gap kinds (one registered function each)
  and the comparison of two jurisdictions
- ``matrix``, ``treaty``, ``transfer``, ``changes``: the other answers built on them

When an instrument is in force is decided once, in ``qharmony.queries.dates``.
"""
