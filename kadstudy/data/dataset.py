"""A dataset folder (``datasets/<name>/``): codebook, codings (master) and the derived wide table."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kadstudy.data.codebook import Codebook, read_codebook
from kadstudy.data.codings import Coding, read_codings
from kadstudy.data.validate import (
    Problem,
    check_codings,
    check_quotes,
    missing_sources,
    read_sources,
)
from kadstudy.errors import DataError, KadError

if TYPE_CHECKING:
    import pandas as pd

CODEBOOK, CODINGS, WIDE = "codebook.yaml", "codings.csv", "forums.csv"


NOT_A_PROJECT = ("not a kadstudy project: {} (no analyses/ folder here or above); "
                 "run it from a project's root")


def find_project_root(start: Path | None = None, *, analyses_only: bool = False) -> Path | None:
    """The nearest folder from ``start`` (default: the working directory) upwards that holds an
    ``analyses/`` folder or (unless ``analyses_only``) a ``datasets/`` folder beside a
    ``pyproject.toml``; None outside any project."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "analyses").is_dir():
            return folder
        if not analyses_only and (folder / "datasets").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return None


def project_root(*, analyses_only: bool = False) -> Path:
    """The project the working directory is in (see :func:`find_project_root`). Outside one, a
    :class:`KadError`: never the folder the package is installed in, so no command writes into
    site-packages."""
    root = find_project_root(analyses_only=analyses_only)
    if root is None:
        raise KadError(NOT_A_PROJECT.format(Path.cwd().resolve()))
    return root


def datasets_dir() -> Path:
    """Where datasets live: ``$KADSTUDY_DATASETS`` or ``<project>/datasets``."""
    env = os.environ.get("KADSTUDY_DATASETS")
    return Path(env) if env else project_root() / "datasets"


def packaged_datasets_dir() -> Path | None:
    """The read-only copy of the datasets that comes with the package: ``kadstudy/_datasets``
    in an installed wheel (``setup.py`` copies ``datasets/`` there when the wheel is built), or
    ``datasets/`` of the checkout for an editable install; None when neither exists."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / "_datasets"
    if shipped.is_dir():
        return shipped
    checkout = package.parent
    if (checkout / "datasets").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout / "datasets"
    return None


def _readable_dataset(name: str) -> Dataset:
    """The dataset :func:`load` reads: a folder path, else ``$KADSTUDY_DATASETS/<name>``, else
    ``datasets/<name>`` of the project the working directory is in, else the copy that comes
    with the package. Nothing found: a :class:`DataError` that says where it looked and how."""
    path = Path(name)
    if path.is_dir() and (path / CODEBOOK).is_file():
        return Dataset(path)
    if os.environ.get("KADSTUDY_DATASETS"):
        return Dataset.named(name)
    root = find_project_root()
    if root is not None and (root / "datasets" / name / CODEBOOK).is_file():
        return Dataset(root / "datasets" / name)
    packaged = packaged_datasets_dir()
    if packaged is not None and (packaged / name / CODEBOOK).is_file():
        return Dataset(packaged / name)
    where = (f"no datasets/{name}/ in the project at {root}" if root is not None else
             f"no kadstudy project at or above {Path.cwd().resolve()}")
    known = sorted(p.name for p in (packaged.glob("*") if packaged else []) if (p / CODEBOOK).is_file())
    raise DataError(f"dataset '{name}': {where}, and the installed package ships "
                    f"{', '.join(known) or 'no dataset'}; pass the dataset's folder, run from the "
                    "project's folder, or set KADSTUDY_DATASETS to the folder holding it")


def default_sources_dir() -> Path | None:
    """The seed texts: ``$KADSTUDY_SOURCES``, else ``../shared/seeds`` beside the checkout."""
    env = os.environ.get("KADSTUDY_SOURCES")
    if env:
        return Path(env)
    root = find_project_root()
    guess = root.parent / "shared" / "seeds" if root is not None else None
    return guess if guess is not None and guess.is_dir() else None


@dataclass(frozen=True)
class Dataset:
    """A coded dataset on disk."""

    folder: Path

    @classmethod
    def named(cls, name_or_path: str | os.PathLike[str]) -> Dataset:
        """A dataset by name (``kad_forums``) or by folder path."""
        path = Path(name_or_path)
        if not path.is_dir():
            path = datasets_dir() / str(name_or_path)
        if not (path / CODEBOOK).is_file():
            known = sorted(p.name for p in datasets_dir().glob("*") if (p / CODEBOOK).is_file())
            raise DataError(f"dataset '{name_or_path}': no {CODEBOOK} found at {path}; known datasets: "
                            f"{', '.join(known) or 'none'}")
        return cls(path)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def codebook_path(self) -> Path:
        return self.folder / CODEBOOK

    @property
    def codings_path(self) -> Path:
        return self.folder / CODINGS

    @property
    def wide_path(self) -> Path:
        return self.folder / WIDE

    def codebook(self) -> Codebook:
        return read_codebook(self.codebook_path)

    def codings(self) -> list[Coding]:
        return read_codings(self.codings_path)

    def display(self, path: Path) -> str:
        """A path as shown in messages: relative to the working directory when possible."""
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)

    def validate(self, sources_dir: str | Path | None = None) -> list[Problem]:
        """Every problem in the codings; quotes are checked when ``sources_dir`` is given."""
        cb = self.codebook()
        codings = self.codings()
        file = self.display(self.codings_path)
        problems = check_codings(codings, cb, file)
        if sources_dir is not None:
            texts = read_sources(cb, sources_dir)
            for sid in missing_sources(cb, texts, codings):
                problems.append(Problem(str(sources_dir), None, None,
                                        f"no text for source '{sid}' (file name starting "
                                        f"'{cb.sources[sid].get('file_prefix', sid)}')",
                                        "point --sources at the folder holding the source texts"))
            problems.extend(check_quotes(codings, texts, file))
        stale = self.wide_path.exists() and (
            self.wide_path.read_text(encoding="utf-8") != wide_csv(codings, cb))
        if not problems and stale:
            problems.append(Problem(self.display(self.wide_path), None, None,
                                    f"is out of date with {CODINGS}",
                                    "run `kadstudy data build` (never edit it by hand)"))
        return problems


def wide_csv(codings: list[Coding], cb: Codebook) -> str:
    """The case x variable table as CSV text, the bytes of ``forums.csv``.

    Parameters
    ----------
    codings : list of Coding
        The long-form codings.
    cb : Codebook
        Their codebook, whose variable order is the column order.

    Returns
    -------
    str
        One row per forum, sorted by id; missing values are empty fields.
    """
    table: dict[str, dict[str, str]] = {}
    for c in codings:
        table.setdefault(c.forum_id, {})[c.variable] = c.value
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([cb.case_id, *cb.ids])
    for forum in sorted(table):
        writer.writerow([forum, *(table[forum].get(v, "") for v in cb.ids)])
    return buf.getvalue()


def to_frame(codings: list[Coding], cb: Codebook) -> pd.DataFrame:
    """Typed case x variable DataFrame (index = case id) with the codebook in ``.attrs``.

    Parameters
    ----------
    codings : list of Coding
        The long-form codings (:func:`read_codings`).
    cb : Codebook
        Their codebook (:func:`read_codebook`).

    Returns
    -------
    pandas.DataFrame
        binary, ordinal, count and year -> nullable Int64; fuzzy -> float; categorical -> pandas
        Categorical with the codebook's categories; text and multi-valued -> string. Missing ->
        NA. ``.attrs['codebook']`` is ``cb``; ``.attrs['missing']`` maps (forum, variable) to the
        missing code.
    """
    import pandas as pd

    table: dict[str, dict[str, object]] = {}
    missing: dict[tuple[str, str], str] = {}
    for c in codings:
        var = cb[c.variable]
        table.setdefault(c.forum_id, {})
        if c.is_missing:
            missing[c.key] = c.missing
        else:
            table[c.forum_id][c.variable] = var.convert(c.value)
    df = pd.DataFrame.from_dict(table, orient="index").reindex(index=sorted(table), columns=cb.ids)
    df.index.name = cb.case_id
    for var in cb.variables:
        col = df[var.id]
        if var.type in ("binary", "ordinal", "count", "year"):
            df[var.id] = pd.array(col.tolist(), dtype="Int64")
        elif var.type == "fuzzy":
            df[var.id] = pd.to_numeric(col, errors="raise").astype("float64")
        elif var.type == "categorical" and not var.multiple:
            df[var.id] = pd.Categorical(col, categories=list(var.values))
        else:
            df[var.id] = col.astype("string")
    df.attrs["codebook"] = cb
    df.attrs["missing"] = missing
    return df


def load(name: str = "kad_forums", *, check: bool = True) -> pd.DataFrame:
    """Load a coded dataset as a typed DataFrame, with its codebook in ``df.attrs['codebook']``.

    Works inside a project (its ``datasets/<name>/``, the master copy) and anywhere else from
    the copy that comes with the installed package (read-only).

    Parameters
    ----------
    name : str, default "kad_forums"
        A dataset's name (``kad_forums``) or its folder. Looked up as a folder, then in
        ``$KADSTUDY_DATASETS``, then in ``datasets/`` of the project the working directory is in
        (the nearest folder upwards with ``analyses/``, or ``datasets/`` beside
        ``pyproject.toml``), then in the package's own copy.
    check : bool, default True
        Validate the codings against the codebook first; False skips it.

    Returns
    -------
    pandas.DataFrame
        One row per case (index = case id), one typed column per variable (see
        :func:`to_frame`); ``attrs["codebook"]`` is the :class:`Codebook` and ``attrs["missing"]``
        maps (case, variable) to the missing code of each missing value.

    Raises
    ------
    DataError
        The dataset is found nowhere (the places looked in are named), or its codings do not
        validate (the first problem, named).

    Examples
    --------
    >>> from kadstudy import data
    >>> df = data.load("kad_forums")
    >>> df.loc["kartamantul", ["form", "founded"]].to_dict()
    {'form': 'joint_secretariat', 'founded': 2001}
    """
    ds = _readable_dataset(str(name))
    cb, codings = ds.codebook(), ds.codings()
    if check:
        problems = check_codings(codings, cb, ds.display(ds.codings_path))
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DataError(f"{problems[0]}{more}")
    df = to_frame(codings, cb)
    if any(v.id == "obs_age" for v in cb.variables):
        from kadstudy.data.outcome import lower_bounds

        # ages coded as lower bounds, which the durability calibration needs (outcome.py)
        df.attrs["lower_bounds"] = frozenset(lower_bounds(codings))
    return df
