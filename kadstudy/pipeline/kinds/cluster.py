"""Typology of forums: Gower distances over mixed coded variables, hierarchical clustering with a
dendrogram, k-medoids with the number of clusters chosen by silhouette width, cluster profiles,
and cross-tabs of the clusters against the outcome and against the QCA solution terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kadstudy import numbers
from kadstudy.errors import KadError
from kadstudy.models.cluster import LINKAGES
from kadstudy.pipeline.kinds import common_sections, load_cases
from kadstudy.pipeline.kinds.regression import (
    NUMERIC_TYPES,
    check_variables,
    guarded,
    notes_to,
)
from kadstudy.pipeline.summary import case_summary
from kadstudy.report.render import Report
from kadstudy.schema.analysis import CaseAnalysis
from kadstudy.schema.fields import Bool, InclCut, Of, Seed, SetName, SetNames, UnitNumber, VarNames

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec


def is_linkage(v: Any) -> str | None:
    return None if v in LINKAGES else f"one of {', '.join(LINKAGES)}"


def is_k(v: Any) -> str | None:
    ok = isinstance(v, int) and not isinstance(v, bool) and 2 <= v <= 50
    return None if ok else "a whole number from 2 to 50"


class SCHEMA(CaseAnalysis):
    """The keys of a ``kind: cluster`` analysis file."""

    variables: VarNames
    outcome: SetName = None
    conditions: SetNames = None
    incl_cut: InclCut = None
    log: VarNames = None
    linkage: Of(is_linkage) = None
    k: Of(is_k) = None
    k_max: Of(is_k) = None
    min_coded: UnitNumber = None
    seed: Seed = None
    strict: Bool = None


def _term_crosstab(labels: np.ndarray, cases: list[str], memberships: pd.DataFrame) -> pd.DataFrame:
    """Cluster x solution term: cases with membership > 0.5 in the term, of those the set
    analysis used."""
    import pandas as pd

    member = memberships.reindex(cases)
    rows = {}
    for k in sorted(set(labels.tolist())):
        in_k = [c for c, lab in zip(cases, labels, strict=True) if lab == k]
        sub = member.loc[in_k].dropna()
        row: dict[str, object] = {"cases in the set analysis": len(sub)}
        for term in memberships.columns:
            row[f"in {term}"] = int((sub[term] > 0.5).sum())
        rows[f"cluster {k}"] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "cluster"
    return table


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The cluster report."""
    import pandas as pd

    from kadstudy.models import cluster, compare
    from kadstudy.models import plot as plots

    df = load_cases(project, spec)
    variables = list(spec.get("variables"))
    outcome = spec.get("outcome")
    conditions = list(spec.get("conditions") or [])
    check_variables(df, spec, "variables", variables, (*NUMERIC_TYPES, "categorical"))
    if outcome:
        check_variables(df, spec, "outcome", [outcome], ("binary", "ordinal", "categorical"))
    if conditions:
        if not outcome:
            raise KadError(f"{spec.path}: key 'conditions': the QCA cross-tab needs an 'outcome'")
        check_variables(df, spec, "conditions", conditions, ("binary", "fuzzy"))
    logged = list(spec.get("log") or [])
    for name in logged:
        if name not in variables:
            raise KadError(f"{spec.path}: key 'log': '{name}' is not one of the variables")
    check_variables(df, spec, "log", logged, ("count", "year"))
    if logged:
        import numpy as np

        df = df.copy()
        for name in logged:
            df[name] = np.log1p(df[name].astype("Float64").to_numpy(dtype=float, na_value=np.nan))
    method = spec.get("linkage", "average")
    seed = int(spec.get("seed", 1))
    min_coded = float(spec.get("min_coded", 0.5))

    report = Report(spec.title)
    share = df[variables].notna().mean(axis=1)
    enough = df[(share >= min_coded).to_numpy()]
    few = [str(c) for c in df.index[(share < min_coded).to_numpy()]]
    reason = (f"fewer than three cases code at least {min_coded:.0%} of the variables ({len(enough)})"
              if len(enough) < 3 else None)
    case_summary(report, spec, df, [str(c) for c in enough.index], outcome,
                 f"code at least {min_coded:.0%} of the {len(variables)} variables", reason)
    if spec.get("description"):
        report.text(spec.get("description"))
    report.heading("Cases and variables")
    text = (f"{len(df)} cases after selection; {len(enough)} code at least {min_coded:.0%} of the "
            f"{len(variables)} variables and enter the distances.")
    if few:
        text += f" Left out for coding fewer: {', '.join(few)}."
    report.text(text)
    if reason:
        if spec.get("strict"):
            raise KadError(f"{spec.path}: not estimable: {reason} (key 'strict' is true)")
        report.text(f"Not estimable: {reason}.")
        common_sections(report, project, spec, len(df))
        return report

    g, why = guarded(spec, "Gower distance", lambda: cluster.gower_distance(enough, variables))
    if g is None:
        report.text(why)
        common_sections(report, project, spec, len(df))
        return report
    g, unpaired = cluster.complete_pairs(g)
    notes_to(report, g.notes)
    if unpaired:
        report.note(f"Left out because they share no coded variable with some other case: "
                    f"{', '.join(unpaired)}.")
    if logged:
        report.note(f"Taken as log(1 + x) before the distance, so a few very large values do not "
                    f"flatten the rest: {', '.join(logged)}.")
    report.table("variables", g.variables, "Variables of the Gower distance: type, range (numeric), "
                 "cases coding it, weight, used", kinds={"range": "measure", "weight": "measure"})
    sub = enough.loc[[c for c in enough.index if str(c) in set(g.cases)]]
    n = len(g.cases)
    report.text(f"Gower distance: for each pair of cases, the average over the variables both code "
                f"of |difference| / range (numeric) or 0 / 1 for same / different (categorical). "
                f"{n} cases are clustered.")
    if n < 3:
        report.text(f"Only {n} case(s) can be compared: clustering needs at least 3. Code more "
                    f"variables of more cases.")
        if spec.get("strict"):
            raise KadError(f"{spec.path}: clustering: only {n} case(s) can be compared; it needs 3")
        common_sections(report, project, spec, len(df))
        return report
    report.table("gower_distances", g.to_frame(), "Gower distances between the cases")

    report.heading("Hierarchical clustering")
    Z = cluster.hierarchical(g.D, method)
    report.text(f"Agglomerative clustering with {method} linkage on the Gower distances.")

    report.heading("Number of clusters")
    k_max = int(spec.get("k_max", 6))
    sil = cluster.silhouette_table(g.D, k_max, method=method, seed=seed)
    k_fixed = spec.get("k")
    choice = cluster.choose_k(sil)
    best_k, why = choice.k, choice.reason
    if k_fixed:
        if not 2 <= k_fixed <= n - 1:
            raise KadError(f"{spec.path}: key 'k': {k_fixed} clusters is impossible for {n} cases; "
                           f"use 2 to {n - 1}")
        k = int(k_fixed)
        report.text(f"k = {k} as the analysis file sets it. By silhouette width alone: {why}")
    else:
        k = best_k
        report.text(f"Chosen: {why}")
    report.table("silhouette", sil, "Average silhouette width by number of clusters (k-medoids and "
                 "the hierarchical tree cut at k)")
    report.figure("silhouette_by_k", plots.silhouette_by_k(sil, k, title="Silhouette width by k"),
                  "Average silhouette width by number of clusters (k-medoids and hierarchical)")
    report.figure("dendrogram", plots.dendrogram(Z, g.cases, k=k, title=f"Dendrogram ({method} "
                  f"linkage, Gower distance); dashed: cut at k = {k}"),
                  f"Dendrogram of the cases ({method} linkage), cut at k = {k}")

    report.heading("Clusters")
    km = cluster.kmedoids_pam(g.D, k, seed=seed)
    hc = cluster.cut_tree(Z, k)
    ari = cluster.adjusted_rand(km.labels, hc)
    assign = pd.DataFrame({"kmedoids": km.labels, "hierarchical": hc,
                           "medoid": ["yes" if i in km.medoids else "" for i in range(n)]},
                          index=pd.Index(g.cases, name="case"))
    if outcome:
        assign[outcome] = sub[outcome].array
    report.text(f"k-medoids (PAM) with k = {k}; medoids: "
                + ", ".join(f"cluster {i + 1} {g.cases[m]}" for i, m in enumerate(km.medoids))
                + f". The hierarchical tree cut at k = {k} agrees with it at adjusted Rand index "
                f"{numbers.fixed(ari)} (1 = same partition, 0 = chance).")
    report.table("clusters", assign, "Cluster of each case (k-medoids and hierarchical)")
    ax = plots.silhouette_plot(g.D, km.labels, g.cases, k_max=None if k_fixed else k_max,
                               title=f"Silhouette per case, k-medoids, k = {k}")
    report.figure("silhouette", ax.figure, f"Silhouette width of each case in its k-medoids "
                  f"cluster (k = {k}); dashed: the average width")
    prof = cluster.profiles(sub, km.labels, variables)
    report.table("profiles", prof, "Cluster profiles (k-medoids): mean of each numeric variable, "
                 "commonest value of each categorical one (count / cases coding it); spread = "
                 "largest minus smallest cluster mean", default="measure")

    if outcome:
        report.heading("Clusters and the outcome")
        tab = cluster.crosstab(km.labels, sub[outcome].tolist(), outcome)
        report.table(f"clusters_by_{outcome}", tab, f"Cases by cluster and {outcome}")
        if conditions:
            report.heading("Clusters and the QCA solution")
            qca = compare.qca_view(df, outcome, conditions, incl_cut=spec.get("incl_cut", 0.8))
            notes_to(report, qca.notes)
            if qca.memberships is not None and len(qca.memberships.columns):
                report.table("clusters_by_qca_terms", _term_crosstab(km.labels, g.cases,
                                                                     qca.memberships),
                             "Cases of each cluster with membership > 0.5 in each term of the "
                             "parsimonious solution (among the cases the set analysis used)")
            else:
                report.text("No QCA solution to cross with the clusters (see the notes above).")
    common_sections(report, project, spec, len(df))
    return report
