"""A dataset's ``codebook.yaml``: its keys, sources and variables.

What depends on several keys at once (a binary variable's values are 0 and 1, groundings cite
known sources, ids are unique) is checked by :func:`kadstudy.data.codebook.parse_codebook`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kadstudy.schema.fields import Bool, Of, Strict, Text, one_of

TYPES = ("binary", "ordinal", "categorical", "fuzzy", "count", "year", "text")


class Label(Strict):
    en: Text = Field(description="give the English label, label: {en: ..., id: ...}")
    id: Text = Field(description="give the Indonesian label, label: {en: ..., id: ...}")


class Source(Strict):
    file_prefix: Text = None
    citation: Text = Field(description="give the source's citation")
    url: Text = None
    note: Text = None


class Grounding(Strict):
    """A passage of a source that grounds a variable."""

    source: Text = Field(description="name the source, e.g. source: seed001")
    lines: Any = None
    quote: Any = None
    note: Any = None


class CodebookVariable(Strict):
    """One variable: ``{id, label: {en, id}, type, values, definition, grounding, ...}``."""

    id: Any = Field(description="give each variable an id (a lower-case slug)")
    label: Label = Field(description="give label: {en: ..., id: ...}")
    type: Of(one_of(*TYPES)) = Field(description=f"give its type, one of {', '.join(TYPES)}")
    values: dict[Any, Any] = None
    definition: Text = Field(description="define the variable")
    rule: Text = None   # the written coding rule(s) applied to every forum alike
    required: Bool = None
    multiple: Bool = None
    grounding: list[Grounding] = None


class ClassStatement(Strict):
    """A class-level statement (rule R1): the passage and the forums of the class it speaks of."""

    source: Text = Field(description="name the source, e.g. source: seed001")
    lines: Text = Field(description="give the passage's lines as N or N-M")
    about: Text = None
    forums: list[Text] = Field(description="list the forum ids of the class")


class CodingRule(Strict):
    """One written coding rule: ``{id: R1, title, text, variables: [...], classes: [...]}``."""

    id: Text = Field(description="give each rule an id R1, R2, ...")
    title: Text = Field(description="give the rule a title")
    text: Text = Field(description="write the rule")
    variables: list[Text] = None
    classes: list[ClassStatement] = None


class CodebookDoc(Strict):
    """The top-level keys of a codebook."""

    dataset: Text
    title: Any = None
    case_id: Text
    case_id_rule: Text = None
    sources: dict[str, Source] = Field(description="list the sources: id -> {file_prefix, citation}")
    missing_codes: dict[str, Any] = Field(description="list the missing codes: code -> meaning")
    fuzzy4: Any = None   # a YAML anchor for the four-value fuzzy scale
    variables: list[CodebookVariable] = Field(description="list the variables")
    rules: list[CodingRule] = None
