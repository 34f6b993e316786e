"""The ``sex2`` data of R logistf (Heinze & Schemper 2002): 239 women in a case-control study of
urinary tract infection, as (case, age, oc, vic, vicl, vis, dia, count) covariate patterns.

``dia`` (diabetes) occurs only among cases, so the data are quasi-completely separated and the
ordinary maximum-likelihood estimate of its coefficient is infinite.
"""

COLUMNS = ("case", "age", "oc", "vic", "vicl", "vis", "dia")

PATTERNS = [
    (1, 1, 1, 1, 0, 0, 0, 3),
    (1, 1, 1, 0, 0, 0, 0, 5),
    (1, 1, 0, 1, 1, 1, 1, 1),
    (1, 1, 0, 1, 1, 0, 0, 1),
    (1, 1, 0, 1, 0, 1, 1, 1),
    (1, 1, 0, 1, 0, 1, 0, 1),
    (1, 1, 0, 1, 0, 0, 0, 2),
    (1, 0, 1, 1, 1, 1, 0, 3),
    (1, 0, 1, 1, 1, 0, 0, 7),
    (1, 0, 1, 1, 0, 1, 0, 2),
    (1, 0, 1, 1, 0, 0, 1, 1),
    (1, 0, 1, 1, 0, 0, 0, 15),
    (1, 0, 1, 0, 0, 0, 1, 3),
    (1, 0, 1, 0, 0, 0, 0, 44),
    (1, 0, 0, 1, 1, 1, 1, 1),
    (1, 0, 0, 1, 1, 1, 0, 12),
    (1, 0, 0, 1, 1, 0, 0, 10),
    (1, 0, 0, 1, 0, 1, 0, 3),
    (1, 0, 0, 1, 0, 0, 0, 14),
    (1, 0, 0, 0, 0, 1, 0, 1),
    (0, 1, 1, 1, 1, 1, 0, 2),
    (0, 1, 1, 1, 0, 0, 0, 1),
    (0, 1, 1, 0, 0, 1, 0, 1),
    (0, 1, 1, 0, 0, 0, 0, 14),
    (0, 1, 0, 1, 1, 1, 0, 4),
    (0, 1, 0, 1, 1, 0, 0, 2),
    (0, 0, 1, 1, 1, 1, 0, 6),
    (0, 0, 1, 1, 1, 0, 0, 5),
    (0, 0, 1, 1, 0, 0, 0, 1),
    (0, 0, 1, 0, 0, 1, 0, 1),
    (0, 0, 1, 0, 0, 0, 0, 42),
    (0, 0, 0, 1, 1, 1, 0, 18),
    (0, 0, 0, 1, 1, 0, 0, 8),
    (0, 0, 0, 1, 0, 1, 0, 1),
    (0, 0, 0, 1, 0, 0, 0, 2),
    (0, 0, 0, 0, 0, 1, 0, 1),
]


def frame():
    """The 239 rows as a DataFrame (one row per woman), in pattern order."""
    import pandas as pd

    rows = [p[:-1] for p in PATTERNS for _ in range(p[-1])]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df.index = [f"w{i:03d}" for i in range(len(df))]
    return df
