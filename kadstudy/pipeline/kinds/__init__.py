"""Analysis kinds: each turns a validated spec and its dataset into a :class:`Report`."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from kadstudy.errors import KadError
from kadstudy.report.render import Report

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec


def load_cases(project: Project, spec: AnalysisSpec) -> pd.DataFrame:
    """The spec's dataset as a typed frame, restricted by ``select`` (variable -> value(s))."""
    from kadstudy.data.dataset import load

    folder = project.root / "datasets" / spec.dataset
    df = load(str(folder) if folder.is_dir() else spec.dataset)
    for var, wanted in (spec.get("select") or {}).items():
        if var not in df.columns:
            raise KadError(f"{spec.path}: key 'select': unknown variable '{var}' in dataset "
                           f"'{spec.dataset}'")
        values = {str(v) for v in (wanted if isinstance(wanted, list) else [wanted])}
        df = df[df[var].astype("string").isin(values).fillna(False).to_numpy(dtype=bool)]
    if df.empty:
        raise KadError(f"{spec.path}: key 'select': no case left after selection")
    return df


def common_sections(report: Report, project: Project, spec: AnalysisSpec, n_cases: int) -> None:
    """What was run, the data used and how to reproduce it."""
    report.heading("What was run")
    text = spec.path.read_text(encoding="utf-8")
    report.code(f"# analyses/{spec.path.name}\n{text.rstrip()}")
    report.heading("Data used")
    lines = [f"dataset: {spec.dataset} ({n_cases} cases after selection)"]
    for path in project.dataset_files(spec):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        lines.append(f"{path.relative_to(project.root).as_posix()}  sha256 {digest}")
    report.code("\n".join(lines))
    report.heading("How to reproduce")
    report.code(f"kadstudy run {spec.name} --force\n# or everything that is out of date:\nkadstudy run")


def build_report(project: Project, spec: AnalysisSpec) -> Report:
    """Dispatch on the spec's kind."""
    import importlib

    from kadstudy.pipeline.spec import kind_schemas

    if spec.kind not in kind_schemas():  # pragma: no cover - the schema rejects other kinds
        raise KadError(f"{spec.path}: key 'kind': unknown kind '{spec.kind}'")
    return importlib.import_module(f"{__name__}.{spec.kind}").build(project, spec)


__all__ = ["Report", "build_report", "common_sections", "load_cases"]
