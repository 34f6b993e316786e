"""``kadstudy run | status | list | clean``: the make-like pipeline.

Each runs in the project the working directory is in (the nearest folder upwards holding
``analyses/``); outside one it stops with exit code 2 and writes nothing. Exit codes: 0 ok,
1 a target failed (``status``: something is stale), 2 bad input or usage.
"""

from __future__ import annotations

import sys

import click


def _project():
    from kadstudy.pipeline.graph import Project

    return Project.find()


def _notify(line: str) -> None:
    click.echo(line, err=True)


_lock_timeout = click.option(
    "--lock-timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
    help="While another run or clean of this project holds its lock, wait at most this long "
         "(default: until it is done; 0: do not wait).")


@click.command("run")
@click.argument("names", nargs=-1)
@click.option("--dry-run", "-n", is_flag=True, help="Show what would be built and why; build nothing.")
@click.option("--force", "-f", is_flag=True, help="Rebuild even what is up to date.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Build this many targets in parallel (outputs are the same).")
@click.option("--sweep-jobs", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Local processes for each many-specification sweep (robustness, sensitivity, "
                   "permutation tests); results are the same.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", envvar="KADSTUDY_SCHEDULER",
              help="Run the sweeps on the Dask cluster of this scheduler (overrides an analysis "
                   "file's scheduler key; environment: KADSTUDY_SCHEDULER).")
@_lock_timeout
def run_cmd(names: tuple[str, ...], dry_run: bool, force: bool, jobs: int, sweep_jobs: int,
            scheduler: str | None, lock_timeout: float | None) -> None:
    """Build every analysis that is out of date (or only NAMES) and its report."""
    from kadstudy import parallel
    from kadstudy.pipeline import run as runner

    source = click.get_current_context().get_parameter_source("scheduler")
    option = "KADSTUDY_SCHEDULER" if source == click.core.ParameterSource.ENVIRONMENT else "--scheduler"
    if scheduler:
        scheduler = parallel.check_address(scheduler, option)
    project = _project()
    if dry_run:
        rows = runner.status(project, names)
        stale = [(n, why) for n, state, why in rows if state == "stale" or force]
        if not stale:
            click.echo("nothing to do: every target is up to date")
        for name, why in stale:
            click.echo(f"would build {name}: {'--force' if force and not why else why}")
        return
    if scheduler:
        parallel.connect(scheduler, option).close()  # answers, with a worker, before anything is built
    with parallel.using(parallel.Engine(sweep_jobs, scheduler or None, option)):
        outcome = runner.run(project, names, force=force, jobs=jobs, progress=sys.stderr.isatty(),
                             lock_timeout=lock_timeout, notify=_notify)
    if outcome.failed:
        for name, msg in outcome.failed:
            first = msg.splitlines()[-1] if msg else "failed"
            click.echo(f"error: target '{name}' failed: {first}", err=True)
        raise click.exceptions.Exit(1)
    if not outcome.built:
        click.echo(f"nothing to do: {len(outcome.uptodate)} targets up to date")
    else:
        click.echo(f"built {len(outcome.built)} targets, {len(outcome.uptodate)} up to date")


@click.command("status")
@click.argument("names", nargs=-1)
def status_cmd(names: tuple[str, ...]) -> None:
    """Each target: up to date, or stale and why (exit code 1 when any is stale)."""
    from kadstudy.pipeline import run as runner

    rows = runner.status(_project(), names)
    for name, state, why in rows:
        click.echo(f"{name:28} {state}" + (f"  ({why})" if why else ""))
    if any(state != "up to date" for _, state, _ in rows):
        raise click.exceptions.Exit(1)


@click.command("list")
def list_cmd() -> None:
    """The analyses declared in analyses/*.yaml."""
    for spec in _project().specs():
        click.echo(f"{spec.name:28} {spec.kind:12} {spec.title}")


@click.command("clean")
@_lock_timeout
def clean_cmd(lock_timeout: float | None) -> None:
    """Remove every generated report (analyses, replications, index), their manifest entries and
    the build state."""
    from kadstudy.pipeline import run as runner

    removed = runner.clean(_project(), lock_timeout=lock_timeout, notify=_notify)
    for path in removed:
        click.echo(f"removed {path}")
    click.echo(f"removed {len(removed)} outputs" if removed else "nothing to remove")


__all__ = ["clean_cmd", "list_cmd", "run_cmd", "status_cmd"]
