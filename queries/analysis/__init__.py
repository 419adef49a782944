"""The harmonisation analysis, one concept per module, all read through named queries.

- ``regimes``: the entries in force per jurisdiction and technology on a date
- ``thresholds`` and ``bands``: entries' thresholds as boxes, and where two sides differ
- ``treatment``, ``commitments``: favourable treatment; what arrangements agreed
- ``version``, ``evidence``: what an answer relies on and the sentences behind it
- ``gap``, ``gap_kinds``, ``gaps``: the six gap kinds (one registered function each)
  and the comparison of two jurisdictions
- ``matrix``, ``treaty``, ``transfer``, ``changes``: the other answers built on them
- ``determine``: controlled / not_controlled / no_data / uncertain for a jurisdiction,
  a technology and a date, from ``facts`` (what the graph says of a jurisdiction),
  ``weigh`` (one entry on a date: state, flags, confidence), ``holdings`` (what the
  graph holds), ``kinds`` (kinds of measure) and ``vocabulary`` (accepted values);
  ``decided`` restricts regimes to the determinations for the analyses above

When an instrument is in force is decided once, in ``qharmony.queries.dates``.
"""
