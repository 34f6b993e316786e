"""``kadstudy qca``: ad hoc set analysis of any CSV file (calibrate, truth-table, minimize,
necessity). Case names come from the first column (or ``--case-col``)."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import click

from kadstudy.errors import KadError

FORMATS_TEXT = click.Choice(["text", "csv", "json"])


def _read(path: str, case_col: str | None):
    import pandas as pd

    p = Path(path)
    try:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise KadError(f"{path}: no such file; check the path") from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise KadError(f"{path}: cannot read as CSV ({str(exc).splitlines()[0]})") from None
    if raw.shape[1] < 2:
        raise KadError(f"{path}: needs a case-name column and at least one data column")
    if len(raw) == 0:
        raise KadError(f"{path}: the dataset is empty; add at least one case")
    col = case_col or raw.columns[0]
    if col not in raw.columns:
        raise KadError(f"{path}: no case column {col!r}; columns are: {', '.join(raw.columns)}")
    cases = raw[col].astype(str)
    dup = cases[cases.duplicated()]
    if len(dup):
        raise KadError(f"{path}: duplicate case name {dup.iloc[0]!r} in column {col!r}; "
                       "make case names unique")
    data = raw.drop(columns=[col])
    data.index = pd.Index(cases, name=col)
    # blank cells are missing values; everything else must parse as a number downstream
    return data.replace({"": None})


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


def _emit(text: str, output: str | None) -> None:
    if output:
        from kadstudy.io import atomic_write_text

        atomic_write_text(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _run(path: str, func):
    """Run ``func``; turn library errors into one-line KadErrors naming the file."""
    from kadstudy.sets.errors import QCAInputError, QCAWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", QCAWarning)
        try:
            result = func()
        except QCAInputError as exc:
            raise KadError(f"{path}: {exc}") from None
    for w in caught:
        if issubclass(w.category, QCAWarning):
            click.echo(f"warning: {w.message}", err=True)
    return result


def _conditions(data, conditions: str | None, outcome: str) -> list[str] | None:
    conds = _split(conditions)
    if conds is None:
        from kadstudy.sets.expr import parse_expr

        try:
            names = parse_expr(outcome).names
        except Exception:
            names = []
        conds = [c for c in data.columns if c not in names]
    return conds


def _csv_text(header: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Set analysis (QCA) on a CSV file whose first column holds case names."""


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--column", required=True, help="Column to calibrate.")
@click.option("--type", "kind", type=click.Choice(["fuzzy", "crisp"]), default="fuzzy")
@click.option("--thresholds", required=True, help="e,c,i (fuzzy) or t1[,t2...] (crisp).")
@click.option("--case-col", default=None, help="Column with case names (default: first).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def calibrate(data, column, kind, thresholds, case_col, fmt, output) -> None:
    """Calibrate one column (direct method, R QCA's calibrate())."""
    from kadstudy.sets import calibrate as calib
    from kadstudy.sets._format import dumps

    frame = _read(data, case_col)
    if column not in frame.columns:
        raise KadError(f"{data}: no column {column!r}; columns are: {', '.join(frame.columns)}")
    try:
        th = [float(t) for t in _split(thresholds) or []]
    except ValueError:
        raise KadError(f"{data}: thresholds {thresholds!r} are not numbers; write e.g. 2,5,8") from None
    values = _run(data, lambda: calib(frame[column], th, kind, name=column))
    if fmt == "json":
        text = dumps({"column": column, "thresholds": th, "values": [float(v) for v in values]})
    else:
        rows = [
            [c, repr(float(v)) if kind == "fuzzy" else int(v)]
            for c, v in zip(frame.index, values, strict=True)
        ]
        text = _csv_text([frame.index.name or "case", column], rows)
    _emit(text, output)


def _tt_options(f):
    for opt in reversed(
        [
            click.argument("data", type=click.Path(dir_okay=False)),
            click.option("--outcome", required=True, help="Outcome column; ~Y negates it."),
            click.option("--conditions", default=None, help="A,B,C (default: all other columns)."),
            click.option("--incl-cut", default="1", help="Inclusion cut-off, or two: 0.8,0.6."),
            click.option("--n-cut", default=1, type=int, show_default=True),
            click.option("--pri-cut", default=0.0, type=float, show_default=True),
            click.option("--case-col", default=None, help="Column with case names (default: first)."),
            click.option("-o", "--output", default=None, help="Write to FILE instead of stdout."),
        ]
    ):
        f = opt(f)
    return f


def _incl(data: str, text: str) -> list[float]:
    try:
        return [float(v) for v in _split(text) or []]
    except ValueError:
        raise KadError(f"{data}: --incl-cut {text!r} is not a number; write e.g. 0.8") from None


@cli.command("truth-table")
@_tt_options
@click.option("--complete", is_flag=True, help="Also list the remainders.")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text")
def truth_table_cmd(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output,
                    complete, fmt) -> None:
    """Truth table of the outcome on the conditions."""
    from kadstudy.sets import truth_table

    frame = _read(data, case_col)
    conds = _conditions(frame, conditions, outcome)
    cuts = _incl(data, incl_cut)
    tt = _run(data, lambda: truth_table(frame, outcome, conds, cuts if len(cuts) > 1 else cuts[0],
                                        n_cut, pri_cut, complete))
    if fmt == "json":
        text = tt.to_json()
    elif fmt == "csv":
        buf = io.StringIO()
        tt.to_frame().to_csv(buf, lineterminator="\n")
        text = buf.getvalue()
    else:
        text = tt.summary()
    _emit(text, output)


@cli.command()
@_tt_options
@click.option("--solution", type=click.Choice(["conservative", "parsimonious", "intermediate"]),
              default="conservative", show_default=True)
@click.option("--dir-exp", default=None, help="Directional expectations, e.g. A=1,B=0,C=-.")
@click.option("--max-models", default=1000, type=int, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def minimize(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output, solution,
             dir_exp, max_models, fmt) -> None:
    """Boolean minimisation of the truth table (all minimal models)."""
    from kadstudy.sets import minimize as minim

    frame = _read(data, case_col)
    conds = _conditions(frame, conditions, outcome)
    cuts = _incl(data, incl_cut)
    sol = _run(
        data,
        lambda: minim(frame, outcome, conds, solution=solution, dir_exp=dir_exp,
                      incl_cut=cuts if len(cuts) > 1 else cuts[0], n_cut=n_cut,
                      pri_cut=pri_cut, max_models=max_models),
    )
    _emit(sol.to_json() if fmt == "json" else sol.summary(), output)


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--outcome", required=True, help="Outcome column; ~Y negates it.")
@click.option("--conditions", default=None, help="A,B,C (default: all other columns).")
@click.option("--case-col", default=None, help="Column with case names (default: first).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def necessity(data, outcome, conditions, case_col, fmt, output) -> None:
    """Necessity (inclN, RoN, covN) of each condition and its negation."""
    from kadstudy.sets import necessity as nec

    frame = _read(data, case_col)
    conds = _conditions(frame, conditions, outcome)
    res = _run(data, lambda: nec(frame, outcome, conds))
    _emit(res.to_json() if fmt == "json" else res.summary(), output)
