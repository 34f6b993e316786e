"""Analysis kinds: each turns a validated spec and its dataset into a :class:`Report`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from kadstudy.errors import KadError
from kadstudy.report.render import Report

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.data.outcome import DurabilityRule
    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec


def durability_rule(spec: AnalysisSpec) -> DurabilityRule:
    """The spec's ``durability:`` thresholds over the documented default."""
    from kadstudy.data.outcome import DurabilityRule

    opts = {k: v for k, v in (spec.get("durability") or {}).items() if k != "alternatives"}
    return DurabilityRule.from_mapping(opts, DurabilityRule(label=opts.get("label", "initial")))


def add_durable(project: Project, spec: AnalysisSpec, df: pd.DataFrame,
                rule: DurabilityRule | None = None) -> pd.DataFrame:
    """``df`` with the outcome set ``durable`` calibrated from the outcome components by ``rule``
    (default: the spec's, :func:`durability_rule`), when the dataset codes the components and not
    ``durable`` itself; the per-observation table in ``df.attrs["durability"]``."""
    from dataclasses import replace

    from kadstudy.data.codebook import Variable
    from kadstudy.data.outcome import OUTCOME, Calibrated, can_calibrate, observations

    if OUTCOME in df.columns or not can_calibrate(df.columns):
        return df
    rule = rule or durability_rule(spec)
    obs = observations(df, rule, df.attrs.get("lower_bounds", frozenset()))  # recorded by data.load
    df = df.copy()
    df[OUTCOME] = obs[OUTCOME].reindex(df.index.astype(str)).to_numpy()
    df[OUTCOME] = df[OUTCOME].astype("Float64")
    cb = df.attrs.get("codebook")
    if cb is not None:
        var = Variable(id=OUTCOME, type="binary", label_en="Durable cooperation (calibrated outcome)",
                       label_id="Kerjasama yang berkelanjutan",
                       definition=f"Calibrated from the outcome components: {rule.describe()}",
                       required=False)
        df.attrs["codebook"] = replace(cb, variables=(*cb.variables, var))
    df.attrs["durability"] = Calibrated(rule, obs)
    return df


def load_raw(project: Project, spec: AnalysisSpec) -> pd.DataFrame:
    """The spec's dataset as loaded (every forum), with the ages that are lower bounds in
    ``attrs["lower_bounds"]``: the input of :func:`load_cases` when it is called repeatedly."""
    from kadstudy.data.dataset import load

    folder = project.root / "datasets" / spec.dataset
    return load(str(folder) if folder.is_dir() else spec.dataset)  # load records the lower bounds


def load_cases(project: Project, spec: AnalysisSpec, rule: DurabilityRule | None = None,
               raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """The spec's dataset as a typed frame: ``durable`` calibrated from its components
    (:func:`add_durable`, by ``rule`` or the spec's ``durability:``), for a kind with
    ``population``/``case_groups`` keys the forums of the population, then ``select`` (variable ->
    value(s)), the survey sets, and one row per case group (:mod:`kadstudy.pipeline.population`;
    how, in ``df.attrs["cases"]``). ``raw``: the dataset already loaded (:func:`load_raw`)."""
    from kadstudy.data.dataset import load
    from kadstudy.pipeline import population as pop

    folder = project.root / "datasets" / spec.dataset
    df = raw.copy() if raw is not None else load(str(folder) if folder.is_dir() else spec.dataset)
    df = add_durable(project, spec, df, rule)
    info = None
    if "population" in spec.model.model_fields:
        population, grouping = pop.defaults(spec, df)
        for key, var in (("population", "membership"), ("population", "stage"),
                         ("case_groups", "case_group")):
            if spec.get(key) and spec.get(key) not in ("all", "per_case") and var not in df.columns:
                raise KadError(f"{spec.path}: key '{key}': dataset '{spec.dataset}' does not code "
                               f"'{var}'; write {key}: {'all' if key == 'population' else 'per_case'}")
        n_coded = len(df)
        df, dropped = pop.apply_population(df, population)
        info = pop.CaseInfo(population, grouping, n_coded, dropped)
    for var, wanted in (spec.get("select") or {}).items():
        if var not in df.columns:
            raise KadError(f"{spec.path}: key 'select': unknown variable '{var}' in dataset "
                           f"'{spec.dataset}'")
        values = {str(v) for v in (wanted if isinstance(wanted, list) else [wanted])}
        df = df[df[var].astype("string").isin(values).fillna(False).to_numpy(dtype=bool)]
    if df.empty:
        raise KadError(f"{spec.path}: key 'select': no case left after selection")
    if spec.get("survey_sets"):
        df = join_survey_sets(project, spec, df)
    if info is not None:
        attrs = dict(df.attrs)
        df, info.members, info.groups = pop.group_cases(df, info.case_groups)
        df.attrs = {**attrs, "cases": info}
    return df


def survey_paths(project: Project, spec: AnalysisSpec) -> list[Path]:
    """The instrument and responses files named by the spec's ``survey_sets`` (none if absent)."""
    opts = spec.get("survey_sets") or {}
    paths = []
    for key in ("instrument", "responses"):
        path = project.root / opts[key]
        if not path.is_file():
            raise KadError(f"{spec.path}: key 'survey_sets.{key}': no file {opts[key]} (paths are "
                           "relative to the project root)")
        paths.append(path)
    return paths


def join_survey_sets(project: Project, spec: AnalysisSpec, cases: pd.DataFrame) -> pd.DataFrame:
    """``cases`` with the survey's calibrated forum-level sets (TRUST, SOCCAP, ...) as columns.

    Forums with too few respondents get no membership; a report built on synthetic responses is
    labelled SYNTHETIC by :func:`build_report`."""
    from kadstudy.survey import calibrate_forums, forum_table, join_conditions, reverse_score, scale_scores
    from kadstudy.survey import io as sio

    opts = spec.get("survey_sets")
    inst_path, resp_path = survey_paths(project, spec)
    inst = sio.read_instrument(inst_path)
    resp = sio.read_responses(resp_path, inst, [str(i) for i in cases.index],
                              forums_file=f"the selected cases of dataset '{spec.dataset}'")
    scored = reverse_score(resp.frame, inst)
    table = forum_table(scored, scale_scores(scored, inst), resp.frame["forum_id"], inst,
                        opts.get("min_respondents"))
    member = calibrate_forums(table, inst, keep_thin=bool(opts.get("keep_thin", False)))
    try:
        joined = join_conditions(cases, member)
    except ValueError as exc:
        raise KadError(f"{spec.path}: key 'survey_sets': {exc}; rename the sets in the instrument") from None
    joined.attrs = dict(cases.attrs)
    cb = cases.attrs.get("codebook")
    if cb is not None:      # the sets become fuzzy variables every kind can name
        from dataclasses import replace

        from kadstudy.data.codebook import Variable

        anchors = {inst.set_name(s): list(inst.anchors_of(s)) for s in inst.score_names}
        extra = tuple(Variable(id=name, type="fuzzy", label_en=f"{name} (survey set)", label_id=name,
                               definition=f"Forum mean of the survey score calibrated with anchors "
                                          f"{anchors.get(name)} ({resp_path.name})", required=False)
                      for name in member.columns)
        joined.attrs["codebook"] = replace(cb, variables=cb.variables + extra)
    return joined


def spec_inputs(project: Project, spec: AnalysisSpec) -> list[Path]:
    """Files besides the analysis file and the dataset that the spec's report is built from."""
    import importlib

    module = importlib.import_module(f"{__name__}.{spec.kind}")
    extra = list(module.inputs(project, spec)) if hasattr(module, "inputs") else []
    if spec.get("survey_sets"):
        extra += survey_paths(project, spec)
    return list(dict.fromkeys(extra))


def common_sections(report: Report, project: Project, spec: AnalysisSpec, n_cases: int) -> None:
    """What was run, the data used and how to reproduce it."""
    report.heading("What was run")
    text = spec.path.read_text(encoding="utf-8")
    report.code(f"# analyses/{spec.path.name}\n{text.rstrip()}")
    report.heading("Data used")
    lines = [f"dataset: {spec.dataset} ({n_cases} cases after population, selection and case groups)"]
    for path in [*project.dataset_files(spec), *spec_inputs(project, spec)]:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        lines.append(f"{path.relative_to(project.root).as_posix()}  sha256 {digest}")
    report.code("\n".join(lines))
    report.heading("How to reproduce")
    report.code(f"kadstudy run {spec.name} --force\n# or everything that is out of date:\nkadstudy run")


SYNTHETIC_OPT_IN = "write allow_synthetic: true in the analysis file"


def synthetic_inputs(project: Project, spec: AnalysisSpec) -> list[tuple[str, Path]]:
    """The (key, file) inputs of ``spec`` that hold survey responses: a ``survey`` kind's
    ``responses`` and ``survey_sets.responses``."""
    out = []
    if spec.kind == "survey" and spec.get("responses"):
        out.append(("responses", project.root / spec.get("responses")))
    if spec.get("survey_sets"):
        out.append(("survey_sets.responses", project.root / spec.get("survey_sets")["responses"]))
    return out


def synthetic_problems(project: Project, spec: AnalysisSpec) -> list[str]:
    """One line per input of ``spec`` that is unmarked synthetic, or marked synthetic without
    ``allow_synthetic: true`` (:func:`kadstudy.survey.io.provenance` decides)."""
    from kadstudy.survey.io import file_provenance, synthetic_refusal

    shown = spec.shown or str(spec.path)
    out = []
    for key, path in synthetic_inputs(project, spec):
        if not path.is_file():
            continue            # reported where the file is needed
        rel = path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)
        refusal = synthetic_refusal(f"{shown}: key '{key}': {rel}", file_provenance(path),
                                    spec.get("allow_synthetic") is True, SYNTHETIC_OPT_IN)
        if refusal:
            out.append(refusal)
    return out


def synthetic_source(project: Project, spec: AnalysisSpec) -> str | None:
    """The synthetic responses file ``spec`` reads (relative to the project root), if any."""
    from kadstudy.survey.io import file_provenance

    for _, path in synthetic_inputs(project, spec):
        if path.is_file() and file_provenance(path).synthetic:
            return path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) \
                else str(path)
    return None


def mark_synthetic(report: Report, source: str, lines: list[str] | None = None) -> None:
    """Flag ``report`` as derived from the synthetic responses ``source``
    (:meth:`kadstudy.report.render.Report.mark_synthetic`): the page shows SYNTHETIC in its title
    area, each table and figure file gets the SYNTHETIC suffix in its name, a CSV the first line
    :func:`kadstudy.survey.io.mark_line`, a Markdown table a caption line, an HTML table caption
    the [SYNTHETIC] tag (figures are watermarked while they are drawn, see :func:`build_report`)."""
    report.mark_synthetic(source, lines)


def build_report(project: Project, spec: AnalysisSpec) -> Report:
    """Dispatch on the spec's kind. A spec reading synthetic responses is refused unless it says
    ``allow_synthetic: true``; then every output is marked SYNTHETIC (:func:`mark_synthetic`)."""
    import importlib

    from kadstudy.pipeline.spec import kind_schemas
    from kadstudy.report.render import synthetic_figures

    if spec.kind not in kind_schemas():  # pragma: no cover - the schema rejects other kinds
        raise KadError(f"{spec.path}: key 'kind': unknown kind '{spec.kind}'")
    problems = synthetic_problems(project, spec)
    if problems:
        raise KadError("\n".join(problems))
    source = synthetic_source(project, spec)
    module = importlib.import_module(f"{__name__}.{spec.kind}")
    if source is None:
        return module.build(project, spec)
    with synthetic_figures():
        report = module.build(project, spec)
    lines = ["Some conditions (key survey_sets) are calibrated from SYNTHETIC survey responses: "
             "invented respondents, for demonstration only. No finding that involves them says "
             "anything about real forums."] if spec.get("survey_sets") else []
    mark_synthetic(report, source, lines)
    return report


__all__ = ["Report", "build_report", "common_sections", "load_cases"]
