"""Fixtures of the survey tests: the shipped instrument, and a tiny project in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kadstudy.survey import io as sio
from kadstudy.survey.instrument import Instrument

REPO = Path(__file__).resolve().parents[2]
INSTRUMENT = REPO / "datasets" / "survey" / "instrument.yaml"


@pytest.fixture(scope="session")
def instrument() -> Instrument:
    return sio.read_instrument(INSTRUMENT)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root with the shipped instrument and a three-forum case table (forums.csv)."""
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    survey = tmp_path / "datasets" / "survey"
    survey.mkdir(parents=True)
    shutil.copy(INSTRUMENT, survey / "instrument.yaml")
    cases = tmp_path / "datasets" / "kad_forums"
    cases.mkdir(parents=True)
    (cases / "forums.csv").write_text("forum_id,name\nalpha,Forum Alpha\nbeta,Forum Beta\n"
                                      "gamma,Forum Gamma\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path
