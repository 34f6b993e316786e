"""SYNTHETIC survey responses from a stated latent-factor model, so the true structure is known.

Nothing made here is data about real officials or forums: the file name and its header say
SYNTHETIC, and every report that reads it prints a SYNTHETIC banner.

The model (all numbers below are the planted truth that tests recover):

* five latent factors, one per scale of the instrument (trust, reciprocity, network, commitment,
  benefit), standard normal with correlations ``FACTOR_CORR``;
* forum random effects: a share ``FORUM_SHARE`` of every factor's variance lies between forums,
  eta_ij = u_j + e_ij with u_j ~ N(0, s * Phi) and e_ij ~ N(0, (1 - s) * Phi), so the factors'
  total covariance is Phi and each factor's latent ICC is s;
* latent item responses y*_ik = m_scale(k) + lambda_k * eta_i,scale(k) + sqrt(1 - lambda_k^2) * eps,
  eps ~ N(0, 1), with the loadings ``LOADINGS`` and scale intercepts ``INTERCEPTS``;
* answers on the 1-5 scale: 1 + the number of ``THRESHOLDS`` that y* exceeds; a reverse-keyed item
  is answered as min + max - that answer (officials high on trust disagree with a distrust item);
* item nonresponse completely at random with probability ``MISSING_RATE``;
* respondents per forum uniform on ``N_RANGE``, except a share ``THIN_SHARE`` of forums (drawn at
  random) with ``THIN_RANGE`` respondents, so the thin-forum flag has something to flag; roles
  uniform over the instrument's roles; 2-8 member governments per forum named member_01, ...

The forum ids are read at run time from the case dataset (``datasets/kad_forums/forums.csv``);
forum effects are drawn independently of anything coded about the forums.

Run ``kadstudy survey synthesize`` (or ``python -m kadstudy.survey.synthetic``) to write
``datasets/survey/responses_SYNTHETIC.csv``; the same seed gives the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from kadstudy.survey.instrument import Instrument

SEED = 20050
SCALES = ("trust", "reciprocity", "network", "commitment", "benefit")
LOADINGS: dict[str, float] = {
    "trust_1": 0.80, "trust_2": 0.75, "trust_3": 0.70, "trust_4": 0.60, "trust_5": 0.65,
    "recip_1": 0.75, "recip_2": 0.70, "recip_3": 0.75, "recip_4": 0.60,
    "net_1": 0.75, "net_2": 0.80, "net_3": 0.70, "net_4": 0.60, "net_5": 0.55,
    "commit_1": 0.80, "commit_2": 0.75, "commit_3": 0.70, "commit_4": 0.60, "commit_5": 0.75,
    "benefit_1": 0.80, "benefit_2": 0.70, "benefit_3": 0.75, "benefit_4": 0.60,
}
FACTOR_CORR = np.array([
    # trust reciprocity network commitment benefit
    [1.00, 0.50, 0.45, 0.30, 0.40],
    [0.50, 1.00, 0.40, 0.25, 0.35],
    [0.45, 0.40, 1.00, 0.30, 0.30],
    [0.30, 0.25, 0.30, 1.00, 0.40],
    [0.40, 0.35, 0.30, 0.40, 1.00],
])
INTERCEPTS: dict[str, float] = {"trust": 0.30, "reciprocity": 0.20, "network": 0.10, "commitment": 0.40,
                                "benefit": 0.35}
THRESHOLDS = (-1.5, -0.5, 0.5, 1.5)
FORUM_SHARE = 0.25
MISSING_RATE = 0.01
N_RANGE = (10, 25)
THIN_SHARE = 0.1
THIN_RANGE = (3, 7)
MEMBERS_RANGE = (2, 8)


def check_model(instrument: Instrument) -> None:
    """The planted model must cover the instrument exactly (same scales, a loading per item)."""
    if tuple(instrument.scales) != SCALES:
        raise ValueError(f"the synthetic model plants scales {', '.join(SCALES)}; the instrument has "
                         f"{', '.join(instrument.scales)}: update kadstudy/survey/synthetic.py")
    missing = [i for i in instrument.items if i not in LOADINGS]
    extra = [i for i in LOADINGS if i not in instrument.items]
    if missing or extra:
        raise ValueError(f"planted loadings do not match the instrument items (no loading for: "
                         f"{', '.join(missing) or '-'}; unknown: {', '.join(extra) or '-'}): update "
                         "LOADINGS in kadstudy/survey/synthetic.py")
    for item in instrument.items.values():
        if (item.response.min, item.response.max) != (1, 5):
            raise ValueError(f"item '{item.id}': the synthetic model answers on 1-5 only")


def generate(instrument: Instrument, forum_ids: list[str], seed: int = SEED, *,
             n_range: tuple[int, int] = N_RANGE, thin_share: float = THIN_SHARE,
             thin_range: tuple[int, int] = THIN_RANGE, missing_rate: float = MISSING_RATE,
             forum_share: float = FORUM_SHARE, latent: bool = False
             ) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Responses (respondent_id, forum_id, member_government, role, one float column per item with
    NaN for no answer) for the given forums, drawn from the model above. With ``latent=True`` also
    the continuous keyed responses y* (items x respondents, before cutting, reverse-keying and
    nonresponse)."""
    check_model(instrument)
    rng = np.random.default_rng(seed)
    forums = sorted(dict.fromkeys(forum_ids))
    if not forums:
        raise ValueError("no forum ids to generate responses for")
    g = len(forums)
    thin = rng.random(g) < thin_share
    sizes = np.where(thin, rng.integers(thin_range[0], thin_range[1] + 1, g),
                     rng.integers(n_range[0], n_range[1] + 1, g))
    members = rng.integers(MEMBERS_RANGE[0], MEMBERS_RANGE[1] + 1, g)
    forum_idx = np.repeat(np.arange(g), sizes)
    n = len(forum_idx)

    chol = np.linalg.cholesky(FACTOR_CORR)
    u = np.sqrt(forum_share) * rng.standard_normal((g, len(SCALES))) @ chol.T
    e = np.sqrt(1 - forum_share) * rng.standard_normal((n, len(SCALES))) @ chol.T
    eta = u[forum_idx] + e

    items = list(instrument.items)
    scale_col = np.array([SCALES.index(instrument.items[i].scale) for i in items])
    lam = np.array([LOADINGS[i] for i in items])
    mu = np.array([INTERCEPTS[instrument.items[i].scale] for i in items])
    ystar = mu + eta[:, scale_col] * lam + rng.standard_normal((n, len(items))) * np.sqrt(1 - lam ** 2)
    answers = 1.0 + (ystar[:, :, None] > np.asarray(THRESHOLDS)).sum(axis=2)
    reverse = np.array([instrument.items[i].reverse for i in items])
    answers[:, reverse] = 6.0 - answers[:, reverse]
    answers[rng.random(answers.shape) < missing_rate] = np.nan

    roles = np.array(sorted(instrument.roles))
    role = roles[rng.integers(0, len(roles), n)]
    member = rng.integers(0, members[forum_idx]) + 1
    width = max(5, len(str(n)))
    frame = pd.DataFrame({
        "respondent_id": [f"r{k:0{width}d}" for k in range(1, n + 1)],
        "forum_id": np.asarray(forums, dtype=object)[forum_idx],
        "member_government": [f"member_{m:02d}" for m in member],
        "role": role.astype(object),
    })
    frame = pd.concat([frame, pd.DataFrame(answers, columns=items)], axis=1)
    if latent:
        return frame, pd.DataFrame(ystar, columns=items)
    return frame


def header_lines(seed: int, n_forums: int, forums_file: str) -> list[str]:
    """The comment lines written above the CSV header of a synthetic responses file."""
    return [
        "SYNTHETIC DATA - NOT REAL SURVEY RESPONSES. Do not cite, analyse or report as evidence.",
        f"Generated by `kadstudy survey synthesize --seed {seed}` from the latent-factor model documented "
        "in kadstudy/survey/synthetic.py (planted loadings, factor correlations, forum random effects).",
        f"Forum ids: the {n_forums} forums of {forums_file}; respondents, governments and answers are "
        "all invented.",
    ]


if __name__ == "__main__":  # pragma: no cover - ``python -m kadstudy.survey.synthetic``
    import sys

    from kadstudy.cli import main

    main(["survey", "synthesize", *sys.argv[1:]])
