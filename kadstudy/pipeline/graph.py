"""The build graph on doit: one target per analysis, plus the reports index.

doit (a mature task engine) decides what is out of date: each analysis depends on its analysis
file, its dataset's files and the code version, compared by content (MD5), so touching a file
without changing it does not rebuild. Each target is written to a temporary folder and moved into
place, so an interrupted build never leaves a half report.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import kadstudy
from kadstudy.errors import KadError
from kadstudy.pipeline.spec import AnalysisSpec, read_specs

STATE_DIR = ".kadstudy"
INDEX = "index"
REPLICATIONS = "replications"


def code_version() -> str:
    """Package version plus a hash of the package's source, so code changes rebuild reports."""
    root = Path(kadstudy.__file__).parent
    digest = hashlib.sha256(kadstudy.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Project:
    """Where a project's analyses, datasets and reports live."""

    root: Path

    @property
    def analyses(self) -> Path:
        return self.root / "analyses"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    def specs(self) -> list[AnalysisSpec]:
        return read_specs(self.analyses)

    def dataset_files(self, spec: AnalysisSpec) -> list[Path]:
        from kadstudy.data.dataset import Dataset

        ds = Dataset.named(self.root / "datasets" / spec.dataset
                           if (self.root / "datasets" / spec.dataset).is_dir() else spec.dataset)
        return [ds.codebook_path, ds.codings_path]


def replace_dir(target: Path, build: Callable[[Path], None]) -> None:
    """Run ``build(tmp)`` into a fresh temporary folder beside ``target``, then swap it in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        build(tmp)
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.old"
            if old.exists():
                shutil.rmtree(old)
            target.rename(old)
        tmp.rename(target)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def build_analysis(project: Project, spec: AnalysisSpec) -> None:
    """Build one analysis' report folder."""
    from kadstudy.pipeline.kinds import build_report

    report = build_report(project, spec)
    replace_dir(project.reports / spec.name, report.write)


def build_replications(project: Project) -> None:
    """``kadstudy reproduce`` as a build step: every spec rebuilt and compared, reports written;
    a table that does not match fails the step (specs whose data are absent are skipped)."""
    from kadstudy.reproduce import reproduce, write_reports

    outcomes = reproduce(project.root)
    write_reports(project.root, outcomes, prune=True)
    failed = [o.spec.id for o in outcomes if o.comparison is not None and not o.comparison.ok]
    if failed:
        raise KadError(f"published tables not reproduced: {', '.join(failed)} (see reports/replications/)")


def build_index(project: Project, specs: list[AnalysisSpec]) -> None:
    """Write ``reports/index.html`` linking every report."""
    from kadstudy.io import atomic_write_text
    from kadstudy.report.index import index_html

    atomic_write_text(project.reports / "index.html", index_html(specs))


def _action(fn: Callable[[], None]) -> Callable[[], object]:
    """Wrap a build step: user errors become a one-line failure, not a traceback."""
    from doit.exceptions import TaskFailed

    def run() -> object:
        try:
            fn()
        except KadError as exc:
            return TaskFailed(str(exc))
        return None

    return run


def task_dicts(project: Project, specs: list[AnalysisSpec]) -> list[dict]:
    """doit task dictionaries: one per analysis, and the index."""
    from doit.tools import config_changed

    from kadstudy.pipeline.kinds import spec_inputs

    version = code_version()
    tasks = []
    for spec in specs:
        tasks.append({
            "basename": spec.name,
            "doc": spec.title,
            "actions": [_action(lambda s=spec: build_analysis(project, s))],
            "file_dep": [str(spec.path), *map(str, project.dataset_files(spec)),
                         *map(str, spec_inputs(project, spec))],
            "targets": [str(project.reports / spec.name / "report.html")],
            "uptodate": [config_changed(version)],
            "verbosity": 0,
        })
    replications = sorted((project.analyses / "replications").glob("*.yaml"))
    if replications:
        datasets = sorted(p for name in ("codebook.yaml", "codings.csv")
                          for p in (project.root / "datasets").glob(f"*/{name}"))
        tasks.append({
            "basename": REPLICATIONS,
            "doc": "published tables rebuilt and compared cell by cell (kadstudy reproduce)",
            "actions": [_action(lambda: build_replications(project))],
            "file_dep": [str(p) for p in [*replications, *datasets]],
            "targets": [str(project.reports / "replications" / "status.json")],
            "uptodate": [config_changed(version)],
            "verbosity": 0,
        })
    tasks.append({
        "basename": INDEX,
        "doc": "index of all reports",
        "actions": [_action(lambda: build_index(project, specs))],
        "file_dep": [str(s.path) for s in specs],
        "task_dep": [s.name for s in specs],
        "targets": [str(project.reports / "index.html")],
        "uptodate": [config_changed(version)],
        "verbosity": 0,
    })
    return tasks


def namespace(project: Project, specs: list[AnalysisSpec], reporter: type) -> dict:
    """A module-like namespace for doit's loader."""
    tasks = task_dicts(project, specs)
    project.state.mkdir(exist_ok=True)

    def task_kadstudy():
        yield from tasks

    return {
        "task_kadstudy": task_kadstudy,
        "DOIT_CONFIG": {"backend": "json", "dep_file": str(project.state / "doit-db.json"),
                        "reporter": reporter, "verbosity": 0, "check_file_uptodate": "md5"},
    }


def _fresh(fn: Callable[[], int]) -> int:
    """doit's loaders inspect ``sys.argv``; give it an empty one."""
    saved = sys.argv
    sys.argv = ["kadstudy"]
    try:
        return fn()
    finally:
        sys.argv = saved
