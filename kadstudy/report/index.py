"""``reports/index.html``: one page linking every page under ``reports/`` (each analysis report,
with its N, case groups, outcome known and whether it is estimable from the ``summary.json`` it
wrote; each replication report, with its status), the package version and a content hash of the
input data (never a timestamp), rendered by the template ``index.html.j2``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kadstudy.pipeline.spec import AnalysisSpec
from kadstudy.report.templating import render, sections
from kadstudy.reproduce.compare import NO_PUBLICATION

#: status words of the replications (as ``status.json`` records them) shown on the index
REPLICATION_STATUS = {"match": "match", "known-differences": "match with documented differences",
                      "mismatch": "MISMATCH",
                      NO_PUBLICATION: "no published table found (analysis only, not a reproduction)"}
#: the statuses that count as a reproduced publication
REPRODUCED = ("match", "known-differences")


@dataclass(frozen=True)
class Replication:
    """One replication page of the index: its id, title and last status (``""``: none yet)."""

    id: str
    title: str
    status: str = ""
    compared: int | None = None
    matched: int | None = None


@dataclass(frozen=True)
class DataHash:
    """A content hash of the input data: SHA-256 over each file's path (relative to the project)
    and bytes, in path order; ``files`` maps each path to its own SHA-256."""

    digest: str
    files: dict[str, str] = field(default_factory=dict)


def data_hash(root: Path, paths: Sequence[Path]) -> DataHash:
    """The :class:`DataHash` of ``paths`` (files under ``root``; absent ones are left out).

    Parameters
    ----------
    root : Path
        The project folder; paths are hashed relative to it, so the hash is the same on every
        machine and in every checkout.
    paths : sequence of Path
        The input files: datasets' codebooks and codings, analysis and replication specs.

    Returns
    -------
    DataHash
    """
    total = hashlib.sha256()
    files = {}
    for rel, path in sorted((p.relative_to(root).as_posix(), p) for p in paths if p.is_file()):
        data = path.read_bytes()
        files[rel] = hashlib.sha256(data).hexdigest()
        total.update(f"{rel}\0{len(data)}\0".encode())
        total.update(data)
    return DataHash(total.hexdigest(), files)


def package_version() -> str:
    """The installed version of kadstudy (its metadata), else ``kadstudy.__version__``."""
    import importlib.metadata

    import kadstudy

    try:
        return importlib.metadata.version("kadstudy")
    except importlib.metadata.PackageNotFoundError:
        return kadstudy.__version__


def summary_cell(summary: Mapping[str, Any] | None) -> str:
    """One line of caveats for a report: N, forums, case groups, outcome known, countries, not
    estimable (empty when the report wrote no summary)."""
    if not summary:
        return ""
    parts = [f"N = {summary['n']} ({summary['forums']} forums, {summary['groups']} case groups)"]
    if summary.get("outcome") and summary.get("outcome_known") is not None:
        parts.append(f"{summary['outcome']} known for {summary['outcome_known']} of "
                     f"{summary['cases_in_population']}")
    if summary.get("countries"):
        parts.append(", ".join(f"{c} {n}" for c, n in summary["countries"].items()))
    if "solutions" in summary:
        sols = summary["solutions"]
        parts.append("; ".join(f"{k}: {v}" for k, v in sols.items()) if sols else "no solution")
    if summary.get("population"):
        parts.append(f"population {summary['population']}, {summary['case_groups']}")
    if not summary.get("estimable", True):
        parts.insert(0, f"NOT ESTIMABLE: {summary['not_estimable']}")
    if summary.get("synthetic"):
        parts.insert(0, "SYNTHETIC data")
    return "; ".join(parts)


def index_html(specs: list[AnalysisSpec], summaries: Mapping[str, Mapping[str, Any]] | None = None,
               replications: Sequence[Replication] = (), version: str | None = None,
               data: DataHash | None = None, synthetic: Mapping[str, bool] | None = None) -> str:
    """The index page.

    Parameters
    ----------
    specs : list of AnalysisSpec
        The analyses; each links to ``<name>/report.html`` with its kind, dataset and caveats.
    summaries : mapping, optional
        Analysis name -> the ``summary.json`` its report wrote (the caveats column).
    replications : sequence of Replication
        The replication pages, ``replications/<id>.html`` and ``.md``.
    version : str, optional
        The package version shown (default: :func:`package_version`).
    data : DataHash, optional
        The content hash of the input data shown.
    synthetic : mapping, optional
        Analysis name -> whether its report is built from synthetic data (else read from its
        summary).

    Returns
    -------
    str
        The page.
    """
    summaries = summaries or {}
    synthetic = synthetic or {}
    analyses = [{"name": s.name, "title": s.title, "kind": s.kind, "dataset": s.dataset,
                 "caveats": summary_cell(summaries.get(s.name)),
                 "synthetic": bool(synthetic.get(s.name) or (summaries.get(s.name) or {}).get("synthetic"))}
                for s in specs]
    reps = [{"id": r.id, "title": r.title, "css": r.status,
             "status": REPLICATION_STATUS.get(r.status, r.status or "not built"),
             "cells": "" if r.compared is None or r.status not in (*REPRODUCED, "mismatch")
             else f"{r.matched} of {r.compared} cells agree"}
            for r in replications]
    counts = {"reproduced": sum(r.status in REPRODUCED for r in replications),
              "not_found": sum(r.status == NO_PUBLICATION for r in replications),
              "total": len(replications)}
    heads = ["Analyses"] + (["Replications"] if reps else []) + (["Input data"] if data else [])
    return render("index.html.j2", shown_title="kadstudy reports", synthetic=False,
                  synthetic_lines=[], toc=sections(heads), analyses=analyses, replications=reps,
                  replication_counts=counts, version=version or package_version(), data=data)


__all__ = ["DataHash", "Replication", "data_hash", "index_html", "package_version", "summary_cell"]
