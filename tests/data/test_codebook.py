"""Codebook checks that catch YAML slips in the allowed values."""

from __future__ import annotations

import pytest
import yaml

from kadstudy.data.codebook import parse_codebook
from kadstudy.errors import DataError
from tests.data.mini import CODEBOOK


def _with_values(var: str, values: str) -> dict:
    doc = yaml.safe_load(CODEBOOK)
    spec = next(v for v in doc["variables"] if v["id"] == var)
    spec["values"] = yaml.safe_load(values)
    return doc


def test_mini_codebook_parses():
    assert "active" in parse_codebook(yaml.safe_load(CODEBOOK)).ids


def test_binary_meaning_with_unquoted_comma_is_caught():
    # In a YAML flow mapping an unquoted comma splits the meaning into extra keys.
    doc = _with_values("active", '{"0": ended, dissolved or dormant, "1": active}')
    with pytest.raises(DataError, match="variable 'active': a binary variable has values 0 and 1"):
        parse_codebook(doc)


def test_fuzzy_values_must_be_in_unit_interval():
    doc = _with_values("commit", '{"0": out, "1.5": beyond}')
    with pytest.raises(DataError, match="fuzzy values must be numbers in"):
        parse_codebook(doc)
