"""Analysis files ``analyses/<name>.yaml``: the keys every kind shares.

A kind (a module in ``kadstudy.pipeline.kinds``) declares its own keys as a subclass of
:class:`AnalysisBase` named ``SCHEMA``, built from the field types of :mod:`kadstudy.schema.fields`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, create_model, model_validator

from kadstudy.parallel import address_problem
from kadstudy.schema.errors import problem
from kadstudy.schema.fields import (
    Bool,
    Check,
    DatasetName,
    NonNegative,
    Numbers,
    Of,
    ProjectPath,
    Refers,
    Select,
    Strict,
    Text,
    VarName,
    check_set_keys,
    one_of,
    whole_range,
)

PATHS = "paths are relative to the project root"


class SurveySets(Strict):
    """``survey_sets:``: the survey's forum-level sets joined onto the cases."""

    instrument: ProjectPath = Field(description=f"name the instrument YAML file ({PATHS})")
    responses: ProjectPath = Field(description=f"name the responses CSV file ({PATHS})")
    min_respondents: Of(whole_range(2)) = None
    keep_thin: Bool = None


class Calibration(Strict):
    """One set made from a raw variable: ``{from: n_members, type: fuzzy, thresholds: [2, 4.5, 8]}``."""

    from_: VarName = Field(alias="from", description="name the raw variable, from: <variable>")
    type: Of(one_of("fuzzy", "crisp")) = Field(description="write type: fuzzy or type: crisp")
    thresholds: Numbers = Field(description="give the thresholds, e.g. [2, 4.5, 8]")

    @model_validator(mode="after")
    def _three_anchors(self) -> Calibration:
        if self.type == "fuzzy" and len(self.thresholds) != 3:
            raise problem("a fuzzy calibration takes three anchors [exclusion, crossover, "
                          f"inclusion], got {self.thresholds!r}")
        return self


Calibrations = Annotated[dict[str, Calibration], AfterValidator(check_set_keys), Refers("calibration")]


class AnalysisBase(Strict):
    """The keys every analysis file has."""

    kind: Any = None  # checked against the known kinds before the model is chosen
    title: Text
    description: Text = None
    dataset: DatasetName
    select: Select = None
    survey_sets: SurveySets = None
    allow_synthetic: Bool = None     # true: a report on SYNTHETIC survey responses (marked SYNTHETIC)
    scheduler: Of(address_problem) = None  # tcp://host:port: run the sweeps on this Dask cluster


#: ``population:`` values: which coded forums are cases (the definitions live in
#: :mod:`kadstudy.pipeline.population`)
POPULATIONS = ("governments", "bodies", "all")
#: ``case_groups:`` values: one case per group of jointly described forums, or every forum
CASE_GROUPS = ("one_per_group", "per_case")


class DurabilityThresholds(Strict):
    """The thresholds of the calibrated outcome ``durable`` (:mod:`kadstudy.data.outcome`)."""

    label: Text = None
    min_age: NonNegative = None
    institutions: Of(whole_range(0, 3)) = None
    young: Of(one_of("missing", "out")) = None
    observations: Of(one_of("all", "primary")) = None


def _distinct_labels(v: Any) -> Any:
    labels = [alt.label for alt in v if alt.label]
    dup = sorted({x for x in labels if labels.count(x) > 1})
    if dup:
        raise problem(f"label '{dup[0]}' is used twice; give each alternative its own label")
    return v


class Durability(DurabilityThresholds):
    """``durability:``: how ``durable`` is calibrated from the outcome components, e.g. ``{min_age:
    5, institutions: 0, young: missing, observations: all, alternatives: [{min_age: 3}, ...]}``;
    each alternative changes some thresholds and is shown in the report's sensitivity table."""

    alternatives: Annotated[list[DurabilityThresholds], AfterValidator(_distinct_labels)] | None = None


class CaseAnalysis(AnalysisBase):
    """The keys of a kind that analyses the cases of a coded dataset: which forums are cases
    (``population``, default ``governments``) and how forums a source describes jointly count
    (``case_groups``, default ``one_per_group``)."""

    population: Of(one_of(*POPULATIONS)) = None
    case_groups: Of(one_of(*CASE_GROUPS)) = None
    durability: Durability = None


def model_from_checks(kind: str, schema: dict[str, tuple[Check, bool]]) -> type[AnalysisBase]:
    """A kind model from an older plug-in's ``SCHEMA = {key: (check, required)}``."""
    from kadstudy.schema.fields import checked

    spec: dict[str, Any] = {
        key: (Annotated[Any, checked(check)], ... if required else None)
        for key, (check, required) in schema.items()}
    return create_model(f"{kind.title()}Spec", __base__=AnalysisBase, **spec)
