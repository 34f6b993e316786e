"""The build graph: one target per analysis, the replications and the reports index.

What is up to date is decided from content, by the committed build record ``reports/manifest.json``
(:mod:`kadstudy.pipeline.manifest`): a target is stale when the hash of one of its inputs, the code
version or one of its output files differs from the record. doit schedules the targets (order,
parallelism) and asks that same decision through an ``uptodate`` callable; its own database is
thrown away after each run. Each analysis is written to a temporary folder and moved into place,
so an interrupted build never leaves a half report.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import kadstudy
from kadstudy.errors import KadError
from kadstudy.pipeline import manifest
from kadstudy.pipeline.spec import AnalysisSpec, read_specs

STATE_DIR = ".kadstudy"
INDEX = "index"
REPLICATIONS = "replications"


def code_version() -> str:
    """Package version plus a hash of the package's source and page templates, so code changes
    rebuild reports."""
    root = Path(kadstudy.__file__).parent
    digest = hashlib.sha256(kadstudy.__version__.encode())
    sources = [*root.rglob("*.py"), *(root / "templates").glob("*.j2"), *(root / "templates").glob("*.css")]
    for path in sorted(sources):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Project:
    """Where a project's analyses, datasets and reports live."""

    root: Path

    @classmethod
    def find(cls) -> Project:
        """The project the working directory is in: the nearest folder upwards with ``analyses/``;
        outside one, a one-line :class:`KadError`."""
        from kadstudy.data.dataset import project_root

        return cls(project_root(analyses_only=True))

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

    def replication_specs(self) -> list[Path]:
        return sorted((self.analyses / "replications").glob("*.yaml"))


# ---------------------------------------------------------------------------- writing a folder


def _fresh_dir(parent: Path, prefix: str) -> Path:
    """A new, empty folder in ``parent``, created with the mode the umask gives (unlike
    ``tempfile.mkdtemp``, which makes it 0700)."""
    for _ in range(100):
        path = parent / f"{prefix}{os.getpid()}.{os.urandom(4).hex()}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free temporary folder name in {parent}")  # pragma: no cover


def replace_dir(target: Path, build: Callable[[Path], None]) -> None:
    """Run ``build(tmp)`` into a fresh temporary folder beside ``target``, then swap it in.
    Folders and files get the modes the umask gives, like any other file the user writes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _fresh_dir(target.parent, f".{target.name}.new.")
    old = None
    try:
        build(tmp)
        if target.exists():
            old = _fresh_dir(target.parent, f".{target.name}.old.")
            target.rename(old / target.name)
        try:
            tmp.rename(target)
        except BaseException:
            if old is not None:
                (old / target.name).rename(target)
            raise
    finally:
        for leftover in (tmp, old):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover)


# ---------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One thing ``kadstudy run`` builds: what it reads, what it writes, how it is made."""

    name: str
    doc: str
    build: Callable[[], None]
    inputs: tuple[Path, ...]              # files it is built from
    outputs: tuple[Path, ...]             # files, or folders taken whole
    main_output: Path                     # missing: the report is missing
    optional_inputs: tuple[Path, ...] = ()  # kept outside the project (replication data); may be absent
    task_dep: tuple[str, ...] = ()


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


def read_summaries(project: Project, specs: list[AnalysisSpec]) -> dict[str, dict]:
    """Analysis name -> the ``summary.json`` its report wrote (absent: left out)."""
    import json

    out = {}
    for spec in specs:
        path = project.reports / spec.name / "summary.json"
        if path.is_file():
            try:
                out[spec.name] = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise KadError(f"{manifest.rel(project.root, path)}: not valid JSON ({exc}); "
                               f"rebuild it with kadstudy run {spec.name} --force") from None
    return out


def index_inputs(project: Project, specs: list[AnalysisSpec]) -> list[Path]:
    """The input data the index hashes: every dataset's codebook and codings, the analysis specs
    and the replication specs (sorted)."""
    data = [p for name in ("codebook.yaml", "codings.csv")
            for p in (project.root / "datasets").glob(f"*/{name}")]
    return sorted({*data, *(s.path for s in specs), *project.replication_specs()})


def replication_pages(project: Project) -> list:
    """The replications the index lists: each spec that parses, with its last status."""
    from kadstudy.report.index import Replication
    from kadstudy.reproduce import read_status
    from kadstudy.reproduce.spec import problems_of

    status = read_status(project.root)
    out = []
    for path in project.replication_specs():
        spec, _ = problems_of(path, path.name)
        if spec is None:
            continue
        st = status.get(spec.id, {})
        out.append(Replication(spec.id, spec.title, st.get("status", ""), st.get("compared"),
                               st.get("matched")))
    return out


def build_index(project: Project, specs: list[AnalysisSpec]) -> None:
    """Write ``reports/index.html`` linking every report and replication, with each report's
    caveats line, the package version and the content hash of the input data."""
    from kadstudy.io import atomic_write_text
    from kadstudy.report.index import data_hash, index_html

    atomic_write_text(project.reports / "index.html", index_html(
        specs, read_summaries(project, specs), replications=replication_pages(project),
        data=data_hash(project.root, index_inputs(project, specs))))


def replication_data(project: Project) -> list[Path]:
    """The data files the replication specs read (under their data root, by default
    ``../shared/qca-benchmarks`` beside the project). A spec that does not parse names none;
    building the target then reports its problem."""
    from kadstudy.reproduce.rebuild import data_file
    from kadstudy.reproduce.spec import problems_of

    files = []
    for path in project.replication_specs():
        spec, _ = problems_of(path, path.name)
        if spec is not None and spec.data:
            files.append(data_file(spec, project.root, None))
    return files


def targets(project: Project, specs: list[AnalysisSpec]) -> list[Target]:
    """Every target of the project: one per analysis, the replications (when there are specs) and
    the index. A spec whose inputs cannot be found (e.g. an unknown dataset) raises here, before
    anything is built."""
    from kadstudy.pipeline.kinds import spec_inputs

    out = [Target(
        name=spec.name, doc=spec.title,
        build=lambda s=spec: build_analysis(project, s),
        inputs=(spec.path, *project.dataset_files(spec), *spec_inputs(project, spec)),
        outputs=(project.reports / spec.name,),
        main_output=project.reports / spec.name / "report.html",
    ) for spec in specs]
    if project.replication_specs():
        folder = project.reports / "replications"
        out.append(Target(
            name=REPLICATIONS,
            doc="published tables rebuilt and compared cell by cell (kadstudy reproduce)",
            build=lambda: build_replications(project),
            inputs=(*project.replication_specs(),
                    *sorted(p for name in ("codebook.yaml", "codings.csv")
                            for p in (project.root / "datasets").glob(f"*/{name}"))),
            optional_inputs=tuple(replication_data(project)),
            outputs=(folder,), main_output=folder / "status.json"))
    out.append(Target(
        name=INDEX, doc="index of all reports",
        build=lambda: build_index(project, specs),
        inputs=tuple(index_inputs(project, specs)),
        optional_inputs=(*(project.reports / s.name / "summary.json" for s in specs),
                         *((project.reports / "replications" / "status.json",)
                           if project.replication_specs() else ())),
        outputs=(project.reports / "index.html",), main_output=project.reports / "index.html",
        task_dep=(*(s.name for s in specs), *((REPLICATIONS,) if project.replication_specs() else ()))))
    return out


# ---------------------------------------------------------------------------- the build record


class Record:
    """The project's manifest, read once: which targets are stale and why, and the entry of each
    target built in this run (written at once, so an interrupted run keeps what it finished)."""

    def __init__(self, project: Project, all_targets: list[Target]):
        self.project = project
        self.code = code_version()
        self.names = {t.name for t in all_targets}
        self.manifest = manifest.read(project.root)
        self._lock = threading.Lock()

    def _inputs(self, target: Target) -> tuple[dict[str, str | None], frozenset[str]]:
        root = self.project.root
        optional = manifest.hash_files(root, list(target.optional_inputs))
        required = manifest.hash_files(root, list(target.inputs))
        return optional | required, frozenset(optional) - set(required)

    def _outputs(self, target: Target) -> dict[str, str]:
        return manifest.hash_outputs(self.project.root, list(target.outputs))

    def uptodate(self, target: Target) -> bool:
        """doit's check: up to date when there is no reason to rebuild; a file that cannot be read
        counts as a reason (building the target then reports the problem in one line)."""
        try:
            return not self.reasons(target)
        except (OSError, KadError):
            return False

    def reasons(self, target: Target) -> list[str]:
        """Why ``target`` is stale; empty when it is up to date."""
        inputs, optional = self._inputs(target)
        return manifest.stale_reasons(
            self.manifest.entries.get(target.name), self.code, inputs, self._outputs(target),
            manifest.rel(self.project.root, target.main_output), optional, self.manifest.problem)

    def build(self, target: Target) -> None:
        """Build ``target`` and record what it was built from and what it wrote."""
        inputs, optional = self._inputs(target)
        target.build()
        outputs = self._outputs(target)
        with self._lock:
            old = self.manifest.entries.get(target.name)
            self.manifest.entries[target.name] = manifest.updated_entry(
                old, self.code, inputs, outputs, optional)
            self.manifest.entries = {k: v for k, v in self.manifest.entries.items() if k in self.names}
            manifest.write(self.project.root, self.manifest)


# ---------------------------------------------------------------------------- doit


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


def task_dicts(all_targets: list[Target], record: Record) -> list[dict]:
    """doit task dictionaries: up to date exactly when the build record says so."""
    return [{
        "basename": t.name,
        "doc": t.doc,
        "actions": [_action(lambda t=t: record.build(t))],
        "uptodate": [lambda t=t: record.uptodate(t)],
        "task_dep": list(t.task_dep),
        "verbosity": 0,
    } for t in all_targets]


def namespace(tasks: list[dict], dep_file: Path, reporter: type) -> dict:
    """A module-like namespace for doit's loader."""

    def task_kadstudy():
        yield from tasks

    return {
        "task_kadstudy": task_kadstudy,
        "DOIT_CONFIG": {"backend": "json", "dep_file": str(dep_file), "reporter": reporter,
                        "verbosity": 0},
    }


def _fresh(fn: Callable[[], int]) -> int:
    """doit's loaders inspect ``sys.argv``; give it an empty one."""
    saved = sys.argv
    sys.argv = ["kadstudy"]
    try:
        return fn()
    finally:
        sys.argv = saved
