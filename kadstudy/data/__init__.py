"""Coded case datasets: codebook, long-form codings with provenance, validation, the wide table.

>>> from kadstudy import data
>>> df = data.load("kad_forums")          # typed DataFrame; df.attrs["codebook"] is the codebook
"""

from kadstudy.data.codebook import Codebook, Variable, read_codebook
from kadstudy.data.codings import Coding, read_codings
from kadstudy.data.dataset import Dataset, load, to_frame, wide_csv
from kadstudy.data.validate import Problem

__all__ = ["Codebook", "Coding", "Dataset", "Problem", "Variable", "load", "read_codebook",
           "read_codings", "to_frame", "wide_csv"]
