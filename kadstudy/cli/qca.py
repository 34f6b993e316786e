"""``kadstudy qca``: ad hoc set analysis of any CSV file (calibrate, truth-table, minimize,
necessity, super-subset). Case names come from the first column (or ``--case-col``)."""

from __future__ import annotations

import csv
import functools
import io
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import click

from kadstudy.errors import KadError
from kadstudy.io import excerpt, printable

# Input files are checked by the readers, which refuse a folder or an unreadable file in one
# line (click would print a usage block).
INPUT = click.Path(readable=False)
FORMATS_TEXT = click.Choice(["text", "csv", "json", "latex", "md"])
FORMAT_HELP = ("text (as R prints it), csv, json (case lists as JSON lists), latex (a booktabs "
               "tabular) or md (a Markdown table).")
MILP_TIME_LIMIT = 300.0  # seconds; kadstudy.sets.minimize.MILP_TIME_LIMIT (not imported: keeps --help fast)


# --allow-synthetic of the running command, and the SYNTHETIC data file it read (set by _read).
_SYNTHETIC: ContextVar[dict[str, Any]] = ContextVar("kadstudy_qca_synthetic")


def _read(path: str, case_col: str | None, output: str | None):
    """The case table; a bad ``-o`` is refused first, before any work. SYNTHETIC data is refused
    without ``--allow-synthetic``; with it, a warning goes to stderr and every output is marked."""
    from kadstudy.io import check_output, read_case_csv

    if output is not None:
        check_output(output, [path])
    state = _SYNTHETIC.get({"allowed": False})
    frame = read_case_csv(path, case_col, allow_synthetic=bool(state.get("allowed")))
    if frame.attrs.get("synthetic"):
        if output is not None and "SYNTHETIC" not in Path(output).name.upper():
            raise KadError(f"-o {output}: the output is derived from SYNTHETIC data ({path}), so its name "
                           "must contain SYNTHETIC; e.g. result_SYNTHETIC.txt")
        state["source"] = path
        click.echo(f"warning: {path} is SYNTHETIC data: no result below describes real forums", err=True)
    return frame


def _with_synthetic_option(group: click.Group) -> None:
    """Give every command of ``group`` that reads a data file the ``--allow-synthetic`` flag."""
    for command in group.commands.values():
        if not any(p.name == "data" for p in command.params) or command.callback is None:
            continue
        command.params.append(click.Option(
            ["--allow-synthetic"], is_flag=True,
            help="Analyse a data file marked SYNTHETIC anyway (the output is marked SYNTHETIC too)."))
        command.callback = _synthetic_callback(command.callback)


def _synthetic_callback(callback):
    @functools.wraps(callback)
    def run(*args, allow_synthetic: bool = False, **kwargs):
        token = _SYNTHETIC.set({"allowed": allow_synthetic})
        try:
            return callback(*args, **kwargs)
        finally:
            _SYNTHETIC.reset(token)
    return run


def _marked(text: str) -> str:
    """``text`` with the SYNTHETIC mark when the command read synthetic data: JSON gets a
    ``synthetic`` key, other formats a first ``# SYNTHETIC`` line."""
    source = _SYNTHETIC.get({}).get("source")
    if source is None:
        return text
    from kadstudy.survey.io import mark_line

    line = mark_line(source)
    if text.lstrip().startswith(("\\begin", "%")):   # LaTeX: a comment line
        return f"%{line.removeprefix('#')}\n{text}"
    if text.lstrip().startswith("{"):
        import json

        from kadstudy.sets._format import dumps

        try:
            return dumps({"synthetic": line.removeprefix("# "), **json.loads(text)})
        except ValueError:
            pass
    return f"{line}\n{text}"


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


def _emit(text: str, output: str | None, data: str) -> None:
    text = _marked(text)
    if output is not None:
        from kadstudy.io import write_output

        write_output(output, text, [data])
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _run(path: str, func):
    """Run ``func``; turn library errors into one-line KadErrors naming the file."""
    from kadstudy.errors import LimitError
    from kadstudy.sets.errors import QCAInputError, QCALimitError, collect_warnings

    try:
        result, messages = collect_warnings(func)
    except QCAInputError as exc:   # it may quote a cell of the file: kept short and printable
        raise KadError(f"{path}: {printable(str(exc))}") from None
    except QCALimitError as exc:   # a bound was hit: exit code 3
        raise LimitError(f"{path}: {printable(str(exc))}") from None
    for message in messages:
        click.echo(f"warning: {printable(message)}", err=True)
    return result


OUTCOME_RE = re.compile(r"~?(?P<name>.*?)(?:\[\d+\]|\{\d+\})?")


def _conditions(path: str, data, conditions: str | None, outcome: str,
                dir_exp: str | None = None) -> list[str]:
    """The conditions (default: every column but the outcome's), after checking the set names
    given on the command line: ``--outcome`` is one column (``~Y`` negates it, ``Y[2]`` a level),
    ``--conditions`` and the keys of ``--dir-exp`` are columns."""
    from kadstudy.sets.errors import QCAInputError
    from kadstudy.sets.names import check_set_names, set_name_problem

    name = OUTCOME_RE.fullmatch(outcome.strip())["name"]  # type: ignore[index]
    problem = set_name_problem(name)
    if problem:
        raise KadError(f"{path}: --outcome {excerpt(outcome)}: {problem} (the outcome is one column; "
                       "~Y negates it)")
    conds = _split(conditions)
    keys = [p.split("=", 1)[0].strip() for p in (_split(dir_exp) or []) if "=" in p]
    try:
        if conds is not None:
            check_set_names(conds, "--conditions")
        for key in keys:
            check_set_names([key], "--dir-exp key")
    except QCAInputError as exc:
        raise KadError(f"{path}: {exc}") from None
    columns = [str(c) for c in data.columns]
    for what, col in [("--outcome", name), *(("--conditions", c) for c in conds or [])]:
        if col not in columns:
            raise KadError(f"{path}: {what}: no column {excerpt(col)}; columns are: "
                           f"{printable(', '.join(columns), 200)}")
    if conds is None:
        conds = [c for c in columns if c != name]
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


def _table_text(frame: Any, fmt: str) -> str:
    """A DataFrame as ``latex``, ``md`` or ``csv`` text (see :mod:`kadstudy.results`)."""
    from kadstudy.results import latex_table, markdown_table

    if fmt == "latex":
        return latex_table(frame)
    if fmt == "md":
        return markdown_table(frame)
    buf = io.StringIO()
    frame.to_csv(buf, lineterminator="\n")
    return buf.getvalue()


def _emit_result(result: Any, fmt: str, output: str | None, data: str) -> None:
    """Write a result object (see :class:`kadstudy.results.ResultMixin`) in the chosen format:
    ``text`` (``summary()``), ``json`` (``to_json()``), ``csv``, ``latex`` or ``md`` (its
    ``to_frame()`` table)."""
    if fmt == "json":
        text = result.to_json()
    elif fmt == "csv":
        text = result.to_csv()
    elif fmt == "latex":
        text = result.to_latex()
    elif fmt == "md":
        text = result.to_markdown()
    else:
        text = result.summary()
    _emit(text, output, data)


@cli.command()
@click.argument("data", type=INPUT)
@click.option("--column", required=True, help="Column to calibrate.")
@click.option("--type", "kind", type=click.Choice(["fuzzy", "crisp"]), default="fuzzy")
@click.option("--thresholds", required=True,
              help="e,c,i (fuzzy direct), t1[,t2...] (crisp, or the ranges of the indirect method).")
@click.option("--method", type=click.Choice(["direct", "indirect"]), default="direct",
              show_default=True, help="indirect: Ragin's method, a fractional logit of range anchors.")
@click.option("--memberships", default=None,
              help="Indirect method: membership of each range, lowest first (default 0,1/k,...,1).")
@click.option("--basis", type=click.Choice(["fracpoly", "linear"]), default="fracpoly",
              show_default=True, help="Indirect method: regressors of the fractional logit.")
@click.option("--case-col", default=None, help="Column with case names (default: first).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "latex", "md"]), default="csv",
              help="csv, json, latex (a booktabs tabular) or md (a Markdown table).")
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def calibrate(data, column, kind, thresholds, method, memberships, basis, case_col, fmt,
              output) -> None:
    """Calibrate one column (R QCA's calibrate(): direct, or indirect with --method indirect)."""
    from kadstudy.sets import calibrate as calib
    from kadstudy.sets import calibrate_indirect
    from kadstudy.sets._format import dumps

    frame = _read(data, case_col, output)
    if column not in frame.columns:
        raise KadError(f"{data}: no column {column!r}; columns are: {', '.join(frame.columns)}")
    try:
        th = [float(t) for t in _split(thresholds) or []]
    except ValueError:
        raise KadError(f"{data}: thresholds {thresholds!r} are not numbers; write e.g. 2,5,8") from None
    if method == "indirect":
        if kind != "fuzzy":
            raise KadError(f"{data}: --method indirect calibrates to fuzzy sets; drop --type crisp")
        try:
            anchors = None if memberships is None else [float(m) for m in _split(memberships) or []]
        except ValueError:
            raise KadError(f"{data}: --memberships {memberships!r} are not numbers; "
                           "write e.g. 0,0.2,0.4,0.6,0.8,1") from None
        values = _run(data, lambda: calibrate_indirect(frame[column], th, anchors, basis=basis,
                                                        name=column))
    else:
        if memberships is not None:
            raise KadError(f"{data}: --memberships applies to --method indirect only")
        values = _run(data, lambda: calib(frame[column], th, kind, name=column))
    if fmt == "json":
        text = dumps({"column": column, "method": method, "thresholds": th,
                      "values": [float(v) for v in values]})
    elif fmt in ("latex", "md"):
        import pandas as pd

        table = pd.DataFrame({column: list(values)},
                             index=pd.Index(frame.index, name=frame.index.name or "case"))
        text = _table_text(table, fmt)
    else:
        rows = [
            [c, repr(float(v)) if kind == "fuzzy" else int(v)]
            for c, v in zip(frame.index, values, strict=True)
        ]
        text = _csv_text([frame.index.name or "case", column], rows)
    _emit(text, output, data)


def _tt_options(f):
    for opt in reversed(
        [
            click.argument("data", type=INPUT),
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
@click.option("--sort-by", default=None,
              help="Order rows as R's sort.by, e.g. incl,n (decreasing; see --increasing).")
@click.option("--increasing", is_flag=True, help="Sort the --sort-by keys in increasing order.")
@click.option("--hide-cases", is_flag=True, help="Leave the case names out (R's show.cases = FALSE).")
@click.option("--r-compat", is_flag=True,
              help="Place the C marks as R 3.25 does with two cut-offs (docs/r-differences.md).")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text", help=FORMAT_HELP)
def truth_table_cmd(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output,
                    complete, sort_by, increasing, hide_cases, r_compat, fmt) -> None:
    """Truth table of the outcome on the conditions."""
    from kadstudy.sets import truth_table

    frame = _read(data, case_col, output)
    conds = _conditions(data, frame, conditions, outcome)
    cuts = _incl(data, incl_cut)
    tt = _run(data, lambda: truth_table(frame, outcome, conds, cuts if len(cuts) > 1 else cuts[0],
                                        n_cut, pri_cut, complete, sort_by=_split(sort_by),
                                        decreasing=not increasing, show_cases=not hide_cases,
                                        r_compat=r_compat))
    _emit_result(tt, fmt, output, data)


@cli.command()
@_tt_options
@click.option("--solution", type=click.Choice(["conservative", "parsimonious", "intermediate"]),
              default="conservative", show_default=True)
@click.option("--dir-exp", default=None, help="Directional expectations, e.g. A=1,B=0,C=-.")
@click.option("--max-models", default=1000, type=int, show_default=True,
              help="List at most this many minimal models.")
@click.option("--max-nodes", default=300_000, type=int, show_default=True,
              help="Branch-and-bound steps per chart when listing the minimal models.")
@click.option("--time-limit", default=MILP_TIME_LIMIT, type=click.FloatRange(min=0),
              show_default=True, help="Seconds for the whole minimisation (all stages); 0: none. "
                                      "When hit: exit code 3.")
@click.option("--memory-budget", default=None,
              help="Memory the minimisation may use, e.g. 4G or 500M (default: half the machine's "
                   "memory). When hit: exit code 3.")
@click.option("--exclude", "exclude", multiple=True,
              help="Rows kept out of the minimisation (OUT = 0): row numbers 3,7 or an "
                   "expression whose unobserved subset rows are excluded, e.g. 'A*~B'; repeatable.")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text", help=FORMAT_HELP)
def minimize(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output, solution,
             dir_exp, max_models, max_nodes, time_limit, memory_budget, exclude, fmt) -> None:
    """Boolean minimisation of the truth table (all minimal models).

    Every stage is bounded by --time-limit and --memory-budget; when one is hit the command
    stops with one line naming the stage, how far it got and what to change, and exit code 3.
    """
    from kadstudy.cli._limits import Progress, default_memory_budget
    from kadstudy.sets import minimize as minim
    from kadstudy.sets.limits import parse_size

    if memory_budget is None:
        budget = default_memory_budget()
    else:
        try:
            budget = parse_size(memory_budget)
        except ValueError as exc:
            raise KadError(f"--memory-budget: {exc}") from None
    frame = _read(data, case_col, output)
    conds = _conditions(data, frame, conditions, outcome, dir_exp)
    cuts = _incl(data, incl_cut)
    with Progress() as progress:
        sol = _run(
            data,
            lambda: minim(frame, outcome, conds, solution=solution, dir_exp=dir_exp,
                          incl_cut=cuts if len(cuts) > 1 else cuts[0], n_cut=n_cut,
                          pri_cut=pri_cut, max_models=max_models, max_nodes=max_nodes,
                          time_limit=time_limit or None, exclude=_exclude_spec(exclude),
                          memory_budget=budget, progress=progress),
        )
    _emit_result(sol, fmt, output, data)


@cli.command()
@click.argument("data", type=INPUT)
@click.option("--outcome", required=True, help="Outcome column; ~Y negates it.")
@click.option("--conditions", default=None, help="A,B,C (default: all other columns).")
@click.option("--case-col", default=None, help="Column with case names (default: first).")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text", help=FORMAT_HELP)
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def necessity(data, outcome, conditions, case_col, fmt, output) -> None:
    """Necessity (inclN, RoN, covN) of each condition and its negation."""
    from kadstudy.sets import necessity as nec

    frame = _read(data, case_col, output)
    conds = _conditions(data, frame, conditions, outcome)
    res = _run(data, lambda: nec(frame, outcome, conds))
    _emit_result(res, fmt, output, data)


@cli.command("super-subset")
@click.argument("data", type=INPUT)
@click.option("--outcome", required=True, help="Outcome column; ~Y negates it.")
@click.option("--conditions", default=None, help="A,B,C (default: all other columns).")
@click.option("--relation", type=click.Choice(["necessity", "sufficiency"]), default="necessity",
              show_default=True)
@click.option("--incl-cut", default=1.0, type=float, show_default=True,
              help="Minimal inclusion (inclN, or inclS for sufficiency).")
@click.option("--cov-cut", default=0.0, type=float, show_default=True,
              help="Minimal coverage (covN, or covS).")
@click.option("--ron-cut", default=0.0, type=float, show_default=True,
              help="Minimal RoN (necessity).")
@click.option("--pri-cut", default=0.0, type=float, show_default=True,
              help="Minimal PRI (sufficiency).")
@click.option("--depth", default=None, type=int, help="Most literals per expression (default: all).")
@click.option("--case-col", default=None, help="Column with case names (default: first).")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text", help=FORMAT_HELP)
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def super_subset_cmd(data, outcome, conditions, relation, incl_cut, cov_cut, ron_cut, pri_cut,
                     depth, case_col, fmt, output) -> None:
    """Necessary (or sufficient) conjunctions and disjunctions (R QCA's superSubset())."""
    from kadstudy.sets import super_subset

    frame = _read(data, case_col, output)
    conds = _conditions(data, frame, conditions, outcome)
    res = _run(data, lambda: super_subset(frame, outcome, conds, relation=relation,
                                          incl_cut=incl_cut, cov_cut=cov_cut, ron_cut=ron_cut,
                                          pri_cut=pri_cut, depth=depth))
    _emit_result(res, fmt, output, data)


# ---------------------------------------------------------------------------- good practice (ESA,
# untenable rows, theory evaluation, skewness)


def _exclude_spec(values: tuple[str, ...] | list[str]) -> list[int | str] | None:
    """``--exclude`` values: row numbers (``3,7``) or expressions (``A*~B``)."""
    import re

    out: list[int | str] = []
    for value in values:
        if re.fullmatch(r"[\d\s,]+", value):
            out += [int(v) for v in _split(value) or []]
        elif value.strip():
            out.append(value.strip())
    return out or None


def _rows_option(data: str, option: str, text: str | None) -> list[int]:
    try:
        return [int(v) for v in _split(text) or []]
    except ValueError:
        raise KadError(f"{data}: {option} {text!r} is not a list of row numbers; write e.g. 3,7") from None


def _truth_table(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output,
                 dir_exp=None):
    from kadstudy.sets import truth_table

    frame = _read(data, case_col, output)
    conds = _conditions(data, frame, conditions, outcome, dir_exp)
    cuts = _incl(data, incl_cut)
    tt = _run(data, lambda: truth_table(frame, outcome, conds,
                                        cuts if len(cuts) > 1 else cuts[0], n_cut, pri_cut))
    return frame, tt


@cli.command("esa")
@_tt_options
@click.option("--solution", type=click.Choice(["conservative", "parsimonious", "intermediate"]),
              default="parsimonious", show_default=True)
@click.option("--dir-exp", default=None, help="Directional expectations: A=1,B=0 or 'A, ~B, C*D'.")
@click.option("--nec-cond", multiple=True,
              help="A necessary condition (e.g. A or 'A + ~B'); remainders outside it are "
                   "untenable and excluded. Repeatable.")
@click.option("--impossible", multiple=True,
              help="A logically impossible combination (e.g. 'A*~B'); its remainders are excluded. "
                   "Repeatable (SetMethods' untenable_LR).")
@click.option("--contrad-rows", default=None, help="Row numbers to exclude, e.g. 3,7.")
@click.option("--csa", is_flag=True,
              help="Also exclude the contradictory simplifying assumptions (find-rows --type 2).")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text",
              help=FORMAT_HELP + " csv, latex and md give the solution's table.")
def esa_cmd(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output, solution,
            dir_exp, nec_cond, impossible, contrad_rows, csa, fmt) -> None:
    """Enhanced Standard Analysis (SetMethods' esa()): exclude untenable, impossible and
    contradictory rows, then minimise."""
    from kadstudy.sets import esa, find_rows, minimize
    from kadstudy.sets._format import dumps

    _, tt = _truth_table(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output,
                         dir_exp)
    rows = _rows_option(data, "--contrad-rows", contrad_rows)

    def work():
        named = {r: "contradictory row" for r in rows}
        for r in find_rows(tt, type=2) if csa else []:
            named.setdefault(r, "contradictory simplifying assumption (CSA)")
        new = esa(tt, nec_cond=list(nec_cond), untenable_lr=list(impossible), contrad_rows=named)
        return new, minimize(new, solution=solution, dir_exp=dir_exp)

    new_tt, sol = _run(data, work)
    excluded = [{"row": int(r), "reason": why} for r, why in new_tt.excluded.items()]
    if fmt == "json":
        text = dumps({"excluded": excluded, "solution": sol.to_dict()})
    elif fmt in ("csv", "latex", "md"):
        text = {"csv": sol.to_csv, "latex": sol.to_latex, "md": sol.to_markdown}[fmt]()
        said = "; ".join(f"{e['row']} ({e['reason']})" for e in excluded) or "none"
        if fmt == "md":
            text = f"Rows excluded from the minimisation (coded OUT = 0): {said}\n\n{text}"
        elif fmt == "latex":
            text = f"% Rows excluded from the minimisation (coded OUT = 0): {said}\n{text}"
    else:
        lines = ["Rows excluded from the minimisation (coded OUT = 0):"]
        lines += [f"  {e['row']}: {e['reason']}" for e in excluded] or ["  none"]
        text = "\n".join(lines) + "\n\n" + sol.summary()
    _emit(text, output, data)


@cli.command("find-rows")
@_tt_options
@click.option("--expression", default=None, help="Type 1: rows that are subsets of it, e.g. 'A*~B'.")
@click.option("--type", "types", default="1", show_default=True,
              help="1 subsets of --expression, 2 contradictory simplifying assumptions, "
                   "3 simultaneous subset relations, 0 all; e.g. 2,3.")
@click.option("--observed", is_flag=True, help="Type 1: also observed rows.")
@click.option("--neg-incl-cut", default=None, type=float,
              help="incl.cut of the negated outcome's truth table (default: as R).")
@click.option("--neg-n-cut", default=None, type=int, help="n.cut for the negated outcome.")
@click.option("--neg-pri-cut", default=None, type=float, help="pri.cut for the negated outcome.")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text", help=FORMAT_HELP)
def find_rows_cmd(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output,
                  expression, types, observed, neg_incl_cut, neg_n_cut, neg_pri_cut, fmt) -> None:
    """Untenable rows (R QCA's findRows()): subsets of an expression, CSAs, SSRs."""
    from kadstudy.sets._format import dumps, table
    from kadstudy.sets.esa import FIND_TYPES, find_rows_by_type, find_rows_frame

    _, tt = _truth_table(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output)
    wanted = _rows_option(data, "--type", types)
    found = _run(data, lambda: find_rows_by_type(tt, expression, wanted, observed,
                                                 incl_cut=neg_incl_cut, n_cut=neg_n_cut,
                                                 pri_cut=neg_pri_cut))
    frame = find_rows_frame(tt, found)
    if fmt == "json":
        text = dumps({
            "outcome": tt.outcome,
            "rows": [int(r) for r in frame.index],
            "by_type": {FIND_TYPES[t]: rows for t, rows in found.items()},
            "table": [{"row": int(r), **{c: (int(v) if c in tt.conditions or c == "n" else v)
                                         for c, v in rec.items()}}
                      for r, rec in frame.to_dict(orient="index").items()],
        })
    elif fmt in ("csv", "latex", "md"):
        text = _table_text(frame, fmt)
    else:
        head = ", ".join(f"{FIND_TYPES[t]}: {len(rows)}" for t, rows in found.items())
        body = [[str(r), *(str(int(rec[c])) for c in tt.conditions), rec["OUT"], str(rec["n"]),
                 rec["type"]] for r, rec in frame.iterrows()]
        text = f"Rows found for {tt.outcome} ({head})\n\n"
        text += (table(["row", *tt.conditions, "OUT", "n", "type"], body,
                       "r" * (len(tt.conditions) + 3) + "l") if body else "none") + "\n"
    _emit(text, output, data)


@cli.command("theory")
@_tt_options
@click.option("--theory", "theory", required=True, help="The theory as an expression, e.g. 'A*B + ~C'.")
@click.option("--solution-expr", default=None,
              help="The empirical solution as an expression (instead of minimising).")
@click.option("--solution", type=click.Choice(["conservative", "parsimonious", "intermediate"]),
              default="conservative", show_default=True)
@click.option("--dir-exp", default=None, help="Directional expectations (intermediate solution).")
@click.option("--model", default="1", show_default=True,
              help="Which model of an ambiguous solution: number or label (M2, 'C1P1 M1').")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text", help=FORMAT_HELP)
def theory_cmd(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output, theory,
               solution_expr, solution, dir_exp, model, fmt) -> None:
    """Theory evaluation (SetMethods' theory.evaluation()): T*S, ~T*S, T*~S, ~T*~S."""
    from kadstudy.sets import minimize, theory_evaluation

    frame, tt = _truth_table(data, outcome, conditions, incl_cut, n_cut, pri_cut, case_col, output,
                             dir_exp)
    which: int | str = int(model) if model.strip().isdigit() else model.strip()

    def work():
        sol = solution_expr if solution_expr else minimize(tt, solution=solution, dir_exp=dir_exp)
        return theory_evaluation(frame, theory, sol, outcome=outcome, model=which)

    _emit_result(_run(data, work), fmt, output, data)


@cli.command("skew")
@click.argument("data", type=INPUT)
@click.option("--sets", default=None, help="A,B,C (default: every column).")
@click.option("--extreme", default=0.2, type=float, show_default=True,
              help="Flag a set when fewer than this share, or more than 1 - it, of the cases "
                   "are above 0.5.")
@click.option("--case-col", default=None, help="Column with case names (default: first).")
@click.option("--format", "fmt", type=FORMATS_TEXT, default="text", help=FORMAT_HELP)
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def skew_cmd(data, sets, extreme, case_col, fmt, output) -> None:
    """Skewness of calibrated sets (SetMethods' skew.check()): share of cases above 0.5."""
    from kadstudy.sets import skewness

    frame = _read(data, case_col, output)
    _emit_result(_run(data, lambda: skewness(frame, _split(sets), extreme)), fmt, output, data)


_with_synthetic_option(cli)
