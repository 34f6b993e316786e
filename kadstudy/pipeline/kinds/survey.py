"""Survey analysis: reliability, factor structure, forum aggregation and calibrated set memberships
of a trust/social-capital survey of the forums of a coded dataset.

A report built from SYNTHETIC responses (the file name or its header says so) carries the word in
its title, a banner at the top and in every table caption.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field

from kadstudy import numbers
from kadstudy.errors import KadError
from kadstudy.report.render import Report
from kadstudy.schema.analysis import PATHS, AnalysisBase
from kadstudy.schema.fields import Bool, Count, Of, ProjectPath, one_of, whole_range

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec
    from kadstudy.survey.analysis import SurveyAnalysis

ROTATIONS = ("oblimin", "promax", "varimax", "none")   # as kadstudy.survey.factors.ROTATIONS


is_rotation = one_of(*ROTATIONS)
is_min_respondents = whole_range(2)


class SCHEMA(AnalysisBase):
    """The keys of a ``kind: survey`` analysis file."""

    instrument: ProjectPath = Field(description=f"name the instrument YAML file ({PATHS})")
    responses: ProjectPath = Field(description=f"name the responses CSV file ({PATHS})")
    min_respondents: Of(is_min_respondents) = None
    keep_thin: Bool = None
    n_factors: Count = None
    rotation: Of(is_rotation) = None
    parallel_iterations: Count = None
    seed: Count = None


def _path(project: Project, spec: AnalysisSpec, key: str) -> Path:
    path = project.root / spec.get(key)
    if not path.is_file():
        raise KadError(f"{spec.path}: key '{key}': no file {spec.get(key)} (paths are relative to the "
                       "project root)")
    return path


def inputs(project: Project, spec: AnalysisSpec) -> list[Path]:
    """The instrument and responses files: a change to either rebuilds the report."""
    return [_path(project, spec, "instrument"), _path(project, spec, "responses")]


def _scree(parallel: pd.DataFrame, retain: int) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.8))
    ax = fig.subplots()
    x = parallel.index.to_numpy()
    pcol = next(c for c in parallel.columns if c.startswith("random_p"))
    ax.plot(x, parallel["observed"].to_numpy(), "o-", color="#4c72b0", ms=4, lw=1, label="observed")
    ax.plot(x, parallel[pcol].to_numpy(), "s--", color="#dd8452", ms=3, lw=1,
            label=f"random data, {pcol.removeprefix('random_p')}th percentile")
    ax.axvline(retain + 0.5, color="#999999", ls=":", lw=1)
    ax.set_xlabel("component")
    ax.set_ylabel("eigenvalue")
    ax.set_title(f"Parallel analysis: retain {retain}", fontsize=9)
    ax.legend(fontsize=8)
    return fig


def _heatmap(means: pd.DataFrame, thin: set[str], title: str) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(0.9 * means.shape[1] + 3, 0.3 * len(means) + 1.6))
    ax = fig.subplots()
    im = ax.imshow(means.to_numpy(dtype=float), aspect="auto", cmap="RdYlBu", vmin=1, vmax=5)
    ax.set_xticks(range(means.shape[1]), [str(c) for c in means.columns], fontsize=8)
    ax.set_yticks(range(len(means)), [f"{f} *" if f in thin else str(f) for f in means.index], fontsize=8)
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, shrink=0.6, label="forum mean (1-5)")
    return fig


def calibration_figure(means: pd.DataFrame, memberships: pd.DataFrame,
                       anchors: dict[str, tuple[float, float, float]], synthetic: bool = False,
                       ncols: int = 3) -> Figure:
    """One calibration curve per set, in a grid: forum mean (x) against membership (y).

    Parameters
    ----------
    means : pandas.DataFrame
        Forum x set: the raw forum means, columns named by the set.
    memberships : pandas.DataFrame
        Forum x set: the calibrated memberships (NaN for a thin forum: not drawn).
    anchors : dict of str to tuple of float
        Set -> its (exclusion, crossover, inclusion) anchors; one panel per entry, in order.
    synthetic : bool
        Say SYNTHETIC DATA in the figure's title.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; each panel drawn by :func:`kadstudy.sets.plot.calibration_curve`.
    """
    import math

    from matplotlib.figure import Figure

    from kadstudy.sets.plot import calibration_curve

    names = list(anchors)
    ncols = max(1, min(ncols, len(names)))
    nrows = math.ceil(len(names) / ncols)
    fig = Figure(figsize=(4.6 * ncols, 3.9 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    forums = memberships.index.intersection(means.index)
    for ax, name in zip(axes, names, strict=False):
        calibration_curve(means.loc[forums, name], memberships.loc[forums, name], anchors[name],
                          type="fuzzy", name=name, raw_name="forum mean (1-5)", ax=ax)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    fig.suptitle(("SYNTHETIC DATA (not real forums): " if synthetic else "")
                 + "calibration of the forum means into fuzzy sets (direct method)", fontsize=11)
    return fig


def _grounding(groundings) -> str:
    return "; ".join(f"{g.source} {g.lines}" for g in groundings)


def _summary(report: Report, spec: AnalysisSpec, cases: pd.DataFrame, frame: pd.DataFrame,
             res: SurveyAnalysis, min_n: int) -> None:
    """The summary box and ``summary.json`` (as the other kinds write them): N = the forums with
    respondents, their countries, the respondents and the thin forums."""
    from kadstudy.models.groups import group_members
    from kadstudy.pipeline.population import CaseInfo
    from kadstudy.pipeline.summary import case_summary

    per_forum = frame.groupby("forum_id").size()
    analysed = [str(c) for c in cases.index if str(c) in per_forum.index]
    absent = [str(c) for c in cases.index if str(c) not in per_forum.index]
    cases = cases.copy()
    cases.index = cases.index.astype(str)
    groups = group_members(cases, cases["case_group"]) if "case_group" in cases.columns else {}
    cases.attrs["cases"] = CaseInfo("all", "per_case", len(cases),
                                    {"without respondents": absent} if absent else {},
                                    {c: [c] for c in analysed}, groups)
    thin = sorted(set(res.forums.loc[res.forums["thin"], "forum_id"]))
    data = case_summary(
        report, spec, cases, analysed, None,
        f"with respondents ({len(frame)} respondents; {len(cases)} forums in the dataset)",
        extra=[f"Thin forums (fewer than {min_n} respondents with a score, no set membership): "
               f"{len(thin)}" + (f" ({', '.join(thin)})." if thin else ".")])
    data.update({"respondents": len(frame), "thin": len(thin)})
    report.summary(report.summary_lines, data)


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The survey report."""
    import pandas as pd

    from kadstudy.data.dataset import load
    from kadstudy.pipeline.kinds import load_cases
    from kadstudy.survey import io as sio
    from kadstudy.survey.analysis import analyse, synthetic_reason
    from kadstudy.survey.synthetic import SEED

    inst_path, resp_path = _path(project, spec, "instrument"), _path(project, spec, "responses")
    inst = sio.read_instrument(inst_path)
    folder = project.root / "datasets" / spec.dataset
    all_cases = load(str(folder) if folder.is_dir() else spec.dataset)
    cases = load_cases(project, spec) if spec.get("select") else all_cases
    resp = sio.read_responses(resp_path, inst, [str(i) for i in all_cases.index],
                              forums_file=f"dataset '{spec.dataset}'")
    frame = resp.frame[resp.frame["forum_id"].isin({str(i) for i in cases.index})].reset_index(drop=True)
    if frame.empty:
        raise KadError(f"{spec.path}: key 'select': no respondent belongs to a selected forum")
    min_n = spec.get("min_respondents") or inst.min_respondents
    res = analyse(frame, inst, n_factors=spec.get("n_factors"), rotation=spec.get("rotation", "oblimin"),
                  pa_iterations=spec.get("parallel_iterations", 200), seed=spec.get("seed", 1),
                  min_respondents=min_n, keep_thin=bool(spec.get("keep_thin", False)),
                  synthetic=synthetic_reason(resp))

    syn = resp.synthetic
    tag = "[SYNTHETIC] " if syn else ""
    report = Report(f"{spec.title} — SYNTHETIC DATA" if syn else spec.title)
    rel_resp = resp_path.relative_to(project.root).as_posix()
    if syn:
        report.heading("SYNTHETIC DATA")
        report.text(f"The responses in {rel_resp} are SYNTHETIC: invented respondents whose answers were "
                    "drawn from a stated latent-factor model (kadstudy/survey/synthetic.py) for the forum "
                    "ids of the case dataset. They show that the method works and recovers a known "
                    "structure; no number, table or figure in this report describes real officials or "
                    "real forums, and the memberships below must not be used as evidence.")
        for note in resp.notes:
            report.note(f"File header: {note}")
    _summary(report, spec, cases, frame, res, min_n)
    if spec.get("description"):
        report.text(spec.get("description"))

    report.heading("Instrument")
    report.text(f"Instrument '{inst.id}': {inst.title_en}. {len(inst.items)} items in {len(inst.scales)} "
                f"scales and {len(inst.composites)} composite(s). {inst.operationalisation}")
    rows = []
    for sid, sc in inst.scales.items():
        rev = [i for i in sc.items if inst.items[i].reverse]
        rows.append({"scale": sid, "set": sc.set_name, "label": sc.label_en, "items": ", ".join(sc.items),
                     "reverse_keyed": ", ".join(rev) or "-", "grounding": _grounding(sc.grounding)})
    for cid, co in inst.composites.items():
        rows.append({"scale": cid, "set": co.set_name, "label": co.label_en,
                     "items": "mean of " + ", ".join(co.scales), "reverse_keyed": "-",
                     "grounding": _grounding(co.grounding)})
    report.table("instrument_scales", pd.DataFrame(rows).set_index("scale"),
                 "Scales of the instrument, their set names, items and the seed passages behind them")
    item_rows = pd.DataFrame([{"item": i.id, "scale": i.scale, "reverse": "yes" if i.reverse else "no",
                               "text_en": i.text_en, "text_id": i.text_id,
                               "grounding": _grounding(i.grounding)}
                              for i in inst.items.values()]).set_index("item")
    report.table("instrument_items", item_rows, "Items: English and Indonesian wording (this project's "
                 "operationalisation), keying and motivating seed passage")

    report.heading("Respondents")
    per_forum = frame.groupby("forum_id").size()
    absent = sorted(set(map(str, cases.index)) - set(per_forum.index))
    thin = sorted(set(res.forums.loc[res.forums["thin"], "forum_id"]))
    report.text(f"{tag}{len(frame)} respondents in {len(per_forum)} forums of dataset '{spec.dataset}' "
                f"({per_forum.min()}-{per_forum.max()} per forum, median "
                f"{numbers.parameter(per_forum.median())}). "
                + (f"Forums of the dataset without respondents: {', '.join(absent)}. " if absent else "")
                + (f"Flagged as thin (fewer than {min_n} respondents with a score), so they get no set "
                   f"membership{' (kept anyway: keep_thin)' if spec.get('keep_thin') else ''}: "
                   f"{', '.join(thin)}." if thin else f"No forum has fewer than {min_n} respondents."))
    roles = frame["role"].value_counts().rename("n").rename_axis("role").sort_index().to_frame()
    report.table("respondents_roles", roles, f"{tag}Respondents by role")

    report.heading("Reliability")
    report.text("Reverse-keyed items are recoded (min + max - answer) first. Cronbach's alpha (pingouin) "
                "with its 95% confidence interval (Feldt), McDonald's omega from the loadings of a "
                "one-factor ML model (statsmodels) rescaled to the items' variances, and the mean "
                "inter-item correlation; all on respondents who answered every item of the scale. For "
                "the composite, omega treats its items as one factor.")
    report.table("reliability", res.reliability, f"{tag}Reliability of the scales",
                 default="measure")
    report.table("items", res.items, f"{tag}Items after reverse-scoring: n, mean, sd, item-rest "
                 "correlation, alpha if the item is deleted", default="measure")

    _factor_section(report, res, spec, len(inst.scales), tag)

    report.heading("Forums")
    report.text(f"Scale scores are the mean of a respondent's answered items (at least "
                f"{inst.min_answered:.0%} of the scale's items); forum rows give the respondents with a "
                "score (n), mean, median, sd and rwg(J) (James, Demaree & Wolf; uniform null; 0 when "
                "answers spread more than random). ICC(1) and ICC(2) from a one-way ANOVA of the scores "
                f"by forum (Bliese 2000; k0 for unequal forum sizes). Forums with fewer than {min_n} "
                "respondents are flagged thin.")
    report.table("icc", res.icc, f"{tag}Agreement within and differences between forums",
                 default="measure")
    report.table("forum_scores", res.forums.set_index("forum_id"), f"{tag}Forum summaries of every score",
                 default="measure")
    from kadstudy.survey import forum_means

    means = forum_means(res.forums)
    means.columns = [inst.set_name(c) for c in means.columns]
    report.figure("forum_means", _heatmap(means, set(thin), f"{tag}Forum means (* = thin forum)"),
                  f"{tag}Forum means of the scale scores", synthetic=syn)

    report.heading("Set memberships")
    anchors = pd.DataFrame([{"set": inst.set_name(s), "score": s, "exclusion": inst.anchors_of(s)[0],
                             "crossover": inst.anchors_of(s)[1], "inclusion": inst.anchors_of(s)[2]}
                            for s in inst.score_names]).set_index("set")
    report.text("Forum means are calibrated into fuzzy sets by the direct method (logistic; kadstudy.sets."
                "calibrate, as R QCA's calibrate()). Anchors follow the answer labels: 2 = on average "
                "'disagree' (full exclusion), 3 = 'neither agree nor disagree' (crossover), 4 = on average "
                "'agree' (full inclusion, membership 0.95). The sets are joined onto the case dataset as "
                "conditions; tables/conditions.csv can be given to `kadstudy qca`"
                + (" (as tables/conditions_SYNTHETIC.csv, with --allow-synthetic; the set names carry the "
                   "suffix _SYNTHETIC)." if syn else "."))
    report.table("calibration_anchors", anchors, "Calibration anchors",
                 kinds={"exclusion": "estimate", "crossover": "estimate", "inclusion": "estimate"})
    memberships = res.memberships
    if syn:     # the mark travels with the sets into any QCA formula made from these tables
        memberships = memberships.rename(columns=lambda c: f"{c}{sio.SUFFIX}")
    curves = means.copy()
    curves.columns = [str(c) for c in curves.columns]
    report.figure("calibration_curves",
                  calibration_figure(curves, res.memberships,
                                     {inst.set_name(s): inst.anchors_of(s) for s in inst.score_names},
                                     synthetic=bool(syn)),
                  f"{tag}Calibration curves: forum mean (x) "
                  "against fuzzy set membership (y), one panel per set; the logistic curve through the "
                  "anchors, the anchors marked (dotted lines and diamonds at memberships 0.05, 0.5 and "
                  "0.95), each forum with a membership a dot (thin forums have none)", synthetic=syn)
    report.table("memberships", memberships, f"{tag}Fuzzy set memberships of the forums")
    names = cases[["name"]].astype("string") if "name" in cases.columns else cases.iloc[:, :0]
    names.index = names.index.astype(str)
    names.index.name = "forum_id"
    from kadstudy.survey import join_conditions

    try:
        joined = join_conditions(names, memberships)
    except ValueError as exc:
        raise KadError(f"{inst_path.relative_to(project.root).as_posix()}: {exc}; rename the set") from None
    report.table("conditions", joined, f"{tag}Survey sets joined onto the case dataset '{spec.dataset}' "
                 "(empty: no respondents, or a thin forum)")

    report.heading("What was run")
    report.code(f"# analyses/{spec.path.name}\n{spec.path.read_text(encoding='utf-8').rstrip()}")
    report.heading("Data used")
    lines = [f"dataset: {spec.dataset} ({len(cases)} cases after selection)"]
    for path in [*project.dataset_files(spec), inst_path, resp_path]:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        lines.append(f"{path.relative_to(project.root).as_posix()}  sha256 {digest}"
                     + ("  (SYNTHETIC)" if path == resp_path and syn else ""))
    report.code("\n".join(lines))
    report.heading("How to reproduce")
    steps = []
    if syn:
        steps.append(f"kadstudy survey synthesize --seed {_seed(resp.notes) or SEED}   # rewrites {rel_resp}")
    steps += [f"kadstudy run {spec.name} --force",
              f"kadstudy survey scales {rel_resp} --items",
              f"kadstudy survey aggregate {rel_resp} --calibrate --join --format csv"
              + (" --allow-synthetic" if syn else "")]
    report.code("\n".join(steps))
    return report


def _factor_section(report: Report, res: SurveyAnalysis, spec: AnalysisSpec, n_scales: int, tag: str) -> None:
    """Adequacy, parallel analysis, EFA and CFA, or why they were skipped."""
    import pandas as pd

    report.heading("Factor structure")
    if res.efa is None:
        report.text(f"Factor analysis skipped: {res.factor_note}.")
        return
    a = res.adequacy
    report.text(f"{tag}Sampling adequacy: KMO = {numbers.fixed(a['kmo'])}; Bartlett's test of "
                f"sphericity chi2 = {numbers.significant(a['bartlett_chi2'])}, df = "
                f"{numbers.count(a['bartlett_df'])}, {numbers.p_text(a['bartlett_p'])}. "
                f"Parallel analysis (Horn; eigenvalues of the item correlation matrix against the 95th "
                f"percentile of {spec.get('parallel_iterations', 200)} random correlation matrices of the "
                f"same size, seed {spec.get('seed', 1)}) suggests {res.n_factors_suggested} factor(s); "
                f"the instrument intends {n_scales}.")
    report.table("parallel_analysis", res.parallel, f"{tag}Parallel analysis", default="measure")
    report.figure("parallel_analysis", _scree(res.parallel, res.n_factors_suggested),
                  f"{tag}Scree plot with the random-data eigenvalues", synthetic=bool(tag))
    e = res.efa
    report.text(f"Exploratory factor analysis: maximum likelihood (statsmodels) with {e.loadings.shape[1]} "
                f"factor(s), {e.rotation} rotation, n = {e.n} complete respondents. Each factor is named "
                "after the scale most of its main items belong to."
                + ("" if e.converged else " The ML fit did not converge: read the loadings with care."))
    report.table("efa_loadings", e.loadings, f"{tag}EFA pattern loadings", default="measure:2")
    report.table("efa_factor_correlations", e.factor_corr.rename_axis("factor"),
                 f"{tag}EFA factor correlations", default="measure:2")
    if res.cfa:
        fit = pd.DataFrame([res.cfa.fit]).rename(index={0: "intended structure"}).rename_axis("model")
        report.text(f"Confirmatory factor analysis of the intended structure (each scale one factor; "
                    f"{res.cfa_note}). Conventional guides: CFI and TLI of 0.95 or more, RMSEA of 0.06 or "
                    "less.")
        report.table("cfa_fit", fit, f"{tag}CFA fit indices")
        report.table("cfa_loadings", res.cfa.loadings, f"{tag}CFA standardised loadings")
        report.table("cfa_factor_correlations", res.cfa.factor_corr.rename_axis("scale"),
                     f"{tag}CFA factor correlations", default="measure:2")
    else:
        report.text(f"Confirmatory factor analysis: {res.cfa_note}.")


def _seed(notes: list[str]) -> int | None:
    import re

    for note in notes:
        m = re.search(r"--seed (\d+)", note)
        if m:
            return int(m.group(1))
    return None
