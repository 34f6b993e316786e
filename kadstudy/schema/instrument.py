"""The survey instrument ``datasets/survey/instrument.yaml``: its sections.

The sections' contents (response scales, scales and their items, composites, groundings) are
checked by :func:`kadstudy.survey.instrument.parse_instrument`, which builds the instrument and
names each problem by its scale or item id.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kadstudy.schema.fields import Strict, Text

SEE = "(see datasets/survey/instrument.yaml)"


def _section(key: str) -> Any:
    return Field(description=f"add the '{key}' section {SEE}")


class Scoring(Strict):
    min_answered: Any = None


class CalibrationSection(Strict):
    anchors: Any = Field(description="write anchors: [exclusion, crossover, inclusion]")
    min_respondents: Any = None


class InstrumentDoc(Strict):
    """The top-level sections of an instrument file."""

    instrument: Text = _section("instrument")
    version: Any = None
    title: Any = _section("title")
    operationalisation: Text = _section("operationalisation")
    respondents: Text = None
    preamble: Any = None
    response_scales: Any = _section("response_scales")
    roles: Any = _section("roles")
    scoring: Scoring = None
    sources: Any = _section("sources")
    scales: Any = _section("scales")
    composites: Any = None
    calibration: CalibrationSection = _section("calibration")
