"""``kadstudy reproduce``: rebuild published tables and compare them cell by cell."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("reproduce", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("ids", nargs=-1)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding the data files of QCA specs (default: each spec's data_root, "
                   "else ../shared/qca-benchmarks beside the checkout).")
@click.option("--list", "list_only", is_flag=True,
              help="List the specs with their last status; rebuild nothing.")
def cli(ids: tuple[str, ...], data_dir: Path | None, list_only: bool) -> None:
    """Rebuild the published tables of analyses/replications/<ID>.yaml (all when no ID is given),
    compare them cell by cell at the published precision, and write
    reports/replications/<ID>.md and .html with every differing cell highlighted.

    A spec whose publication table was not found (publication.status: not_found) is rebuilt and
    its report shows the analysis with what was searched; its status is "no published table
    found", never a match.

    Exit code 0 when every selected table matches (differences the spec documents under
    known_differences included; specs whose data are absent are skipped; specs without a
    publication table do not fail), 1 when a table differs, 2 for a bad spec (nothing is
    written then).
    """
    from kadstudy.data.dataset import project_root
    from kadstudy.reproduce import check_report_folder, reproduce, write_reports

    root = project_root()
    if list_only:
        _list(root, ids)
        return
    check_report_folder(root)
    from kadstudy.reproduce.compare import status_line

    outcomes = reproduce(root, ids, data_dir)
    write_reports(root, outcomes, prune=not ids)
    failed = 0
    for o in outcomes:
        if o.comparison is None:
            click.echo(f"{o.spec.id}: skipped: {o.skipped}")
            continue
        click.echo(status_line(o.comparison))
        failed += not o.comparison.ok
    if failed:
        raise click.exceptions.Exit(1)


def _list(root: Path, ids: tuple[str, ...]) -> None:
    """One line per spec: id, method, last status and title (an invalid spec says why)."""
    from kadstudy.reproduce import SPEC_DIR, read_status
    from kadstudy.reproduce.report import STATUS_TEXT
    from kadstudy.reproduce.spec import problems_of, spec_paths

    status = read_status(root)
    paths = {p.stem: p for p in spec_paths(root / SPEC_DIR)}
    unknown = [i for i in ids if i not in paths]
    if unknown:
        from kadstudy.errors import KadError

        raise KadError(f"replication '{unknown[0]}': no {SPEC_DIR.as_posix()}/{unknown[0]}.yaml; "
                       f"known: {', '.join(paths) or 'none'}")
    for sid in ids or list(paths):
        spec, problems = problems_of(paths[sid], f"{SPEC_DIR.as_posix()}/{sid}.yaml")
        if spec is None:
            click.echo(f"{sid:32} {'-':16} invalid spec: {problems[0]}")
            continue
        last = status.get(sid)
        if last:
            text = (f"{STATUS_TEXT.get(last.get('status'), last.get('status'))} "
                    f"({last.get('matched')}/{last.get('compared')} cells)")
        else:
            text = "not run yet"
        click.echo(f"{sid:32} {spec.method:16} {text:48} {spec.title}")


__all__ = ["cli"]
