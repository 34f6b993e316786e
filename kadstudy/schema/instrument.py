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


class Passage(Strict):
    """A grounding: ``{source: seed004, lines: "111-117", quote: ...}``."""

    source: Any = None
    lines: Any = None
    quote: Any = None


class ResponseScale(Strict):
    min: Any = Field(description="write min: 1, max: 5")
    max: Any = Field(description="write min: 1, max: 5")
    labels: dict[int, Any] = None


class Source(Strict):
    file_prefix: Text = None
    citation: Text = Field(description="give the document's citation")


class Item(Strict):
    id: Any = None
    text: dict[str, Any] = None
    response: Any = None
    reverse: Any = None
    grounding: list[Passage] = None


class Scale(Strict):
    id: Any = None
    label: dict[str, Any] = None
    set: Any = None
    definition: Any = None
    items: list[Item] = None
    grounding: list[Passage] = None
    anchors: Any = None


class Composite(Strict):
    id: Any = None
    label: dict[str, Any] = None
    set: Any = None
    scales: Any = None
    definition: Any = None
    grounding: list[Passage] = None
    anchors: Any = None


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
    response_scales: dict[str, ResponseScale] = _section("response_scales")
    roles: dict[str, Any] = _section("roles")
    scoring: Scoring = None
    sources: dict[str, Source] = _section("sources")
    scales: list[Scale] = _section("scales")
    composites: list[Composite] = None
    calibration: CalibrationSection = _section("calibration")
