"""``kadstudy data``: validate, build, show, add-case and agreement for coded datasets."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import click

from kadstudy.data.dataset import Dataset, default_sources_dir, wide_csv
from kadstudy.data.validate import check_codings
from kadstudy.errors import DataError
from kadstudy.io import atomic_write_text, printable

MAX_PROBLEMS = 50
MAX_LINE = 400  # characters of one problem line shown, at most (cells may hold junk)

# Input files are checked by the readers, which refuse a folder or an unreadable file in one
# line (click would print a usage block).
INPUT = click.Path(readable=False, path_type=Path)
DATASET_OPT = click.option("--dataset", "-d", default="kad_forums", show_default=True,
                           help="Dataset name under datasets/, or a dataset folder.")


def _fail(problems: list) -> None:
    for p in problems[:MAX_PROBLEMS]:
        click.echo(f"error: {printable(str(p), MAX_LINE)}", err=True)
    if len(problems) > MAX_PROBLEMS:
        click.echo(f"error: ... and {len(problems) - MAX_PROBLEMS} more problems; fix these and check "
                   "again", err=True)
    raise click.exceptions.Exit(2)


@click.group()
def cli() -> None:
    """Coded case datasets: validate, build, show, add-case, agreement."""


@cli.command()
@DATASET_OPT
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of source texts to check quotes against [default: ../shared/seeds "
                   "beside the checkout, or $KADSTUDY_SOURCES].")
@click.option("--no-quotes", is_flag=True, help="Do not check quotes against the sources.")
def validate(dataset: str, sources: Path | None, no_quotes: bool) -> None:
    """Check codebook, codings and forums.csv; with source texts, check every quote too."""
    ds = Dataset.named(dataset)
    if sources is not None and not sources.is_dir():
        raise DataError(f"--sources {sources}: not a folder")
    folder = None if no_quotes else (sources or default_sources_dir())
    problems = ds.validate(folder)
    if problems:
        _fail(problems)
    codings = ds.codings()
    forums = len({c.forum_id for c in codings})
    quoted = sum(1 for c in codings if c.quote)
    how = f"{quoted} quotes found in {folder}" if folder else "quotes not checked (no source texts; " \
        "pass --sources DIR)"
    click.echo(f"ok: {ds.name}: {forums} forums, {len(codings)} codings; {how}")


@cli.command()
@DATASET_OPT
def build(dataset: str) -> None:
    """Build forums.csv (case x variable) from codings.csv. Never edit forums.csv by hand."""
    ds = Dataset.named(dataset)
    cb, codings = ds.codebook(), ds.codings()
    problems = check_codings(codings, cb, ds.display(ds.codings_path))
    if problems:
        _fail(problems)
    text = wide_csv(codings, cb)
    shown = ds.display(ds.wide_path)
    if ds.wide_path.exists() and ds.wide_path.read_text(encoding="utf-8") == text:
        click.echo(f"{shown} is up to date")
        return
    atomic_write_text(ds.wide_path, text)
    click.echo(f"wrote {shown}: {len({c.forum_id for c in codings})} forums x {len(cb.ids)} variables")


@cli.command()
@click.argument("forum", required=False)
@DATASET_OPT
def show(forum: str | None, dataset: str) -> None:
    """List the forums, or show every coded value of FORUM with its source."""
    ds = Dataset.named(dataset)
    cb, codings = ds.codebook(), ds.codings()
    if forum is None:
        from kadstudy.data.dataset import to_frame

        df = to_frame(codings, cb)
        cols = [c for c in ("name", "country", "form", "founded", "active", "durable") if c in df]
        import pandas as pd

        with pd.option_context("display.width", 200, "display.max_rows", None,
                               "display.max_colwidth", 40):
            click.echo(df[cols].to_string())
        click.echo(f"\n{len(df)} forums")
        return
    rows = [c for c in codings if c.forum_id == forum]
    if not rows:
        ids = sorted({c.forum_id for c in codings})
        close = difflib.get_close_matches(forum, ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "run `kadstudy data show` for the list"
        raise DataError(f"{ds.display(ds.codings_path)}: no forum '{forum}'; {hint}")
    order = {v: i for i, v in enumerate(cb.ids)}
    for c in sorted(rows, key=lambda c: order.get(c.variable, 99)):
        var = cb[c.variable]
        if c.is_missing:
            click.echo(f"{var.id:16} —  missing ({c.missing}): {c.note}")
            continue
        meaning = var.values.get(c.value, "") if not var.multiple else ""
        value = f"{c.value} ({meaning})" if meaning and var.type != "fuzzy" else c.value
        click.echo(f"{var.id:16} {value}")
        click.echo(f"{'':16} {c.source} L{c.lines}: \"{c.quote}\"")
        if c.note:
            click.echo(f"{'':16} note: {c.note}")


@cli.command("add-case")
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=Path))
@DATASET_OPT
@click.option("--replace", "replace_existing", is_flag=True,
              help="Allow changing existing values; the old record is kept in the row's history.")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of source texts to check quotes against [default: as for validate].")
@click.option("--skip-quote-check", is_flag=True, help="Do not check quotes (not recommended).")
def add_case_cmd(case_file: Path, dataset: str, replace_existing: bool, sources: Path | None,
                 skip_quote_check: bool) -> None:
    """Add or amend a forum's codings from CASE_FILE (YAML), validated first, written atomically.

    \b
    forum_id: pawonsari
    coder: coder_x
    source: seed001            # default source for the entries below
    codings:
      founded: {value: 1989, lines: "2317-2322", quote: "...", note: "..."}
      commit: {missing: not_stated, note: "the text does not say"}
    """
    from kadstudy.data.addcase import ValidationFailed, add_case

    ds = Dataset.named(dataset)
    folder = sources or default_sources_dir()
    try:
        res = add_case(ds, case_file, replace_existing=replace_existing, sources_dir=folder,
                       check_sources=not skip_quote_check)
    except ValidationFailed as exc:
        _fail(exc.problems)
    what = "new forum" if res.new_forum else "forum"
    click.echo(f"{what} '{res.forum_id}': {res.added} added, {res.replaced} replaced, "
               f"{res.unchanged} unchanged")


@cli.command("agreement")
@click.argument("codings_a", type=INPUT)
@click.argument("codings_b", type=INPUT)
@DATASET_OPT
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True)
@click.option("--as-first-coded", is_flag=True,
              help="Compare coder A's values as first coded (oldest record in each row's history), "
                   "i.e. the agreement before adjudication and later recoding.")
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def agreement_cmd(codings_a: Path, codings_b: Path, dataset: str, fmt: str, as_first_coded: bool,
                  output: str | None) -> None:
    """Per-variable agreement of two coders (Cohen's kappa, Krippendorff's alpha), counting
    coded-vs-missing cells as disagreements (one_coded, agree_all), and what became of coder B's
    values in A (adopted, rejected, ...)."""
    from kadstudy.data.agreement import adjudication, agreement
    from kadstudy.data.agreement import as_first_coded as first_coded
    from kadstudy.data.codings import read_codings
    from kadstudy.io import check_output, write_output

    ds = Dataset.named(dataset)
    inputs = [codings_a, codings_b, ds.codebook_path]
    if output is not None:
        check_output(output, inputs)
    cb = ds.codebook()
    a, b = read_codings(codings_a), read_codings(codings_b)
    for name, rows in ((codings_a, a), (codings_b, b)):
        problems = [p for p in check_codings(rows, cb, str(name))
                    if "has no row for" not in p.message]
        if problems:
            _fail(problems)
    try:
        table = agreement(first_coded(a) if as_first_coded else a, b, cb)
    except DataError as exc:
        raise DataError(f"{codings_a} and {codings_b}: {exc}") from None
    adjudicated = adjudication(a, b)
    if fmt == "csv":
        text = table.to_csv(index=False, float_format="%.4f", lineterminator="\n")
    elif fmt == "json":
        records = json.loads(table.to_json(orient="records", double_precision=6))
        text = json.dumps({"coder_a": str(codings_a), "coder_b": str(codings_b),
                           "as_first_coded": as_first_coded, "variables": records,
                           "adjudication": adjudicated.to_dict(orient="records")}, indent=2,
                          ensure_ascii=False) + "\n"
    else:
        shown = adjudicated[adjudicated["outcome"] != "agreed"].drop(columns="note")
        text = (table.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="—") + "\n"
                + "\none_coded = cells one coder coded and the other left missing (disagreements); "
                  "agree_all counts them\n"
                + "\nCoder B's values in A (" + ", ".join(
                    f"{k} {v}" for k, v in adjudicated["outcome"].value_counts().items()) + "):\n"
                + (shown.to_string(index=False) if len(shown) else "(all agreed)") + "\n")
    if output is not None:
        write_output(output, text, inputs)
    else:
        click.echo(text, nl=False)
