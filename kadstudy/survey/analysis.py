"""The whole scale analysis in one call, shared by the CLI and the ``survey`` analysis kind.

An analysis of SYNTHETIC responses (:func:`kadstudy.survey.io.provenance`: the file's name or first
line says so, or a column name does) says SYNTHETIC in its summary, its notebook display and the
``attrs`` of its table, so a result shown in a notebook cannot pass for data about real forums.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.survey.aggregate import calibrate_forums, forum_table, icc_table
from kadstudy.survey.factors import CFAResult, EFAResult, adequacy, cfa, correlation, efa, parallel_analysis
from kadstudy.survey.instrument import Instrument
from kadstudy.survey.io import SYNTHETIC, Responses, provenance
from kadstudy.survey.scales import item_analysis, reliability, reverse_score, scale_scores


@dataclass(repr=False)
class SurveyAnalysis(ResultMixin):
    """Every table of a scale analysis of one responses frame (made by :func:`analyse`).

    ``synthetic`` is why the responses are SYNTHETIC (empty for real responses); when set,
    :meth:`summary` starts with ``SYNTHETIC DATA`` and the notebook display (``_repr_html_``)
    carries it in its title.
    """

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
    synthetic: str = ""           # why the responses are SYNTHETIC, or "" for real responses

    def to_frame(self) -> pd.DataFrame:
        """The reliability of each scale and composite (alpha with its interval, omega).

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`reliability`; for synthetic responses ``attrs["synthetic"]`` says why.
        """
        out = self.reliability.copy()
        if self.synthetic:
            out.attrs["synthetic"] = self.synthetic
        return out

    def _title(self) -> str:
        head = (f"Scale analysis of {len(self.scored)} respondents, {len(self.memberships)} forums "
                "with memberships")
        return f"{SYNTHETIC} DATA: {head}" if self.synthetic else head

    def summary(self) -> str:
        """Readable text: respondents, reliability, the factor analyses and forum memberships.

        Returns
        -------
        str
            Text ending with a newline.
        """
        from kadstudy.results import text_frame

        parts = [self._title()]
        if self.synthetic:
            parts.append(f"The responses are {SYNTHETIC} ({self.synthetic}): invented respondents, "
                         "not data about real officials or forums.")
        parts += ["", "Reliability:", text_frame(self.reliability).to_string(index=False)]
        for res, note in ((self.efa, self.factor_note), (self.cfa, self.cfa_note)):
            if res is not None:
                parts += ["", res._title()]
            elif note:
                parts += ["", note]
        return "\n".join(parts) + "\n"


def synthetic_reason(frame: pd.DataFrame | Responses) -> str:
    """Why responses are SYNTHETIC, or ``""``: read responses say it themselves (file name or first
    line, :func:`kadstudy.survey.io.read_responses`; also in the frame's ``attrs["synthetic"]``), a
    bare frame by a column name (:func:`kadstudy.survey.io.provenance`).

    Parameters
    ----------
    frame : pandas.DataFrame or Responses
        The responses.

    Returns
    -------
    str
        The reason, empty when nothing marks the responses synthetic.
    """
    if isinstance(frame, Responses):
        return frame.frame.attrs.get("synthetic") or (f"{frame.file} is synthetic" if frame.synthetic else "")
    if frame.attrs.get("synthetic"):
        return str(frame.attrs["synthetic"])
    return provenance("", [], [str(c) for c in frame.columns]).why


def analyse(frame: pd.DataFrame | Responses, instrument: Instrument, *, n_factors: int | None = None,
            rotation: str = "oblimin", pa_iterations: int = 200, seed: int = 1,
            min_respondents: int | None = None, keep_thin: bool = False,
            with_factors: bool = True, synthetic: bool | str | None = None) -> SurveyAnalysis:
    """Reliability, item analysis, parallel analysis, EFA (``n_factors`` or the number parallel
    analysis suggests), CFA of the intended scales, forum aggregation and calibrated memberships.

    Parameters
    ----------
    frame : pandas.DataFrame or Responses
        The responses (:func:`kadstudy.survey.io.read_responses` or its ``frame``).
    instrument : Instrument
        The instrument the responses answer.
    n_factors : int, optional
        Factors of the EFA; default: what parallel analysis suggests (at least 1).
    rotation : str
        EFA rotation (``oblimin``, ``promax``, ``varimax`` or ``none``).
    pa_iterations : int
        Random correlation matrices of the parallel analysis.
    seed : int
        Seed of the parallel analysis and the EFA starts.
    min_respondents : int, optional
        Forums with fewer respondents with a score are thin (default: the instrument's).
    keep_thin : bool
        Give thin forums a set membership anyway.
    with_factors : bool
        Run the factor analyses (adequacy, parallel analysis, EFA, CFA).
    synthetic : bool or str, optional
        Whether the responses are SYNTHETIC (a str: why); default: :func:`synthetic_reason`.

    Returns
    -------
    SurveyAnalysis
        Every table; marked SYNTHETIC when the responses are.
    """
    if synthetic is None:
        why = synthetic_reason(frame)
    else:
        why = (synthetic if isinstance(synthetic, str)
               else "marked synthetic by the caller" if synthetic else "")
    if isinstance(frame, Responses):
        frame = frame.frame
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
        memberships=calibrate_forums(table, instrument, keep_thin=keep_thin), synthetic=why)
