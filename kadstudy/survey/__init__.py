"""Survey of trust and social capital among the officials of KAD member governments.

The statistical core works on pandas/numpy objects and never touches files::

    from kadstudy.survey import io, reverse_score, scale_scores, reliability, forum_table
    inst = io.read_instrument("datasets/survey/instrument.yaml")
    forums = io.read_forums("datasets/kad_forums/forums.csv")
    resp = io.read_responses("datasets/survey/responses_SYNTHETIC.csv", inst, list(forums.index))
    scored = reverse_score(resp.frame, inst)            # reverse-keyed items recoded
    scores = scale_scores(scored, inst)                 # respondent x scale (+ composites)
    reliability(scored, inst)                           # alpha [CI], omega, mean r per scale
    table = forum_table(scored, scores, resp.frame["forum_id"], inst)   # forum x scale summaries

Modules: ``instrument`` (the instrument as data), ``io`` (reading and checking files),
``scales`` (scoring, reliability), ``factors`` (parallel analysis, EFA, CFA), ``aggregate``
(forums, rwg, ICC, calibration), ``synthetic`` (SYNTHETIC data from a planted model).
"""

from kadstudy.survey.aggregate import (
    calibrate_forums,
    forum_means,
    forum_table,
    icc_oneway,
    icc_table,
    join_conditions,
    rwg_j,
)
from kadstudy.survey.factors import adequacy, cfa, correlation, efa, parallel_analysis
from kadstudy.survey.instrument import Instrument, parse_instrument
from kadstudy.survey.scales import (
    cronbach_alpha,
    item_analysis,
    mcdonald_omega,
    reliability,
    reverse_score,
    scale_scores,
)

__all__ = [
    "Instrument",
    "adequacy",
    "calibrate_forums",
    "cfa",
    "correlation",
    "cronbach_alpha",
    "efa",
    "forum_means",
    "forum_table",
    "icc_oneway",
    "icc_table",
    "item_analysis",
    "join_conditions",
    "mcdonald_omega",
    "parallel_analysis",
    "parse_instrument",
    "reliability",
    "reverse_score",
    "rwg_j",
    "scale_scores",
]
