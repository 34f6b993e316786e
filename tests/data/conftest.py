"""Fixtures of the data-layer tests (a tiny SYNTHETIC dataset, see mini.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.data.mini import CODEBOOK, HEADER, ROWS, SOURCE_TEXT


@pytest.fixture
def mini(tmp_path: Path) -> dict[str, Path]:
    """A dataset folder ``mini`` and a sources folder, both in tmp."""
    folder = tmp_path / "datasets" / "mini"
    folder.mkdir(parents=True)
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (folder / "codings.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "900_synthetic.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    return {"folder": folder, "sources": sources, "tmp": tmp_path}

