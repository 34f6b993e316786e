"""``.. schema-fields:: dotted.Model``: a table of the keys of a file format, from its pydantic model.

The directive's content describes each key, one key per line followed by its indented description::

    .. schema-fields:: kadstudy.schema.addcase.CaseFile

       forum_id
          The forum's id: a lower-case slug.

Whether a key is required and its alias (``from`` for ``from_``) come from the model. A key of the
model that the content does not describe, or a described key that the model lacks, is a warning
(an error under ``sphinx-build -W``): the page cannot fall behind the schema. The argument may
also name a tuple of CSV column names (every column is required in the header). With ``:own-keys:``
only the keys a model adds to its base model are listed (the base has its own table).
"""

from __future__ import annotations

import importlib
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def model_keys(model: type, own_only: bool = False) -> dict[str, bool]:
    """The keys of a pydantic model as written in a file (aliases), mapped to whether required."""
    inherited: set[str] = set()
    if own_only:
        for base in model.__mro__[1:]:
            inherited |= set(getattr(base, "model_fields", {}))
    return {(f.alias or name): f.is_required() for name, f in model.model_fields.items()
            if name not in inherited}


def _import(dotted: str) -> type:
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def parse_descriptions(lines: list[str]) -> dict[str, list[str]]:
    """Key lines (not indented) each followed by their indented description lines."""
    out: dict[str, list[str]] = {}
    key = None
    for line in lines:
        if line.strip() and not line[0].isspace():
            key = line.strip()
            out[key] = []
        elif key is not None:
            out[key].append(line.strip())
    return out


def mismatches(keys: dict[str, bool], described: dict[str, list[str]], name: str) -> list[str]:
    """What the page lacks (keys of the model it does not describe) and what it describes wrongly."""
    out = [f"key '{key}' of {name} is not documented" for key in keys if key not in described]
    out += [f"'{key}' is not a key of {name}" for key in described if key not in keys]
    return out


class SchemaFields(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict] = {"own-keys": directives.flag}

    def run(self) -> list[nodes.Node]:
        dotted = self.arguments[0]
        try:
            model = _import(dotted)
        except (ImportError, AttributeError) as exc:
            logger.warning("schema-fields: cannot import %s (%s)", dotted, exc, location=self.get_location())
            return []
        if isinstance(model, tuple):   # the columns of a CSV file: every one is in the header
            keys = dict.fromkeys(model, True)
        else:
            keys = model_keys(model, "own-keys" in self.options)
        described = parse_descriptions(list(self.content))
        for problem in mismatches(keys, described, dotted):
            logger.warning("schema-fields: %s", problem, location=self.get_location())
        rows = [".. list-table::", "   :header-rows: 1", "   :widths: 20 12 68", "",
                "   * - key", "     - required", "     - meaning"]
        for key, required in keys.items():
            text = " ".join(x for x in described.get(key, []) if x) or "(undocumented)"
            rows += [f"   * - ``{key}``", f"     - {'yes' if required else 'no'}", f"     - {text}"]
        container = nodes.container(classes=["schema-fields"])
        self.state.nested_parse(StringList(rows, source=self.get_source_info()[0]), self.content_offset,
                                container)
        return [container]


def setup(app):
    app.add_directive("schema-fields", SchemaFields)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
