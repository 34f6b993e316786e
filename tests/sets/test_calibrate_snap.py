"""R QCA's calibrate() sets direct fuzzy memberships below 0.0001 to 0 and above 0.9999 to 1
(R/calibrate.R: ``fs[fs < 0.0001] <- 0; fs[fs > 0.9999] <- 1``, after both the logistic and
the s-shaped function). Expected values worked by hand."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kadstudy.sets import calibrate
from kadstudy.sets.calibrate import snap


def test_logistic_tails_snap_by_hand():
    """e=2, c=5, i=8: f(x) = 1/(1 + 19^(-(x-5)/3)).
    x=-5: 1/(1 + 19^(10/3)) ~ 5.5e-5 < 1e-4 -> 0; x=-4: 1/(1 + 19^3) = 1/6860 ~ 1.46e-4, kept;
    x=15: 1 - 5.5e-5 > 0.9999 -> 1; x=14: 1 - 1/6860, kept."""
    out = calibrate([-5, -4, 14, 15], [2, 5, 8])
    assert out[0] == 0.0
    assert out[1] == pytest.approx(1 / 6860, rel=1e-12)
    assert out[2] == pytest.approx(1 - 1 / 6860, rel=1e-12)
    assert out[3] == 1.0
    dec = calibrate([-5, -4, 14, 15], [8, 5, 2])  # decreasing: mirror image
    assert dec[0] == 1.0 and dec[3] == 0.0
    assert dec[1] == pytest.approx(1 - 1 / 6860, rel=1e-12)


def test_s_shape_tails_snap_by_hand():
    """Linear s-shape e=0, c=5, i=10: below c, f = (x/5)/2 = x/10; above c, 1 - (10-x)/10.
    x=0.0005 -> 5e-5 -> 0; x=0.002 -> 2e-4 kept; x=9.9995 -> 1 - 5e-5 -> 1; x=9.998 kept."""
    out = calibrate([0.0005, 0.002, 9.9995, 9.998], [0, 5, 10], logistic=False)
    assert out[0] == 0.0
    assert out[1] == pytest.approx(2e-4)
    assert out[2] == 1.0
    assert out[3] == pytest.approx(1 - 2e-4)


def test_snap_boundaries_are_strict():
    """R compares strictly: 0.0001 and 0.9999 themselves stay."""
    got = snap(np.array([0.0, 0.00009999, 0.0001, 0.5, 0.9999, 0.99990001, 1.0]))
    assert got.tolist() == [0.0, 0.0, 0.0001, 0.5, 0.9999, 1.0, 1.0]


@given(st.lists(st.floats(-50, 60, allow_nan=False), min_size=1, max_size=20))
def test_no_membership_inside_the_snapped_tails(xs):
    out = calibrate(xs, [2, 5, 8])
    assert not np.any((out > 0) & (out < 1e-4))
    assert not np.any((out < 1) & (out > 1 - 1e-4))
    raw = 1 / (1 + np.exp(-(np.asarray(xs) - 5) * math.log(19) / 3))
    keep = (raw >= 1e-4) & (raw <= 1 - 1e-4)
    np.testing.assert_allclose(out[keep], raw[keep], rtol=1e-12)
