"""Fixtures for the set-analysis tests."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO_ROOT.parent / "shared" / "qca-benchmarks"


@pytest.fixture(scope="session")
def qca_benchmarks() -> Path:
    """Path of the shared QCA benchmark datasets (``../shared/qca-benchmarks``).

    Skipped when absent, but a failure on CI (``CI=true``), where the folder must exist.
    """
    if not (BENCHMARKS / "data").is_dir():
        msg = f"QCA benchmark datasets not found at {BENCHMARKS}"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (required on CI)")
        pytest.skip(msg)
    return BENCHMARKS


@pytest.fixture(scope="session")
def load_dataset(qca_benchmarks: Path):
    """Loader of a benchmark dataset by name (case names as index, 'NA' kept as a name)."""

    def load(name: str) -> pd.DataFrame:
        frame = pd.read_csv(
            qca_benchmarks / "data" / f"{name}.csv", dtype={"case": str}, keep_default_na=False
        )
        return frame.set_index("case")

    return load
