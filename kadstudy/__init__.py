"""kadstudy: comparative case analysis of inter-regional cooperation (KAD).

Coded case datasets with provenance (:mod:`kadstudy.data`), a set-theoretic
QCA core (:mod:`kadstudy.sets`), models (:mod:`kadstudy.models`) and survey
scaling (:mod:`kadstudy.survey`), driven by a make-like CLI.
"""

__version__ = "0.1.0"
