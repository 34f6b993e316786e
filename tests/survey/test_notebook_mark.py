"""In a notebook, a scale analysis of SYNTHETIC responses says so (issue 13): in ``summary()``, in
the title of its HTML display and in its table's ``attrs``; an analysis of real-looking responses
carries no mark. The shipped responses are synthetic by their first line and their name."""

from __future__ import annotations

from pathlib import Path

import pytest

from kadstudy.survey import io as sio
from kadstudy.survey.analysis import analyse
from tests.survey.conftest import REPO

SHIPPED = REPO / "datasets" / "survey" / "responses_SYNTHETIC.csv"


@pytest.fixture(scope="module")
def shipped(instrument):
    return sio.read_responses(SHIPPED, instrument, None)


def small_real(shipped, instrument, folder: Path) -> sio.Responses:
    """30 respondents of three forums written to a plain ``resp.csv`` without the header lines: a
    file nothing marks synthetic."""
    frame = shipped.frame[shipped.frame["forum_id"].isin(sorted(set(shipped.frame["forum_id"]))[:3])]
    frame = frame.groupby("forum_id").head(10).reset_index(drop=True)
    frame.attrs = {}
    path = folder / "resp.csv"
    sio.write_text(path, sio.responses_csv(frame, instrument))
    return sio.read_responses(path, instrument, None)


def title_of(html: str) -> str:
    return html.split("<strong>", 1)[1].split("</strong>", 1)[0]


@pytest.mark.parametrize("given", ["responses", "frame"])
def test_shipped_synthetic_responses_are_marked(shipped, instrument, given):
    assert shipped.synthetic
    res = analyse(shipped if given == "responses" else shipped.frame, instrument, with_factors=False)
    text = res.summary()
    first = text.splitlines()[0]
    # the file has 691 lines: 3 notes, the header and 687 respondents
    assert first.startswith("SYNTHETIC DATA: Scale analysis of 687 respondents")
    assert "not data about real officials or forums" in text
    assert "responses_SYNTHETIC.csv" in text
    html = res._repr_html_()
    assert title_of(html).startswith("SYNTHETIC DATA: Scale analysis")
    assert repr(res).startswith("SYNTHETIC DATA")
    assert "responses_SYNTHETIC.csv" in res.to_frame().attrs["synthetic"]


def test_small_real_frame_is_not_marked(shipped, instrument, tmp_path):
    real = small_real(shipped, instrument, tmp_path)
    assert not real.synthetic and "synthetic" not in real.frame.attrs
    for given in (real, real.frame):
        res = analyse(given, instrument, with_factors=False, min_respondents=5)
        text = res.summary()
        assert text.startswith("Scale analysis of 30 respondents, 3 forums with memberships")
        assert "SYNTHETIC" not in text and "SYNTHETIC" not in res._repr_html_()
        assert "synthetic" not in res.to_frame().attrs


def test_a_synthetic_column_or_the_caller_marks_a_bare_frame(shipped, instrument, tmp_path):
    frame = small_real(shipped, instrument, tmp_path).frame
    res = analyse(frame.assign(synthetic_flag=1), instrument, with_factors=False, min_respondents=5)
    assert res.summary().startswith("SYNTHETIC DATA") and "column 'synthetic_flag'" in res.summary()
    res = analyse(frame, instrument, with_factors=False, min_respondents=5, synthetic=True)
    assert title_of(res._repr_html_()).startswith("SYNTHETIC DATA")
    res = analyse(shipped, instrument, with_factors=False, synthetic=False)      # the caller decides
    assert "SYNTHETIC" not in res.summary()
