"""The check ``kadstudy run`` makes before it builds anything: every variable, set and condition
an analysis file names exists in its dataset (or is defined by the file).

The kinds' schemas mark such keys with :class:`kadstudy.schema.fields.Refers`; this module
compares their values with the dataset's codebook, the sets defined under ``calibrate`` and the
survey sets joined by ``survey_sets``. A problem is one line naming the file and the key, and
stops the run with exit code 2 before any report is touched.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kadstudy.errors import KadError
from kadstudy.pipeline.spec import AnalysisSpec, SpecError
from kadstudy.schema.errors import fields, printable
from kadstudy.schema.fields import Refers

if TYPE_CHECKING:
    from kadstudy.pipeline.graph import Project


def _names(value: Any) -> list[str]:
    """The names a value gives: a name, a list of names, or a mapping's keys."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list):
        return [str(x) for x in value]
    return []


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def dataset_variables(project: Project, spec: AnalysisSpec) -> set[str]:
    """The variable ids of the spec's dataset, with ``durable`` where it is calibrated from the
    outcome components (:mod:`kadstudy.data.outcome`)."""
    from kadstudy.data.dataset import Dataset
    from kadstudy.data.outcome import OUTCOME, can_calibrate

    folder = project.root / "datasets" / spec.dataset
    ids = set(Dataset.named(folder if folder.is_dir() else spec.dataset).codebook().ids)
    return ids | {OUTCOME} if can_calibrate(ids) else ids


def survey_set_names(project: Project, spec: AnalysisSpec) -> set[str]:
    """The sets ``survey_sets`` joins onto the cases (none without it)."""
    opts = spec.get("survey_sets")
    if not opts:
        return set()
    from kadstudy.survey.io import read_instrument

    inst = read_instrument(project.root / opts["instrument"])
    return {inst.set_name(s) for s in inst.score_names}


def _population_problems(shown: str, spec: AnalysisSpec, variables: set[str]) -> list[str]:
    """A ``population`` or ``case_groups`` the dataset cannot support (it does not code the
    variables they read: membership and stage, case_group)."""
    needs = {"population": (spec.get("population") not in (None, "all"), ("membership", "stage"), "all"),
             "case_groups": (spec.get("case_groups") == "one_per_group", ("case_group",), "per_case")}
    out = []
    for key, (used, needed, fallback) in needs.items():
        absent = [v for v in needed if v not in variables]
        if used and absent:
            out.append(f"{shown}: key '{key}': {spec.get(key)} needs variable '{absent[0]}', which "
                       f"dataset '{spec.dataset}' does not code; write {key}: {fallback}")
    return out


def spec_problems(project: Project, spec: AnalysisSpec) -> list[str]:
    """One line per name in ``spec`` that its dataset does not have."""
    shown = spec.shown or str(spec.path)
    try:
        variables = dataset_variables(project, spec)
    except KadError as exc:   # the dataset's own problems, each on its line (named once below)
        return str(exc).splitlines()
    try:
        survey = survey_set_names(project, spec)
    except KadError as exc:
        return [f"{shown}: key 'survey_sets.instrument': {exc}"]
    from kadstudy.pipeline.kinds import synthetic_problems

    out = synthetic_problems(project, spec) + _population_problems(shown, spec, variables)
    calibrated = {str(k) for k in spec.get("calibrate") or {}}
    conditions = _names(spec.get("conditions"))
    known_vars = variables | survey
    known_sets = known_vars | calibrated
    for key, info in fields(spec.model).items():
        value = spec.get(key)
        for mark in (m for m in info.metadata if isinstance(m, Refers)):
            if value is None:
                continue
            if mark.what == "variable":     # select is applied before the survey sets are joined
                known = variables if key == "select" else known_vars
                out += [f"{shown}: key '{key}': unknown variable '{n}' in dataset '{spec.dataset}'"
                        + _hint(n, known) for n in _names(value) if n not in known]
            elif mark.what == "set" and "calibrate" not in fields(spec.model):
                out += [f"{shown}: key '{key}': unknown variable '{n}' in dataset '{spec.dataset}'"
                        + _hint(n, known_vars)
                        for n in (x.removeprefix("~") for x in _names(value)) if n not in known_vars]
            elif mark.what == "set":
                where = "nor defined under 'calibrate'" + (" nor a survey set" if survey else "")
                out += [f"{shown}: key '{key}': unknown set '{n}': not a variable of dataset "
                        f"'{spec.dataset}' {where}" + _hint(n, known_sets)
                        for n in (x.removeprefix("~") for x in _names(value)) if n not in known_sets]
            elif mark.what == "condition":
                out += [f"{shown}: key '{key}': '{n}' is not one of the conditions "
                        f"({', '.join(conditions)}); give expectations for conditions only"
                        + _hint(n, conditions) for n in _names(value) if n not in conditions]
            elif mark.what == "calibration":
                out += [f"{shown}: key '{key}.{name}.from': unknown variable '{how['from']}' in "
                        f"dataset '{spec.dataset}'" + _hint(how["from"], variables)
                        for name, how in value.items() if how["from"] not in variables]
    return out


def check_names(project: Project, specs: list[AnalysisSpec], names: tuple[str, ...] = ()) -> None:
    """Raise :class:`SpecError` (one line per problem) when a spec selected by ``names`` (all
    when empty, or when the index, which needs every report, is named) names a variable, set or
    condition its dataset does not have."""
    from kadstudy.pipeline.graph import INDEX

    chosen = specs if not names or INDEX in names else [s for s in specs if s.name in names]
    problems = list(dict.fromkeys(printable(line) for spec in chosen
                                  for line in spec_problems(project, spec)))
    if problems:
        raise SpecError("\n".join(problems))
