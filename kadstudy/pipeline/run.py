"""Running the build graph: run, dry-run/status, clean. ``run`` and ``clean`` hold the project
lock (:mod:`kadstudy.pipeline.lock`); ``status`` only reads."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kadstudy.errors import KadError
from kadstudy.pipeline import manifest
from kadstudy.pipeline.graph import (
    INDEX,
    REPLICATIONS,
    Project,
    Record,
    _fresh,
    namespace,
    targets,
    task_dicts,
)
from kadstudy.pipeline.lock import KEEP, project_lock
from kadstudy.pipeline.spec import AnalysisSpec


@dataclass
class Outcome:
    """What a run did."""

    built: list[str] = field(default_factory=list)
    uptodate: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _reporter_class(outcome: Outcome, stream: TextIO, progress: bool) -> type:
    from doit.reporter import ConsoleReporter

    class Reporter(ConsoleReporter):
        """Quiet doit reporter: one line per target built, a progress bar on a terminal."""

        def __init__(self, outstream, options):
            super().__init__(stream, options)
            self._bar = None

        def initialize(self, tasks, selected_tasks):
            if progress:
                from rich.progress import Progress

                self._bar = Progress(transient=True, console=None)
                self._bar.start()
                self._job = self._bar.add_task("building", total=len(selected_tasks or tasks))

        def _advance(self) -> None:
            if self._bar is not None:
                self._bar.advance(self._job)

        def execute_task(self, task):
            stream.write(f"building {task.name}\n")
            stream.flush()

        def add_success(self, task):
            outcome.built.append(task.name)
            self._advance()

        def skip_uptodate(self, task):
            outcome.uptodate.append(task.name)
            self._advance()

        def add_failure(self, task, fail):
            msg = fail.get_msg().strip() if hasattr(fail, "get_msg") else str(fail)
            outcome.failed.append((task.name, msg))
            self._advance()

        def complete_run(self):
            if self._bar is not None:
                self._bar.stop()

        def runtime_error(self, msg):
            outcome.failed.append(("doit", str(msg).strip()))

    return Reporter


def select(project: Project, names: tuple[str, ...]) -> list[AnalysisSpec]:
    """All analysis specs (validated); error on an unknown requested name."""
    specs = project.specs()
    known = {s.name for s in specs} | {INDEX} | ({REPLICATIONS} if project.replication_specs() else set())
    for name in names:
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see `kadstudy list`"
            raise KadError(f"no analysis '{name}' in {project.analyses}; {hint}")
    return specs


def run(project: Project, names: tuple[str, ...] = (), *, force: bool = False, jobs: int = 1,
        stream: TextIO | None = None, progress: bool = False, lock_timeout: float | None = None,
        notify: Callable[[str], None] | None = None) -> Outcome:
    """Build the requested targets (all by default) that are out of date, holding the project lock
    (waiting up to ``lock_timeout`` seconds for another run; ``notify`` is told who holds it)."""
    from doit.cmd_base import ModuleTaskLoader
    from doit.doit_cmd import DoitMain

    specs = select(project, names)
    from kadstudy.pipeline.preflight import check_names

    check_names(project, specs, names)   # before anything is built or removed
    outcome = Outcome()
    reporter = _reporter_class(outcome, stream or sys.stdout, progress)
    all_targets = targets(project, specs)
    with project_lock(project.state, "kadstudy run", lock_timeout, notify):
        record = Record(project, all_targets)
        _check_schedulers(specs, names, force, record, all_targets)
        args = ["run"]
        if force:
            args.append("--always-execute")
        if jobs > 1:
            args += ["-n", str(jobs), "-P", "thread"]
        args += list(names)
        # doit's own database holds nothing the next run needs (the manifest decides): one per run
        with tempfile.TemporaryDirectory(prefix="doit-", dir=project.state) as tmp:
            ns = namespace(task_dicts(all_targets, record), Path(tmp) / "doit-db.json", reporter)
            code = _fresh(lambda: DoitMain(ModuleTaskLoader(ns)).run(args))
    if code and not outcome.failed:
        outcome.failed.append(("doit", f"the task engine stopped with exit code {code}"))
    return outcome


def _check_schedulers(specs: list[AnalysisSpec], names: tuple[str, ...], force: bool, record: Record,
                      all_targets: list) -> None:
    """Before anything is built: the Dask scheduler named by the ``scheduler`` key of an analysis
    to be built answers (unless the command line names one, which it has checked)."""
    from kadstudy import parallel

    if parallel.default_engine().scheduler:
        return
    stale = {t.name for t in all_targets if (not names or t.name in names) and (force or record.reasons(t))}
    checked: set[str] = set()
    for spec in specs:
        address = spec.get("scheduler")
        if address and spec.name in stale and address not in checked:
            parallel.connect(address, f"{spec.path}: key 'scheduler'").close()
            checked.add(address)


def status(project: Project, names: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """Each target (sorted by name) with 'up to date' or 'stale' and why; builds and writes nothing."""
    specs = select(project, names)
    all_targets = targets(project, specs)
    record = Record(project, all_targets)
    rows = []
    for target in sorted(all_targets, key=lambda t: t.name):
        if names and target.name not in names:
            continue
        why = record.reasons(target)
        rows.append((target.name, "stale" if why else "up to date", "; ".join(why)))
    return rows


def clean(project: Project, *, lock_timeout: float | None = None,
          notify: Callable[[str], None] | None = None) -> list[str]:
    """Remove every generated report (analyses, replications, index), their entries in the
    manifest, and the build state; return what was removed, sorted."""
    specs = project.specs()
    with project_lock(project.state, "kadstudy clean", lock_timeout, notify):
        removed = []
        gone = set()
        for name, path in [*((s.name, project.reports / s.name) for s in specs),
                           (REPLICATIONS, project.reports / "replications"),
                           (INDEX, project.reports / "index.html")]:
            gone.add(name)
            if path.exists():
                removed.append(manifest.rel(project.root, path) + ("/" if path.is_dir() else ""))
                _remove(path)
        record = manifest.read(project.root)
        dropped = sorted(set(record.entries) & gone)
        if dropped or record.problem:
            record.entries = {k: v for k, v in record.entries.items() if k not in gone}
            if record.entries:
                manifest.write(project.root, record)
                removed.append(f"{manifest.MANIFEST} entries: {', '.join(dropped)}")
            else:
                (project.root / manifest.MANIFEST).unlink()
                removed.append(manifest.MANIFEST)
        for path in sorted(project.state.iterdir()):
            if path.name not in KEEP:
                _remove(path)
    return sorted(removed)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
