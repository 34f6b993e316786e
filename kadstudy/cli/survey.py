"""``kadstudy survey``: the trust and social-capital survey: validate responses, reliability of the
scales, factor structure, aggregation to forums with calibrated set memberships, and SYNTHETIC
demonstration data.

Bad input stops a command with one ``error:`` line per problem and exit code 2; nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import click

from kadstudy.errors import DataError

# Input files are checked by the readers, which refuse a folder or an unreadable file in one
# line (click would print a usage block).
INPUT = click.Path(readable=False)
INSTRUMENT = Path("datasets") / "survey" / "instrument.yaml"
FORUMS = Path("datasets") / "kad_forums" / "forums.csv"
SYNTHETIC_OUT = Path("datasets") / "survey" / "responses_SYNTHETIC.csv"


def _root() -> Path:
    from kadstudy.data.dataset import project_root

    return project_root()


def _or_default(path: str | None, default: Path) -> Path:
    """The given path, else the project's default file (only then is a project needed)."""
    return Path(path) if path else _root() / default


def _inputs(f):
    for opt in reversed([
        click.argument("file", type=INPUT),
        click.option("--instrument", "instrument_path", default=None, type=INPUT,
                     help=f"Instrument YAML (default: {INSTRUMENT.as_posix()})."),
        click.option("--forums", "forums_path", default=None, type=INPUT,
                     help=f"Case table with the known forum_id values (default: {FORUMS.as_posix()})."),
    ]):
        f = opt(f)
    return f


def _format(*choices: str):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=choices[0],
                        show_default=True)


def _output(f):
    return click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")(f)


def _input_paths(file: str | None, instrument_path: str | None, forums_path: str | None) -> list[Path]:
    """The files a command reads (defaults resolved): an output must be none of them."""
    paths = [_or_default(instrument_path, INSTRUMENT), _or_default(forums_path, FORUMS)]
    return [Path(file), *paths] if file is not None else paths


def _load(file: str, instrument_path: str | None, forums_path: str | None, output: str | None = None):
    """Instrument, case table (with ``attrs['file']``) and checked responses; a bad ``-o`` is
    refused first, before any work."""
    from kadstudy.io import check_output
    from kadstudy.survey import io as sio

    if output is not None:
        check_output(output, _input_paths(file, instrument_path, forums_path))
    inst = sio.read_instrument(_or_default(instrument_path, INSTRUMENT))
    forums_file = _or_default(forums_path, FORUMS)
    forums = sio.read_forums(forums_file)
    forums.attrs["file"] = sio.shown(forums_file)
    resp = sio.read_responses(file, inst, list(forums.index), forums_file=forums.attrs["file"])
    if output is not None and resp.synthetic and sio.SYNTHETIC not in Path(output).name.upper():
        out = Path(output)
        example = out.with_name(f"{out.stem}{sio.SUFFIX}{out.suffix}")
        raise DataError(f"-o {output}: the output is derived from SYNTHETIC responses ({resp.file}), so its "
                        f"name must contain SYNTHETIC; e.g. {example}")
    return inst, forums, resp


def _marked_csv(text: str, resp) -> str:
    """CSV text, with the SYNTHETIC first line when it is derived from synthetic responses."""
    from kadstudy.survey.io import mark_line

    return f"{mark_line(resp.file)}\n{text}" if resp.synthetic else text


def _emit(text: str, output: str | None, inputs: list[Path]) -> None:
    if output is not None:
        from kadstudy.io import write_output

        write_output(output, text, inputs)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _banner(resp) -> str:
    return ("SYNTHETIC DATA - not real survey responses; no number below describes real officials.\n"
            if resp.synthetic else "")


def _csv(frame) -> str:
    out = frame.reset_index() if frame.index.name else frame
    return out.to_csv(index=False, lineterminator="\n", float_format="%.6g")


def _text(frame, digits: int = 3, left: tuple[str, ...] = ()) -> str:
    """A frame as a fixed-width table (index included when named)."""
    from kadstudy.sets._format import num, table

    out = frame.reset_index() if frame.index.name else frame
    rows = [[num(v, digits) if isinstance(v, float) else str(v) for v in row]
            for row in out.itertuples(index=False)]
    align = "".join("l" if c in left or out[c].dtype == object or str(out[c].dtype) in ("str", "string")
                    else "r" for c in out.columns)
    return table([str(c) for c in out.columns], rows, align)


def _records(frame) -> list[dict]:
    out = frame.reset_index() if frame.index.name else frame
    return out.to_dict(orient="records")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Survey of trust and social capital among officials of KAD member governments."""


@cli.command()
@_inputs
def validate(file, instrument_path, forums_path) -> None:
    """Check a responses file against the instrument and the known forums."""
    inst, _, resp = _load(file, instrument_path, forums_path)
    frame = resp.frame
    click.echo(f"{resp.file}: ok: {len(frame)} respondents in {frame['forum_id'].nunique()} forums, "
               f"{len(inst.items)} items of instrument '{inst.id}'"
               + (" (SYNTHETIC data)" if resp.synthetic else ""))


@cli.command()
@_inputs
@click.option("--items", "with_items", is_flag=True,
              help="Also the item table (item-rest r, alpha if deleted).")
@_format("text", "csv", "json")
@_output
def scales(file, instrument_path, forums_path, with_items, fmt, output) -> None:
    """Reliability of every scale: alpha with 95% CI, omega, mean inter-item r."""
    from kadstudy.sets._format import dumps
    from kadstudy.survey import item_analysis, reliability, reverse_score

    inst, _, resp = _load(file, instrument_path, forums_path, output)
    scored = reverse_score(resp.frame, inst)
    rel = reliability(scored, inst)
    items = item_analysis(scored, inst) if with_items else None
    if fmt == "json":
        doc = {"file": resp.file, "synthetic": resp.synthetic, "reliability": _records(rel)}
        if items is not None:
            doc["items"] = _records(items)
        text = dumps(doc)
    elif fmt == "csv":
        text = _marked_csv(_csv(rel) + (("\n" + _csv(items)) if items is not None else ""), resp)
    else:
        shown = rel.drop(columns=["label"])
        text = (_banner(resp) + f"Reliability of the scales ({len(resp.frame)} respondents; alpha and "
                "omega on complete rows, 95% CI of alpha after Feldt)\n\n" + _text(shown) + "\n")
        if items is not None:
            text += "\nItems (after reverse-scoring)\n\n" + _text(items) + "\n"
    _emit(text, output, _input_paths(file, instrument_path, forums_path))


@cli.command()
@_inputs
@click.option("--n-factors", type=click.IntRange(1, 50), default=None,
              help="Factors to extract (default: what parallel analysis suggests).")
@click.option("--rotation", type=click.Choice(["oblimin", "promax", "varimax", "none"]), default="oblimin",
              show_default=True)
@click.option("--iterations", type=click.IntRange(10, 100000), default=200, show_default=True,
              help="Random correlation matrices for parallel analysis.")
@click.option("--seed", type=int, default=1, show_default=True)
@_format("text", "json")
@_output
def factors(file, instrument_path, forums_path, n_factors, rotation, iterations, seed, fmt, output) -> None:
    """Factor structure: KMO/Bartlett, parallel analysis, EFA loadings, CFA fit of the scales."""
    from kadstudy.sets._format import dumps
    from kadstudy.survey.analysis import analyse

    inst, _, resp = _load(file, instrument_path, forums_path, output)
    res = analyse(resp, inst, n_factors=n_factors, rotation=rotation, pa_iterations=iterations,
                  seed=seed)
    if res.efa is None:
        raise DataError(f"{resp.file}: {res.factor_note}; collect more responses")
    if fmt == "json":
        doc = {"file": resp.file, "synthetic": resp.synthetic, "adequacy": res.adequacy,
               "parallel_analysis": _records(res.parallel), "suggested_factors": res.n_factors_suggested,
               "efa": {"rotation": rotation, "loadings": _records(res.efa.loadings),
                       "factor_corr": _records(res.efa.factor_corr.rename_axis("factor"))},
               "cfa": ({"fit": res.cfa.fit, "loadings": _records(res.cfa.loadings)} if res.cfa
                       else {"note": res.cfa_note})}
        _emit(dumps(doc), output, _input_paths(file, instrument_path, forums_path))
        return
    a = res.adequacy
    parts = [_banner(resp) + f"KMO {a['kmo']:.3f}; Bartlett chi2 = {a['bartlett_chi2']:.1f}, "
             f"df = {a['bartlett_df']:.0f}, p = {a['bartlett_p']:.3g}",
             f"Parallel analysis ({iterations} random correlation matrices, 95th percentile): "
             f"retain {res.n_factors_suggested} factor(s)\n\n" + _text(res.parallel.head(10)),
             f"EFA: ML, {res.efa.loadings.shape[1]} factor(s), {rotation} rotation, n = {res.efa.n}"
             + ("" if res.efa.converged else " (the ML fit did not converge: read with care)") + "\n\n"
             + _text(res.efa.loadings, 2),
             "Factor correlations\n\n" + _text(res.efa.factor_corr.rename_axis("factor"), 2)]
    if res.cfa:
        f = res.cfa.fit
        parts.append(f"CFA of the intended scales ({res.cfa_note}): chi2 = {f['chi2']:.1f}, df = "
                     f"{f['df']:.0f}, p = {f['p']:.3g}, CFI = {f['CFI']:.3f}, TLI = {f['TLI']:.3f}, "
                     f"RMSEA = {f['RMSEA']:.3f}")
    else:
        parts.append(f"CFA: {res.cfa_note}")
    _emit("\n\n".join(parts) + "\n", output, _input_paths(file, instrument_path, forums_path))


@cli.command()
@_inputs
@click.option("--min-respondents", type=click.IntRange(2, None), default=None,
              help="Flag forums with fewer scored respondents (default: the instrument's).")
@click.option("--calibrate", "calibrated", is_flag=True,
              help="Output fuzzy set memberships (TRUST, SOCCAP, ...) instead of the summaries.")
@click.option("--join", "join", is_flag=True,
              help="With --calibrate: the case table with the sets added as columns (for kadstudy qca).")
@click.option("--keep-thin", is_flag=True, help="Calibrate flagged forums too.")
@click.option("--allow-synthetic", is_flag=True,
              help="With --join: join sets of SYNTHETIC responses onto the real cases anyway (the output "
                   "is marked SYNTHETIC: first line, set names ending in _SYNTHETIC).")
@_format("text", "csv", "json")
@_output
def aggregate(file, instrument_path, forums_path, min_respondents, calibrated, join, keep_thin,
              allow_synthetic, fmt, output) -> None:
    """Scale scores per forum: n, mean, median, sd, rwg(J), ICC(1)/ICC(2); thin forums flagged."""
    from kadstudy.sets._format import dumps
    from kadstudy.survey import (
        calibrate_forums,
        forum_means,
        forum_table,
        icc_table,
        join_conditions,
        reverse_score,
        scale_scores,
    )

    if join and not calibrated:
        raise click.UsageError("--join needs --calibrate")
    inst, forums, resp = _load(file, instrument_path, forums_path, output)
    scored = reverse_score(resp.frame, inst)
    scores = scale_scores(scored, inst)
    table = forum_table(scored, scores, resp.frame["forum_id"], inst, min_respondents)
    min_n = min_respondents or inst.min_respondents
    if calibrated:
        member = calibrate_forums(table, inst, keep_thin=keep_thin)
        if join and resp.synthetic:
            _synthetic_join(resp, forums.attrs["file"], allow_synthetic)
            member = member.rename(columns=lambda c: f"{c}{_suffix()}")
        sets = list(member.columns)
        if join:
            try:
                member = join_conditions(forums, member)
            except ValueError as exc:
                raise DataError(f"{forums.attrs['file']}: {exc}; rename the sets in the instrument") from None
        if fmt == "json":
            text = dumps({"file": resp.file, "synthetic": resp.synthetic, "anchors": {
                inst.set_name(s): list(inst.anchors_of(s)) for s in inst.score_names},
                "memberships": _records(member)})
        elif fmt == "csv":
            text = _marked_csv(_csv(member), resp)
        else:
            anchors = ", ".join(f"{inst.set_name(s)} {list(inst.anchors_of(s))}" for s in inst.score_names)
            text = (_banner(resp) + f"Fuzzy memberships (direct method; anchors exclusion, crossover, "
                    f"inclusion: {anchors}); forums with fewer than {min_n} respondents get none"
                    + ("" if not keep_thin else " (--keep-thin: calibrated anyway)") + "\n\n"
                    + _text(member[[c for c in ("name", *sets) if c in member.columns]], 2) + "\n")
        _emit(text, output, _input_paths(file, instrument_path, forums_path))
        return
    icc = icc_table(scores, resp.frame["forum_id"], inst)
    if fmt == "json":
        text = dumps({"file": resp.file, "synthetic": resp.synthetic, "min_respondents": min_n,
                      "forums": _records(table), "icc": _records(icc)})
    elif fmt == "csv":
        text = _marked_csv(_csv(table), resp)
    else:
        wide = forum_means(table)
        wide.columns = [inst.set_name(c) for c in wide.columns]
        by_forum = table.groupby("forum_id")
        wide.insert(0, "n", resp.frame.groupby("forum_id").size().reindex(wide.index))
        wide["rwg_min"] = by_forum["rwg_j"].min().reindex(wide.index)
        wide["flag"] = ["thin" if t else "" for t in by_forum["thin"].any().reindex(wide.index)]
        wide.index.name = "forum_id"
        text = (_banner(resp) + f"Forum means of the scale scores (n = respondents; thin = fewer than "
                f"{min_n} with a score; rwg_min = lowest rwg(J) of the forum's scores)\n\n"
                + _text(wide, 2) + "\n\nWithin-forum agreement and forum differences (one-way ANOVA)\n\n"
                + _text(icc[["set", "forums", "respondents", "k0", "F", "p", "icc1", "icc2"]]) + "\n")
    _emit(text, output, _input_paths(file, instrument_path, forums_path))


def _suffix() -> str:
    from kadstudy.survey.io import SUFFIX

    return SUFFIX


def _synthetic_join(resp, forums_file: str, allowed: bool) -> None:
    """Refuse to join sets of synthetic responses onto real cases without ``--allow-synthetic``;
    with it, warn on stderr."""
    if not allowed:
        raise DataError(f"{resp.file}: SYNTHETIC responses; --join would attach invented scores to the "
                        f"real cases of {forums_file}; give --allow-synthetic to join them anyway (the "
                        "output is then marked SYNTHETIC)")
    click.echo(f"warning: {resp.file} is SYNTHETIC: the joined sets (suffix {_suffix()}) are invented "
               "scores, not data about the real forums of " + forums_file, err=True)


@cli.command()
@click.option("--seed", type=int, default=None, help="Random seed (default: the model's SEED).")
@click.option("--instrument", "instrument_path", default=None, type=INPUT,
              help=f"Instrument YAML (default: {INSTRUMENT.as_posix()}).")
@click.option("--forums", "forums_path", default=None, type=INPUT,
              help=f"Case table whose forum_id values get respondents (default: {FORUMS.as_posix()}).")
@click.option("-o", "--output", default=None,
              help=f"Where to write (default: {SYNTHETIC_OUT.as_posix()}); the name must contain SYNTHETIC.")
def synthesize(seed, instrument_path, forums_path, output) -> None:
    """Write SYNTHETIC responses drawn from the planted latent-factor model (deterministic)."""
    from kadstudy.io import check_output, write_output
    from kadstudy.survey import io as sio
    from kadstudy.survey import synthetic

    root = _root()
    target = Path(output) if output is not None else root / SYNTHETIC_OUT
    option = "-o" if output is not None else "output"
    if "SYNTHETIC" not in target.name.upper():
        raise DataError(f"{target}: the file name must contain SYNTHETIC so invented data cannot pass "
                        "as real; e.g. responses_SYNTHETIC.csv")
    inputs = _input_paths(None, instrument_path, forums_path)
    check_output(target, inputs, option)
    inst = sio.read_instrument(instrument_path or root / INSTRUMENT)
    forums_file = Path(forums_path) if forums_path else root / FORUMS
    ids = list(sio.read_forums(forums_file).index)
    seed = synthetic.SEED if seed is None else seed
    try:
        frame = synthetic.generate(inst, ids, seed)
    except ValueError as exc:
        raise DataError(f"{sio.shown(instrument_path or root / INSTRUMENT)}: {exc}") from None
    forums_shown = forums_file.relative_to(root).as_posix() if forums_file.is_relative_to(root) \
        else sio.shown(forums_file)
    text = sio.responses_csv(frame, inst, synthetic.header_lines(seed, len(set(ids)), forums_shown))
    write_output(target, text, inputs, option)
    click.echo(f"wrote {sio.shown(target)}: {len(frame)} SYNTHETIC respondents in {len(set(ids))} forums "
               f"(seed {seed})")


__all__ = ["cli"]
