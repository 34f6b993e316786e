"""Regression of a binary outcome on coded conditions, for small N: bivariate Firth logits with
exact tests, the multivariable Firth logit with permutation p-values, separation and collinearity
checks, the ordinary logit when it exists, an ordinal logit of a graded outcome, a forest plot, and
a table comparing what QCA, regression and clustering say about each condition.

Data too thin for a model (too few complete cases, one outcome class, a constant predictor) is
stated in the report; with ``strict: true`` it stops the build with that one line instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from kadstudy import numbers
from kadstudy.errors import KadError
from kadstudy.pipeline.kinds import common_sections, load_cases
from kadstudy.pipeline.summary import case_summary
from kadstudy.report.render import Report
from kadstudy.schema.analysis import CaseAnalysis
from kadstudy.schema.fields import (
    Bool,
    InclCut,
    Of,
    Positive,
    Seed,
    SetName,
    SetNames,
    VarName,
    is_nonnegative,  # noqa: F401 - imported from here by other kinds
    is_positive,  # noqa: F401
    is_seed,  # noqa: F401
    whole_range,
)

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.models.regression import FitResult
    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec

T = TypeVar("T")
#: number kinds of the model tables (kadstudy.numbers)
MODEL_KINDS = {"coef": "estimate", "se": "estimate", "p": "p", "OR": "estimate",
               "OR_low": "estimate", "OR_high": "estimate", "p_perm": "p"}
NUMERIC_TYPES = ("binary", "fuzzy", "ordinal", "count", "year")


is_permutations = whole_range(0, 100_000, "a whole number from 0 (no permutation test) to 100000")


class SCHEMA(CaseAnalysis):
    """The keys of a ``kind: regression`` analysis file (predictors are also read as sets)."""

    outcome: SetName
    predictors: SetNames
    model: SetNames = None
    ordinal: VarName = None
    permutations: Of(is_permutations) = None
    seed: Seed = None
    epv_min: Positive = None
    incl_cut: InclCut = None
    qca_conditions: SetNames = None
    compare: Bool = None
    strict: Bool = None


def check_variables(df: pd.DataFrame, spec: AnalysisSpec, key: str, names: list[str],
                    types: tuple[str, ...] = (*NUMERIC_TYPES, "categorical")) -> None:
    """Each name is a variable of the dataset of one of ``types`` (and not multi-valued)."""
    cb = df.attrs["codebook"]
    for name in names:
        if name not in df.columns:
            raise KadError(f"{spec.path}: key '{key}': unknown variable '{name}' in dataset "
                           f"'{spec.dataset}'")
        var = cb[name]
        if var.type not in types or var.multiple:
            kind = f"multi-valued {var.type}" if var.multiple else var.type
            raise KadError(f"{spec.path}: key '{key}': '{name}' is {kind}; use a "
                           f"{', '.join(types)} variable")


def guarded(spec: AnalysisSpec, what: str, fn: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run a model step; data it cannot use becomes a note (or, with ``strict: true``, stops the
    build with that line)."""
    from kadstudy.models.frame import ModelInputError

    try:
        return fn(), None
    except ModelInputError as exc:
        if spec.get("strict"):
            raise KadError(f"{spec.path}: {what}: {exc}") from None
        return None, f"{what} not fitted: {exc}."


def notes_to(report: Report, notes: list[str]) -> None:
    for n in notes:
        report.note(n)


def _bivariate(df: pd.DataFrame, spec: AnalysisSpec, outcome: str, predictors: list[str],
               epv_min: float, seed: int) -> pd.DataFrame:
    import pandas as pd

    from kadstudy.models.frame import prepare
    from kadstudy.models.regression import exact_test, firth_logit

    rows = []
    for p in predictors:
        data, why = guarded(spec, f"bivariate model of {p}", lambda p=p: prepare(df, outcome, [p]))
        if data is None:
            rows.append({"term": p, "predictor": p, "note": why.removesuffix(".").split(": ", 1)[1]})
            continue
        fit, why = guarded(spec, f"bivariate model of {p}",
                           lambda data=data: firth_logit(data, epv_min=epv_min))
        test, why2 = guarded(spec, f"exact test of {p}",
                             lambda p=p: exact_test(df, outcome, p, seed=seed))
        for term in data.terms:
            row: dict[str, Any] = {"term": term, "predictor": p, "N": data.n,
                                   "events": data.events, "non_events": data.non_events,
                                   "EPV": data.epv}
            if fit is not None:
                r = fit.table.loc[term]
                row.update(OR=r["OR"], OR_low=r["OR_low"], OR_high=r["OR_high"], p=r["p"],
                           separation="yes" if fit.separation and fit.separation.separated else "")
            if test is not None:
                row.update(exact_test=test["test"], p_exact=test["p"],
                           exact="exact" if test["exact"] else "Monte Carlo")
            bound = fit.bound_notes.get(term) if fit is not None else None
            row["note"] = "; ".join(x for x in (bound, why, why2) if x)
            rows.append(row)
    cols = ["term", "predictor", "N", "events", "non_events", "EPV", "OR", "OR_low", "OR_high", "p",
            "separation", "exact_test", "p_exact", "exact", "note"]
    table = pd.DataFrame(rows, columns=cols).set_index("term")
    for c in ("N", "events", "non_events"):
        table[c] = table[c].astype("Int64")
    return table


def _with_bound_notes(fit: FitResult) -> pd.DataFrame:
    """The coefficient table, with a ``note`` column saying why a bound is infinite or missing."""
    table = fit.table.copy()
    if fit.bound_notes:
        table["note"] = [fit.bound_notes.get(t, "") for t in table.index]
    return table


def _fit_summary(fit: FitResult) -> pd.DataFrame:
    import pandas as pd

    row = dict(fit.data.summary())
    row["log_likelihood"] = fit.loglik
    return pd.DataFrame([row], index=pd.Index([fit.method], name="model"))


def _multivariable(report: Report, df: pd.DataFrame, spec: AnalysisSpec, outcome: str,
                   terms: list[str], epv_min: float, seed: int) -> FitResult | None:
    from kadstudy.models import plot as plots
    from kadstudy.models.frame import prepare
    from kadstudy.models.regression import SeparationError, firth_logit, logit, permutation_pvalues, vif
    from kadstudy.parallel import engine_for

    report.heading("Multivariable model")
    report.text(f"Firth-penalised logistic regression of {outcome} on {', '.join(terms)}, on the "
                f"cases that code all of them (listwise deletion).")
    data, why = guarded(spec, "multivariable model", lambda: prepare(df, outcome, terms))
    if data is None:
        report.text(f"{why} The data are too thin for this model as coded so far; the bivariate "
                    f"models above use every case that codes each condition.")
        return None
    report.text(data.describe())
    fit, why = guarded(spec, "multivariable Firth model", lambda: firth_logit(data, epv_min=epv_min))
    if fit is None:
        report.text(why)
        return None
    notes_to(report, fit.warnings)
    report.table("model_summary", _fit_summary(fit), "N, cases dropped for a missing value, events, "
                 "parameters, events per variable (EPV) and penalised log-likelihood",
                 kinds={"EPV": "estimate", "log_likelihood": "estimate"})
    if fit.separation is not None:
        report.table("separation", fit.separation.to_frame(), "Separation check (linear program, "
                     "Konis 2007): does the ordinary maximum-likelihood estimate of each "
                     "coefficient exist?")
    if data.n_params > 1:
        report.table("vif", vif(data), "Variance inflation factors (collinearity; >= 5 moderate, "
                     ">= 10 high)", kinds={"VIF": "estimate"})
    table = _with_bound_notes(fit)
    permutations = spec.get("permutations", 999)
    if permutations:
        perm, why = guarded(spec, "permutation test",
                            lambda: permutation_pvalues(data, n_permutations=permutations, seed=seed,
                                                        **engine_for(spec).kwargs()))
        if perm is not None:
            table["p_perm"] = perm["p_perm"].reindex(table.index)
            failed = int(perm["failed"].sum())
            report.note(f"p_perm: {perm['method'].iloc[0]}, {int(perm['permutations'].max())} "
                        f"permutations, seed {seed}; statistic |coef / se| of the Firth fit."
                        + (f" {failed} permuted data set(s) the fit could not handle were left "
                           f"out." if failed else ""))
        elif why:
            report.note(why)
    level = _level(fit.alpha)
    report.table("firth_coefficients", table, f"Firth logit of {outcome}: coefficients (log odds), "
                 f"odds ratios with {level}% {fit.ci_label} intervals, p from the "
                 f"{fit.p_label}" + (", p_perm from permutations" if "p_perm" in table else "")
                 + ("; ∞: a bound not estimable (see note)" if fit.bound_notes else ""),
                 kinds=MODEL_KINDS if "p_perm" in table else _without(MODEL_KINDS, "p_perm"))
    report.figure("forest_firth", plots.forest_plot(
                      _with_bound_notes(fit).drop(index="(Intercept)", errors="ignore"),
                      title=f"Firth logit of {outcome}: odds ratios ({fit.ci_label} {level}% "
                            f"intervals)").figure,
                  f"Forest plot of the odds ratios of the multivariable Firth logit of {outcome}")
    try:
        ml = logit(data, epv_min=epv_min)
    except SeparationError as exc:
        report.text(f"Ordinary maximum-likelihood logit not reported: {exc}.")
    except KadError as exc:
        report.text(f"Ordinary maximum-likelihood logit not fitted: {exc}.")
    else:
        notes_to(report, [w for w in ml.warnings if not w.startswith("Events per variable")])
        report.table("logit_coefficients", _with_bound_notes(ml), f"Ordinary logit of {outcome} "
                     f"(maximum likelihood; Wald p and {_level(ml.alpha)}% intervals), for comparison",
                     kinds=_without(MODEL_KINDS, "p_perm"))
    return fit


def _level(alpha: float) -> str:
    """The confidence level in percent, e.g. '95'."""
    return numbers.parameter(round(100 * (1 - alpha), 10))


def _without(kinds: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in kinds.items() if k not in names}


def _ordinal(report: Report, df: pd.DataFrame, spec: AnalysisSpec, ordinal: str, terms: list[str],
             epv_min: float) -> None:
    from kadstudy.models.frame import prepare
    from kadstudy.models.regression import ordinal_logit

    cb = df.attrs["codebook"]
    report.heading(f"Ordinal model of {ordinal}")
    values = "; ".join(f"{k} = {v}" for k, v in cb[ordinal].values.items())
    report.text(f"Proportional-odds (cumulative logit) model of the graded outcome {ordinal} "
                f"({values}) on {', '.join(terms)}. An odds ratio above 1 means higher categories "
                f"are more likely.")
    data, why = guarded(spec, "ordinal model",
                        lambda: prepare(df, ordinal, terms, outcome_type="ordinal"))
    if data is None:
        report.text(why)
        return
    report.text(data.describe())
    fit, why = guarded(spec, "ordinal model", lambda: ordinal_logit(data, epv_min=epv_min))
    if fit is None:
        report.text(why)
        return
    notes_to(report, fit.warnings)
    report.table("ordinal_coefficients", _with_bound_notes(fit), f"Ordinal logit of {ordinal}: "
                 f"coefficients, odds ratios with Wald {_level(fit.alpha)}% intervals, cut-points",
                 kinds=_without(MODEL_KINDS, "p_perm"))


def _comparison(report: Report, df: pd.DataFrame, spec: AnalysisSpec, outcome: str,
                predictors: list[str], regression: pd.DataFrame, seed: int) -> None:
    from kadstudy.models import cluster, compare

    report.heading("Comparison: QCA, regression and clustering")
    coded = df[df[outcome].notna()]
    qca = compare.qca_view(coded, outcome, predictors, incl_cut=spec.get("incl_cut", 0.8),
                           solution_conditions=spec.get("qca_conditions"))
    notes_to(report, qca.notes)
    profiles = None
    try:
        g = cluster.gower_distance(coded, predictors)
        share = coded[predictors].notna().mean(axis=1).to_numpy()
        keep = share >= 0.5
        g2, _ = cluster.complete_pairs(cluster.Gower(
            D=g.D[keep][:, keep], cases=[c for c, k in zip(g.cases, keep, strict=True) if k],
            variables=g.variables))
        sil = cluster.silhouette_table(g2.D, 6, seed=seed)
        k, why = cluster.choose_k(sil)
        km = cluster.kmedoids_pam(g2.D, k, seed=seed)
        sub = coded.loc[[c for c in coded.index if str(c) in set(g2.cases)]]
        profiles = cluster.profiles(sub, km.labels, predictors)
        report.note(f"Clusters: k-medoids on Gower distances over the conditions, {len(g2.cases)} "
                    f"cases that code the outcome and at least half of the conditions; {why}")
    except KadError as exc:
        report.note(f"No clusters for the comparison: {exc}.")
    table = compare.comparison_table(predictors, qca=qca, regression=regression, profiles=profiles)
    report.table("comparison", table, f"Each condition as QCA (necessity inclN of the condition "
                 f"and of its negation for {outcome}; solution terms), regression (odds ratio, "
                 f"interval, p) and clustering (cluster means, spread) see it",
                 kinds={"QCA inclN": "measure", "QCA inclN of ~": "measure", "OR": "estimate",
                        "p": "p", "cluster spread": "measure"})


def _bivariate_line(fitted: pd.DataFrame, n_predictors: int) -> str:
    """The bivariate models in one sentence for the summary box."""
    if fitted.empty:
        return f"Bivariate models: none of the {n_predictors} predictors could be fitted."
    ns = sorted({int(n) for n in fitted["N"].dropna()})
    sig = [str(t) for t, p in fitted["p"].items() if p < 0.05]
    return (f"Bivariate models: {len(fitted)} of {n_predictors} predictors fitted, on N = "
            + (f"{ns[0]}" if len(ns) == 1 else f"{ns[0]} to {ns[-1]}")
            + f" cases each (EPV at most {numbers.fmt(float(fitted['EPV'].max()), 'estimate')}); "
            + (f"p < .05 for {', '.join(sig)}." if sig else "none has p < .05."))


def not_estimable(y: pd.Series, outcome: str) -> str | None:
    """Why no model of ``y`` can be fitted: fewer than two cases code it, or it does not vary."""
    known = y.dropna()
    if len(known) < 2:
        return f"fewer than two cases code the outcome {outcome} ({len(known)})"
    if known.nunique() < 2:
        return (f"the outcome {outcome} does not vary: all {len(known)} coded cases have "
                f"{outcome} = {known.iloc[0]}")
    return None


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The regression report."""
    from kadstudy.models import plot as plots
    from kadstudy.models.frame import EPV_MIN, coverage

    df = load_cases(project, spec)
    outcome = spec.get("outcome")
    predictors = list(spec.get("predictors"))
    terms = list(spec.get("model") or predictors)
    ordinal = spec.get("ordinal")
    check_variables(df, spec, "outcome", [outcome], ("binary",))
    check_variables(df, spec, "predictors", predictors)
    check_variables(df, spec, "model", terms)
    if ordinal:
        check_variables(df, spec, "ordinal", [ordinal], ("ordinal",))
    check_variables(df, spec, "qca_conditions", list(spec.get("qca_conditions") or []),
                    ("binary", "fuzzy"))
    epv_min = float(spec.get("epv_min", EPV_MIN))
    seed = int(spec.get("seed", 1))

    report = Report(spec.title)
    y = df[outcome]
    why = not_estimable(y, outcome)
    if why and spec.get("strict"):
        raise KadError(f"{spec.path}: not estimable: {why} (key 'strict' is true)")
    analysed = [str(c) for c in df.index[y.notna().to_numpy(dtype=bool)]]
    case_summary(report, spec, df, analysed, outcome,
                 f"code the outcome {outcome} ({int((y == 1).sum())} with {outcome} = 1, "
                 f"{int((y == 0).sum())} with {outcome} = 0); each model uses those that also code "
                 "its predictors", why)
    if spec.get("description"):
        report.text(spec.get("description"))
    report.heading("Cases")
    report.text(f"{len(df)} cases after selection; {int(y.notna().sum())} code the outcome "
                f"{outcome} ({int((y == 1).sum())} with {outcome} = 1, {int((y == 0).sum())} with "
                f"{outcome} = 0). Each model uses the cases that code all of its variables "
                f"(listwise deletion); the number dropped is stated with each model.")
    report.table("coverage", coverage(df, outcome, [*dict.fromkeys([*predictors, *terms])]),
                 "Cases coding each predictor: all, and among those that code the outcome")
    if why:
        report.text(f"Not estimable: {why}. No model is fitted.")
        common_sections(report, project, spec, len(df))
        return report

    report.heading("Bivariate models")
    report.text(f"One Firth-penalised logit of {outcome} per condition, each on the cases that code "
                f"that condition and the outcome; p from the penalised likelihood-ratio test. The odds "
                f"ratio of a fuzzy or 0/1 condition compares full membership (1) with none (0). "
                f"p_exact: a bivariate exact test (Fisher's for a 0/1 condition, an exact "
                f"permutation test of the difference in means otherwise). EPV below "
                f"{numbers.parameter(epv_min)} means the estimate is unstable. ∞ (or an odds ratio "
                f"bound of 0): a bound the data do not limit, with the reason in the note.")
    biv = _bivariate(df, spec, outcome, predictors, epv_min, seed)
    report.table("bivariate", biv, f"Bivariate Firth logits of {outcome}: N, events, EPV, odds "
                 f"ratio with 95% profile interval, p, exact test",
                 kinds={"N": "count", "events": "count", "non_events": "count", "EPV": "estimate",
                        "OR": "estimate", "OR_low": "estimate", "OR_high": "estimate", "p": "p",
                        "p_exact": "p"})
    shown = biv.dropna(subset=["OR"])
    report.summary_lines.insert(3, _bivariate_line(shown, len(predictors)))
    if len(shown):
        report.figure("forest_bivariate", plots.forest_plot(biv, title=f"Bivariate Firth logits of "
                      f"{outcome}: odds ratios (95% profile intervals)").figure,
                      f"Forest plot of the bivariate odds ratios for {outcome}")
    low = biv[(biv["EPV"] < epv_min)].index.tolist()
    if low:
        report.note(f"EPV below {numbers.parameter(epv_min)} for {', '.join(str(t) for t in low)}: "
                    f"too few events "
                    f"(or non-events) per parameter; these estimates are descriptive only.")

    fit = _multivariable(report, df, spec, outcome, terms, epv_min, seed)
    report.summary_lines.insert(3, (
        f"Multivariable Firth logit ({', '.join(terms)}): " + (
            f"fitted on N = {fit.data.n} cases ({fit.data.events} events), EPV "
            f"{numbers.fmt(fit.data.epv, 'estimate')}." if fit is not None
            else "not estimable with these cases (see its section); the bivariate models are the "
                 "only estimates.")))
    if ordinal:
        _ordinal(report, df, spec, ordinal, terms, epv_min)
    if spec.get("compare", True):
        import pandas as pd

        # each condition from the multivariable model when it is in it, else its bivariate model
        parts = []
        if fit is not None:
            parts.append(fit.table.drop(index="(Intercept)").assign(model="multivariable Firth"))
        rest = biv.loc[[t for t in biv.index if not parts or t not in parts[0].index]]
        rest = rest[["OR", "OR_low", "OR_high", "p"]].assign(
            model=["bivariate Firth" if pd.notna(v) else "not fitted (see the bivariate table)"
                   for v in rest["OR"]])
        parts.append(rest)
        reg = pd.concat(parts)
        _comparison(report, df, spec, outcome, predictors, reg, seed)
    common_sections(report, project, spec, len(df))
    return report
