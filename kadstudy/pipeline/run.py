"""Running the build graph: run, dry-run/status, list, clean."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kadstudy.errors import KadError
from kadstudy.pipeline.graph import INDEX, REPLICATIONS, Project, _fresh, namespace
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
    known = {s.name for s in specs}
    for name in names:
        if name not in known and name not in (INDEX, REPLICATIONS):
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see `kadstudy list`"
            raise KadError(f"no analysis '{name}' in {project.analyses}; {hint}")
    return specs


def run(project: Project, names: tuple[str, ...] = (), *, force: bool = False, jobs: int = 1,
        stream: TextIO | None = None, progress: bool = False) -> Outcome:
    """Build the requested targets (all by default) that are out of date."""
    from doit.cmd_base import ModuleTaskLoader
    from doit.doit_cmd import DoitMain

    specs = select(project, names)
    from kadstudy.pipeline.preflight import check_names

    check_names(project, specs, names)   # before anything is built or removed
    outcome = Outcome()
    ns = namespace(project, specs, _reporter_class(outcome, stream or sys.stdout, progress))
    args = ["run"]
    if force:
        args.append("--always-execute")
    if jobs > 1:
        args += ["-n", str(jobs), "-P", "thread"]
    args += list(names)
    code = _fresh(lambda: DoitMain(ModuleTaskLoader(ns)).run(args))
    if code and not outcome.failed:
        outcome.failed.append(("doit", f"the task engine stopped with exit code {code}"))
    return outcome


REASONS = {
    "missing_target": "its report is missing",
    "changed_file_dep": "changed: {}",
    "added_file_dep": "new input: {}",
    "removed_file_dep": "input no longer used: {}",
    "uptodate_false": "the code changed (kadstudy version or source)",
    "checker_changed": "the change checker changed",
    "has_no_dependencies": "it has no recorded inputs",
}


def status(project: Project, names: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """Each target with 'up to date' or 'stale' and why, without building anything."""
    from doit.dependency import Dependency, JsonDB, MD5Checker
    from doit.loader import load_tasks

    specs = select(project, names)
    ns = namespace(project, specs, object)
    tasks = {t.name: t for t in _fresh(lambda: load_tasks(ns))}
    db = project.state / "doit-db.json"
    dep = Dependency(JsonDB, str(db), checker_cls=MD5Checker)
    rows = []
    wanted = set(names) or set(tasks)
    for name, task in tasks.items():
        if name not in wanted:
            continue
        st = dep.get_status(task, tasks, get_log=True)
        if st.status == "up-to-date":
            rows.append((name, "up to date", ""))
            continue
        why = []
        for key, arg in st.reasons.items():
            text = REASONS.get(key, key)
            if "{}" in text:
                files = arg if isinstance(arg, list) else [arg]
                shown = ", ".join(_rel(project, f) for f in files)
                text = text.format(shown)
            why.append(text)
        rows.append((name, "stale", "; ".join(dict.fromkeys(why))))
    return rows


def _rel(project: Project, path: object) -> str:
    try:
        return str(Path(str(path)).resolve().relative_to(project.root.resolve()))
    except ValueError:
        return str(path)


def clean(project: Project) -> list[str]:
    """Remove every generated report and the build state; return what was removed."""
    removed = []
    for spec in project.specs():
        folder = project.reports / spec.name
        if folder.exists():
            shutil.rmtree(folder)
            removed.append(_rel(project, folder))
    index = project.reports / "index.html"
    if index.exists():
        index.unlink()
        removed.append(_rel(project, index))
    if project.state.exists():
        shutil.rmtree(project.state)
    return removed
