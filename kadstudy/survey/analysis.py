"""The whole scale analysis in one call, shared by the CLI and the ``survey`` analysis kind."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.survey.aggregate import calibrate_forums, forum_table, icc_table
from kadstudy.survey.factors import CFAResult, EFAResult, adequacy, cfa, correlation, efa, parallel_analysis
from kadstudy.survey.instrument import Instrument
from kadstudy.survey.scales import item_analysis, reliability, reverse_score, scale_scores


@dataclass(repr=False)
class SurveyAnalysis(ResultMixin):
    """Every table of a scale analysis of one responses frame."""

    instrument: Instrument
    scored: pd.DataFrame          # reverse-scored items
    scores: pd.DataFrame          # respondent x scale/composite
    reliability: pd.DataFrame
    items: pd.DataFrame
    adequacy: dict[str, float]
    parallel: pd.DataFrame
    n_factors_suggested: int
    efa: EFAResult | None
    cfa: CFAResult | None
    cfa_note: str
    factor_note: str              # why the factor analysis was skipped, or ""
    forums: pd.DataFrame          # long: forum x score summaries
    icc: pd.DataFrame
    memberships: pd.DataFrame     # forum x set

    def to_frame(self) -> pd.DataFrame:
        """The reliability of each scale and composite (alpha with its interval, omega)."""
        return self.reliability.copy()

    def summary(self) -> str:
        """Readable text: respondents, reliability, the factor analyses and forum memberships.

        Returns
        -------
        str
            Text ending with a newline.
        """
        from kadstudy.results import text_frame

        parts = [f"Scale analysis of {len(self.scored)} respondents, {len(self.memberships)} forums "
                 "with memberships", "", "Reliability:", text_frame(self.reliability).to_string(index=False)]
        for res, note in ((self.efa, self.factor_note), (self.cfa, self.cfa_note)):
            if res is not None:
                parts += ["", res._title()]
            elif note:
                parts += ["", note]
        return "\n".join(parts) + "\n"


def analyse(frame: pd.DataFrame, instrument: Instrument, *, n_factors: int | None = None,
            rotation: str = "oblimin", pa_iterations: int = 200, seed: int = 1,
            min_respondents: int | None = None, keep_thin: bool = False,
            with_factors: bool = True) -> SurveyAnalysis:
    """Reliability, item analysis, parallel analysis, EFA (``n_factors`` or the number parallel
    analysis suggests), CFA of the intended scales, forum aggregation and calibrated memberships."""
    scored = reverse_score(frame, instrument)
    scores = scale_scores(scored, instrument)
    rel = reliability(scored, instrument)
    items = item_analysis(scored, instrument)
    efa_result = cfa_result = None
    note = "not run"
    factor_note = "" if with_factors else "not requested"
    adeq: dict[str, float] = {}
    parallel = pd.DataFrame()
    suggested = 0
    n_complete = int(scored.notna().all(axis=1).sum())
    if with_factors and n_complete <= 2 * len(instrument.items):
        factor_note = (f"only {n_complete} respondents answered every item; factor analysis of "
                       f"{len(instrument.items)} items needs more than {2 * len(instrument.items)}")
    if not factor_note:
        corr, n = correlation(scored)
        adeq = adequacy(corr, n)
        parallel, suggested = parallel_analysis(corr, n, n_iter=pa_iterations, seed=seed)
        k = n_factors or max(suggested, 1)
        item_scale = {i: it.scale for i, it in instrument.items.items()}
        efa_result = efa(scored, k, rotation=rotation, item_scale=item_scale, seed=seed)
        try:
            cfa_result = cfa(scored, instrument)
            note = "semopy, maximum likelihood, complete rows"
        except ImportError:
            note = "skipped: semopy is not installed (pip install semopy)"
        except Exception as exc:   # semopy's optimiser or algebra failing on awkward data
            note = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    table = forum_table(scored, scores, frame["forum_id"], instrument, min_respondents)
    return SurveyAnalysis(
        instrument=instrument, scored=scored, scores=scores, reliability=rel, items=items,
        adequacy=adeq, parallel=parallel, n_factors_suggested=suggested, efa=efa_result,
        cfa=cfa_result, cfa_note=note, factor_note=factor_note, forums=table,
        icc=icc_table(scores, frame["forum_id"], instrument),
        memberships=calibrate_forums(table, instrument, keep_thin=keep_thin))
