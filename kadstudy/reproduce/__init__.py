"""Reproducing published tables: rebuild each table a replication spec transcribes, compare it
cell by cell at the published precision, and say why any cell differs::

    from kadstudy.reproduce import reproduce, write_reports
    outcomes = reproduce(root)            # specs in analyses/replications/, nothing written yet
    write_reports(root, outcomes)         # reports/replications/<id>.md|html and status.json

The three steps are apart so that a bad spec stops everything before any file is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kadstudy.reproduce.spec import (
    ReplicationSpec,
    ReplicationSpecError,
    problems_of,
    read_spec,
    spec_paths,
)

if TYPE_CHECKING:
    from kadstudy.reproduce.compare import Comparison

SPEC_DIR = Path("analyses") / "replications"
REPORT_DIR = Path("reports") / "replications"


@dataclass
class Outcome:
    """One spec's result: a comparison, or why it was skipped."""

    spec: ReplicationSpec
    comparison: Comparison | None = None
    skipped: str = ""


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_specs(root: Path, ids: tuple[str, ...] | list[str] = ()) -> list[ReplicationSpec]:
    """The selected specs (all when ``ids`` is empty), each validated; every problem of every
    selected spec is raised together, one line each."""
    folder = root / SPEC_DIR
    paths = {p.stem: p for p in spec_paths(folder)} if folder.is_dir() else {}
    if not paths:
        raise ReplicationSpecError(f"{_shown(folder, root)}: no replication specs (<id>.yaml); add one")
    problems = []
    for i in ids:
        if i not in paths:
            problems.append(f"replication '{i}': no {_shown(folder / (i + '.yaml'), root)}; known: "
                            f"{', '.join(paths)}")
    if problems:
        raise ReplicationSpecError("\n".join(problems))
    chosen = [paths[i] for i in dict.fromkeys(ids)] if ids else list(paths.values())
    specs = []
    for path in chosen:
        spec, more = problems_of(path, _shown(path, root), root)
        problems += more
        if spec is not None:
            specs.append(spec)
    if problems:
        raise ReplicationSpecError("\n".join(problems))
    return specs


def reproduce(root: Path, ids: tuple[str, ...] | list[str] = (),
              data_dir: Path | None = None) -> list[Outcome]:
    """Rebuild and compare the selected specs. Writes nothing; raises on the first problem."""
    from kadstudy.reproduce.compare import compare
    from kadstudy.reproduce.rebuild import DataUnavailable, load_published, rebuild

    outcomes = []
    for spec in load_specs(root, ids):
        try:
            table = rebuild(spec, root, data_dir)
            spec = load_published(spec, root, data_dir)
        except DataUnavailable as exc:
            outcomes.append(Outcome(spec=spec, skipped=str(exc)))
            continue
        if spec.published_from is not None and spec.published is not None:
            table.inputs.append(spec.published.column("membership").note)
        outcomes.append(Outcome(spec=spec, comparison=compare(spec, table)))
    return outcomes


def read_status(root: Path) -> dict[str, dict[str, Any]]:
    """The last status of each spec, from ``reports/replications/status.json`` ({} if none)."""
    from kadstudy.reproduce.report import STATUS_FILE

    path = root / REPORT_DIR / STATUS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):   # absent, unreadable or not JSON: no last status
        return {}
    return data if isinstance(data, dict) else {}


def check_report_folder(root: Path) -> None:
    """Refuse, before any work, a reports folder that cannot be written (one line, exit 2)."""
    import os

    from kadstudy.errors import KadError

    folder = root / REPORT_DIR
    existing = next(p for p in (folder, *folder.parents) if p.exists() or p == p.parent)
    shown = _shown(existing, root)
    into = "" if existing == folder else f" (the reports go to {REPORT_DIR.as_posix()}/ in it)"
    if not existing.is_dir():
        raise KadError(f"{shown}: is not a folder{into}; move it away")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise KadError(f"{shown}: the folder is not writable{into}; make it writable")


def write_reports(root: Path, outcomes: list[Outcome], *, prune: bool = False) -> list[Path]:
    """Write each compared spec's reports and update ``status.json`` (skipped specs keep their
    previous report and status). The files are written all or nothing (each to a temporary file
    first, then renamed), with the umask's mode; a folder that cannot be written raises a one-line
    :class:`~kadstudy.errors.KadError`. Returns the paths written. ``prune`` then removes the
    reports of specs that no longer exist."""
    from kadstudy.io import atomic_write_files
    from kadstudy.reproduce.report import (
        STATUS_FILE,
        curve_svgs,
        render_html,
        render_markdown,
        status_entry,
        status_text,
    )

    folder = root / REPORT_DIR
    files: dict[Path, bytes] = {}
    status = read_status(root)
    known = {p.stem for p in spec_paths(root / SPEC_DIR)}
    status = {k: v for k, v in status.items() if k in known}
    for o in outcomes:
        if o.comparison is None:
            continue
        for suffix, text in ((".md", render_markdown(o.comparison)), (".html", render_html(o.comparison))):
            files[folder / f"{o.spec.id}{suffix}"] = text.encode("utf-8")
        for name, svg in curve_svgs(o.comparison):  # the Markdown page links them
            files[folder / f"{o.spec.id}.{name}.svg"] = svg
        status[o.spec.id] = status_entry(o.comparison)
    path = folder / STATUS_FILE
    text = status_text(status)
    compared = any(o.comparison is not None for o in outcomes)
    if (compared or path.exists()) and not (path.is_file() and path.read_bytes() == text.encode("utf-8")):
        files[path] = text.encode("utf-8")
    if files:
        atomic_write_files(files)
    if prune and folder.is_dir():
        for old in sorted(folder.iterdir()):
            if (old.suffix in (".md", ".html") and old.stem not in known) or (
                    old.suffix == ".svg" and old.stem.split(".")[0] not in known):
                old.unlink()
    return list(files)


__all__ = ["REPORT_DIR", "SPEC_DIR", "Outcome", "ReplicationSpec", "ReplicationSpecError", "load_specs",
           "read_spec", "read_status", "reproduce", "write_reports"]
