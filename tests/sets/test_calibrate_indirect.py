"""Indirect calibration (Ragin 2008; R QCA's calibrate(method = "indirect")): fits known in
closed form, an independent Newton solver, properties, bad input and the command line."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kadstudy.sets import QCAInputError, QCAWarning, calibrate, calibrate_indirect
from kadstudy.sets.calibrate import indirect_anchors
from tests.conftest import run_cli


def logistic(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


# seven raw values, each its own range (thresholds halfway between), repeated unevenly
LEVELS = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
REPEAT = np.array([2, 1, 3, 2, 1, 2, 3])
X = np.repeat(LEVELS, REPEAT)
THRESHOLDS = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]


@pytest.mark.parametrize("basis", ["linear", "fracpoly"])
def test_anchors_on_a_logistic_curve_in_x_are_recovered(basis):
    """Anchors m_j = logistic(0.8 (x_j - 4)): the quasi-likelihood score equations
    Σ z_i (m_i - mu_i) = 0 hold at mu = m, and the log-likelihood is strictly concave, so
    the fit is m itself, with 2 parameters (linear) or 5 (fractional polynomial, which
    contains x) for 7 distinct values."""
    m = logistic(0.8 * (LEVELS - 4))
    got = calibrate_indirect(X, THRESHOLDS, m, basis=basis)
    assert got == pytest.approx(np.repeat(m, REPEAT), abs=2e-6)


def test_anchors_on_a_logistic_curve_in_log_x_need_the_fractional_polynomial():
    """m_j = logistic(-2 + 1.5 log x_j) lies in the span of the fractional polynomial (it has
    log x) but not of the linear logit, which cannot reproduce it."""
    m = logistic(-2 + 1.5 * np.log(LEVELS))
    expected = np.repeat(m, REPEAT)
    assert calibrate_indirect(X, THRESHOLDS, m) == pytest.approx(expected, abs=2e-6)
    linear = calibrate_indirect(X, THRESHOLDS, m, basis="linear")
    assert np.max(np.abs(linear - expected)) > 1e-3


def test_anchor_ranges_follow_r():
    """R: thresholds are sorted; y[x > t_i] gets the (i+1)-th value, so a value equal to a
    threshold stays in the range below; default values round(seq(0, 1, by = 1/k), 3)."""
    x = [0, 1, 2, 2.5, 3, 4, 5]
    assert indirect_anchors(x, [4, 2, 3]).tolist() == [0, 0, 0, 0.333, 0.333, 0.667, 1]
    assert indirect_anchors(x, [2], [0.9, 0.1]).tolist() == [0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1]
    assert indirect_anchors(x, [1, 2, 3, 4, 5, 6, 7]).tolist() == [
        0, 0, 0.143, 0.286, 0.286, 0.429, 0.571
    ]


def test_calibrate_method_indirect_is_calibrate_indirect():
    inc = [40110, 34400, 25200, 24920, 20060, 17090, 15320, 13680, 11720, 11290, 10940, 9800,
           7470, 4670, 4100, 4070, 3740, 3690, 3590, 2980, 1000, 650, 450, 110]
    th = [1000, 4000, 5000, 10000, 20000]
    assert calibrate(inc, th, method="indirect").tolist() == calibrate_indirect(inc, th).tolist()


def _newton_fractional_logit(design: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Independent solver: maximise Σ y log mu + (1 - y) log(1 - mu), mu = logistic(X b),
    by Newton's method: the step s solves X'WX s = X'(y - mu), W = mu(1 - mu), written as
    least squares on sqrt(W) X (so a rank-deficient X is fine)."""
    b = np.zeros(design.shape[1])
    for _ in range(200):
        mu = logistic(design @ b)
        grad = design.T @ (y - mu)
        sw = np.sqrt(mu * (1 - mu))
        step = np.linalg.lstsq(design * sw[:, None], (y - mu) / sw, rcond=None)[0]
        b = b + step
        if np.max(np.abs(grad)) < 1e-12:
            break
    return logistic(design @ b)


def test_ragin_income_example_matches_an_independent_newton_fit():
    """The example of R QCA's ?calibrate (per capita income, Ragin 2008), thresholds
    1000, 4000, 5000, 10000, 20000: anchors 0, .2, .4, .6, .8, 1; regressors log x, x^0.5, x,
    x^2 (standardised here too: the span, hence the fit, is the same); R's rounding to 6
    decimals and clamping below 1e-4 / above 0.9999."""
    inc = np.array([40110, 34400, 25200, 24920, 20060, 17090, 15320, 13680, 11720, 11290,
                    10940, 9800, 7470, 4670, 4100, 4070, 3740, 3690, 3590, 2980, 1000, 650,
                    450, 110], dtype=float)
    th = [1000, 4000, 5000, 10000, 20000]
    y = np.select([inc > 20000, inc > 10000, inc > 5000, inc > 4000, inc > 1000],
                  [1.0, 0.8, 0.6, 0.4, 0.2], 0.0)
    cols = [np.log(inc), np.sqrt(inc), inc, inc**2]
    design = np.column_stack([np.ones_like(inc)] + [(c - c.mean()) / c.std() for c in cols])
    expected = np.round(_newton_fractional_logit(design, y), 6)
    expected[expected < 1e-4] = 0
    expected[expected > 0.9999] = 1
    got = calibrate(inc, th, method="indirect")
    assert got == pytest.approx(expected, abs=2e-6)
    assert got.mean() == pytest.approx(y.mean(), abs=1e-4)  # Σ mu = Σ y (intercept)


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def raw_and_thresholds(draw):
    x = draw(st.lists(st.floats(0.5, 1e4, allow_nan=False), min_size=5, max_size=30))
    x = np.asarray(x)
    inner = np.unique(x)[:-1]  # a threshold at any value but the largest leaves a case above
    assume(len(inner) >= 1)
    th = draw(st.lists(st.sampled_from(list(inner)), min_size=1, max_size=min(5, len(inner)),
                       unique=True))
    return x, th


def _fit(x, th, memberships=None, basis="fracpoly"):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", QCAWarning)
        fs = calibrate_indirect(x, th, memberships, basis=basis)
    return fs, any(issubclass(w.category, QCAWarning) for w in caught)


@SETTINGS
@given(raw_and_thresholds(), st.sampled_from(["fracpoly", "linear"]))
def test_bounds_and_mirror_symmetry(data, basis):
    """Memberships lie in [0, 1]; reversing the anchors (the set of low values) gives
    1 - memberships, since the quasi-likelihood is symmetric in y <-> 1 - y."""
    x, th = data
    fs, warned = _fit(x, th, basis=basis)
    assert np.all((fs >= 0) & (fs <= 1))
    default = indirect_anchors(x, th)
    k = len(th)
    reverse = [round(1 - j / k, 3) for j in range(k + 1)]
    rs, warned_r = _fit(x, th, reverse, basis=basis)
    assert np.all((rs >= 0) & (rs <= 1))
    assume(not (warned or warned_r))
    assert rs == pytest.approx(1 - fs, abs=3e-6)
    assert fs.mean() == pytest.approx(default.mean(), abs=2e-4)  # score equation of b0


@SETTINGS
@given(raw_and_thresholds())
def test_linear_basis_is_monotone(data):
    """With increasing anchors the slope of the linear logit is positive (Σ (x - x̄)(y - mu) = 0
    and cov(x, y) > 0), so memberships never decrease as x grows; decreasing anchors give
    the reverse."""
    x, th = data
    order = np.argsort(x, kind="stable")
    fs, _ = _fit(x, th, basis="linear")
    assert np.all(np.diff(fs[order]) >= 0)
    k = len(th)
    down, _ = _fit(x, th, [1 - j / k for j in range(k + 1)], basis="linear")
    assert np.all(np.diff(down[order]) <= 0)


@SETTINGS
@given(raw_and_thresholds(), st.floats(0.01, 100))
def test_fractional_polynomial_ignores_the_unit_of_x(data, scale):
    """log(cx), (cx)^0.5, cx, (cx)^2 span the same space as log x, x^0.5, x, x^2 (with the
    intercept): rescaling x and the thresholds leaves the memberships unchanged."""
    x, th = data
    fs, warned = _fit(x, th)
    fs2, warned2 = _fit(x * scale, [t * scale for t in th])
    assume(not (warned or warned2))
    assert fs2 == pytest.approx(fs, abs=3e-6)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "th", "kwargs", "words"),
    [
        ([-1, 2, 3, 4], [2], {}, "negative"),
        ([1, 2, 3, 4], [2, 2], {}, "twice"),
        ([1, 2, 3, 4], [], {}, "no thresholds"),
        ([1, 2, 3, 4], [2, 3], {"memberships": [0, 1]}, "3 memberships"),
        ([1, 2, 3, 4], [2], {"memberships": [0, 1.5]}, "[0, 1]"),
        ([1, 2, 3, 4], [10], {}, "same anchor"),
        ([1, None, 3, 4], [2], {}, "missing or not numeric"),
        ([1, 2, 3, 4], ["a"], {}, "must be numbers"),
        ([1, 2, 3, 4], [2], {"basis": "cubic"}, "basis"),
    ],
)
def test_bad_input(x, th, kwargs, words):
    with pytest.raises(QCAInputError) as exc:
        calibrate_indirect(x, th, name="GDP", **kwargs)
    assert words in str(exc.value)
    assert "\n" not in str(exc.value)


def test_linear_basis_accepts_negative_values():
    fs = calibrate_indirect([-3, -1, 0, 1, 3, 5], [-2, 0, 2], [0.1, 0.3, 0.7, 0.9], basis="linear")
    assert np.all(np.diff(fs) > 0)


def test_calibrate_method_errors():
    with pytest.raises(QCAInputError, match="fuzzy"):
        calibrate([1, 2, 3], [2], "crisp", method="indirect")
    with pytest.raises(QCAInputError, match="unknown"):
        calibrate([1, 2, 3], [1, 2, 3], method="ecdf")


def test_perfect_separation_warns():
    with pytest.warns(QCAWarning, match="separate"):
        fs = calibrate_indirect([1, 2, 3, 4, 5, 6], [3.5])
    assert fs.tolist() == [0, 0, 0, 1, 1, 1]


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def raw_csv(tmp_path):
    path = tmp_path / "raw.csv"
    frame = pd.DataFrame({"case": [f"k{i}" for i in range(len(X))], "GDP": X, "POP": X[::-1]})
    frame.to_csv(path, index=False)
    return path


def test_cli_calibrate_indirect(raw_csv, capsys):
    m = logistic(0.8 * (LEVELS - 4))
    code, out, _ = run_cli(["qca", "calibrate", str(raw_csv), "--column", "GDP", "--method", "indirect",
                         "--thresholds", ",".join(map(str, THRESHOLDS)),
                         "--memberships", ",".join(repr(float(v)) for v in m)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "case,GDP"
    values = np.array([float(line.split(",")[1]) for line in lines[1:]])
    assert values == pytest.approx(np.repeat(m, REPEAT), abs=2e-6)
    code, out, _ = run_cli(["qca", "calibrate", str(raw_csv), "--column", "GDP", "--method", "indirect",
                         "--thresholds", "2.5,4.5", "--basis", "linear", "--format", "json"], capsys)
    assert code == 0 and '"method": "indirect"' in out


@pytest.mark.parametrize(
    "extra",
    [
        ["--method", "indirect", "--thresholds", "2.5,4.5", "--memberships", "0,1"],
        ["--method", "indirect", "--thresholds", "2.5,4.5", "--type", "crisp"],
        ["--method", "direct", "--thresholds", "2,4,6", "--memberships", "0,0.5,1"],
        ["--method", "indirect", "--thresholds", "2.5,2.5"],
        ["--method", "sideways", "--thresholds", "2.5"],
    ],
)
def test_cli_calibrate_indirect_bad_input_exits_2(raw_csv, capsys, extra):
    code, out, err = run_cli(["qca", "calibrate", str(raw_csv), "--column", "GDP", *extra], capsys)
    assert code == 2
    assert out == "" and err.strip()
