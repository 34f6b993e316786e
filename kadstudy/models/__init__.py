"""Statistical models of the coded cases: regression, survival, clustering, and a comparison with QCA.

Pure functions on pandas and numpy (no file I/O); the heavy libraries (statsmodels, firthmodels,
lifelines, scikit-learn, kmedoids, scipy) are imported inside the functions that use them::

    from kadstudy.models import frame, regression
    data = frame.prepare(df, "durable", ["commit", "legal_umbrella"])   # listwise deletion, checks
    fit = regression.firth_logit(data)                                   # Firth-penalised logit
    fit.table                                                           # coef, OR, profile CI, p

Bad input (an unknown or all-missing column, a constant predictor, an outcome with one class, too
few complete cases) raises :class:`ModelInputError`: one line naming the column and the fix.
Small samples are the normal case: every fitted model carries N, events and events per variable
(EPV), and a warning when EPV is below the threshold.
"""

from kadstudy.models.frame import ModelData, ModelInputError, ModelWarning, epv_warning, prepare

__all__ = ["ModelData", "ModelInputError", "ModelWarning", "epv_warning", "prepare"]
