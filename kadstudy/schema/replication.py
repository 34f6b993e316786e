"""Replication specs ``analyses/replications/<id>.yaml``: the top-level keys, the citation and
the parameters of each method. The published table itself (key, columns, rows of cells) is
parsed by :mod:`kadstudy.reproduce.spec`, which types its cells.

``data:`` names a CSV file relative to the data root: ``data_root:`` (a folder inside the project,
or a named data root of :data:`kadstudy.schema.paths.DATA_ROOTS`), else the default
``qca-benchmarks`` (``../shared/qca-benchmarks`` beside the checkout), unless
``kadstudy reproduce --data-dir`` names another folder on the command line.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from kadstudy.schema.errors import problem
from kadstudy.schema.fields import (
    Bool,
    Count,
    DatasetName,
    InclCut,
    Numbers,
    Of,
    Outcome,
    Refers,
    SetNames,
    Solutions,
    Strict,
    Text,
    UnitNumber,
    VarName,
    check_project_path,
    checked,
    is_dir_exp,
    is_text,
    one_of,
)
from kadstudy.schema.paths import DATA_ROOTS


def _scalar(x: Any) -> bool:
    return isinstance(x, str | int | float) and not isinstance(x, bool)


def is_select(v: Any) -> str | None:
    ok = isinstance(v, dict) and v and all(
        isinstance(k, str) and (_scalar(x) or (isinstance(x, list) and x)) for k, x in v.items())
    return None if ok else "a mapping of variable -> value or list of values"


def is_groups(v: Any) -> str | None:
    ok = isinstance(v, list) and v and all(_scalar(x) for x in v)
    return None if ok else "a list of values of the group_by variable"


def is_table_columns(v: Any) -> str | None:
    """``columns`` of a dataset_table: name -> {variable, map, missing, present} or {aggregate}."""
    if not isinstance(v, dict) or not v:
        return "a mapping of column name -> {variable: ..., map: {...}} or {aggregate: count|list|any|label}"
    for name, col in v.items():
        if not isinstance(col, dict):
            return f"for column '{name}' a mapping"
        unknown = set(col) - {"variable", "map", "missing", "present", "aggregate"}
        if unknown:
            return f"for column '{name}' only the keys variable, map, missing, present, aggregate " \
                   f"(not {', '.join(sorted(map(str, unknown)))})"
        if ("variable" in col) == ("aggregate" in col):
            return f"for column '{name}' exactly one of variable: <name> (a forum's value) or " \
                   "aggregate: count|list|any|label (a group's)"
        if "variable" in col and not (isinstance(col["variable"], str) and col["variable"]):
            return f"for column '{name}' variable: the name of a coded variable"
        if "aggregate" in col and col["aggregate"] not in ("count", "list", "any", "label"):
            return f"for column '{name}' aggregate: one of count, list, any, label"
        if "map" in col and not (isinstance(col["map"], dict) and col["map"]
                                 and all(_scalar(k) and _scalar(x) for k, x in col["map"].items())):
            return f"for column '{name}' map: coded value -> printed text, e.g. {{1: yes, 0: no}}"
        if "missing" in col and not _scalar(col["missing"]):
            return f"for column '{name}' missing: the text to show for a missing value"
        if "present" in col and not isinstance(col["present"], bool):
            return f"for column '{name}' present: true (yes when coded, no when missing)"
    return None


def is_counts(v: Any) -> str | None:
    """``counts`` of the count method: claim -> {forum, variable} or {where: {...}}."""
    if not isinstance(v, dict) or not v:
        return "a mapping of claim -> {forum: F, variable: V} or {where: {variable: value}}"
    for name, c in v.items():
        if not isinstance(c, dict):
            return f"for claim '{name}' a mapping"
        if set(c) == {"forum", "variable"}:
            if not all(isinstance(c[k], str) and c[k] for k in c):
                return f"for claim '{name}' forum: <forum id> and variable: <count variable>"
        elif set(c) == {"where"}:
            if is_select(c["where"]):
                return f"for claim '{name}' where: a mapping of variable -> value(s)"
        else:
            return f"for claim '{name}' either forum + variable (a coded number) or where (a count " \
                   "of forums)"
    return None


def is_replication_dir_exp(v: Any) -> str | None:
    if isinstance(v, str) and v.strip():
        return None
    if isinstance(v, dict) and v and is_dir_exp(v) is None:
        return None
    return "a mapping of condition -> 1, 0 or '-' (or text 'A=1,B=0')"


def check_dir_exp_names(v: Any) -> Any:
    """The conditions a ``dir_exp`` names (mapping keys, or the names in 'A=1,~B') are set names."""
    from kadstudy.sets.names import set_name_problem  # lazy: kadstudy.sets imports pandas

    names = list(v) if isinstance(v, dict) else [
        part.split("=")[0].split("[")[0].strip().lstrip("~") for part in str(v).split(",")]
    for name in names:
        why = set_name_problem(name)
        if why:
            raise problem(f"set name '{name}' {why}")
    return v


def check_data_file(v: Any) -> Any:
    """``data:``: a CSV path relative to the data root, that stays inside it."""
    if not isinstance(v, str) or not v.strip():
        raise problem("expected a CSV file path relative to the data root, e.g. data/LF.csv")
    if PurePosixPath(v).is_absolute() or PureWindowsPath(v).is_absolute() or v.startswith("~"):
        raise problem(f"'{v}' is an absolute path; write it relative to the data root, e.g. data/LF.csv")
    if ".." in PurePosixPath(v.replace("\\", "/")).parts:
        raise problem(f"'{v}' leaves the data root ('..'); name a file inside it, e.g. data/LF.csv")
    return v


def check_data_root(v: Any, info: ValidationInfo) -> Any:
    """``data_root:``: a named data root, or a folder inside the project (or a named root)."""
    if isinstance(v, str) and v in DATA_ROOTS:
        return v
    return check_project_path(v, info)


METHOD_NAMES = ("dataset_table", "count", "qca_truth_table", "qca_solution", "qca_necessity",
                "calibration", "qca_calibration")
PUBLICATION_STATUS = ("transcribed", "not_found")


def is_year(v: Any) -> str | None:
    ok = (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.strip())
    return None if ok else "text or a year"


def is_searched(v: Any) -> str | None:
    """``publication.searched``: what was searched, where (a list of texts, or one text)."""
    if isinstance(v, str) and v.strip():
        return None
    if isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v):
        return None
    return "a list of what was searched and where (one text per search), e.g. " \
           "['search tool, pages: \"Krook 2010 women's representation QCA\": abstract only']"


class Citation(Strict):
    """The work: where the table is printed, or (publication not found) the study itself."""

    author: Text
    year: Of(is_year) = Field(
        description="it is required (write 'n.d.' for an unknown year)")
    title: Text
    journal: Text = None
    book: Text = None
    volume: Text = None
    pages: Text = None
    doi: Text = None
    table: Text = None
    page: Text = None
    lines: Text = None
    source: Text = None
    url: Text = None
    note: Text = None


class Publication(Strict):
    """Whether the published table was found and transcribed (``transcribed``), or not
    (``not_found``: the spec rebuilds and shows the analysis and says what was searched)."""

    status: Of(one_of(*PUBLICATION_STATUS)) = Field(
        description="one of " + ", ".join(PUBLICATION_STATUS))
    searched: Of(is_searched) = None
    note: Text = None

    @model_validator(mode="after")
    def _searched(self) -> Publication:
        if self.status == "not_found" and self.searched is None:
            raise problem("status not_found needs searched: what was searched for the table, and "
                          "where")
        return self


class ReplicationDoc(Strict):
    """The top-level keys of a replication spec (``parameters`` are checked per method)."""

    title: Text
    citation: Citation = Field(description="author, year, title (and table and page or lines "
                                           "when the table is transcribed)")
    publication: Publication = None
    method: Of(one_of(*METHOD_NAMES)) = Field(description="one of " + ", ".join(METHOD_NAMES))
    parameters: Any = None
    dataset: DatasetName = None
    data: Annotated[Any, AfterValidator(check_data_file)] = None
    data_root: Annotated[Any, AfterValidator(check_data_root)] = None
    published: Any = None
    note: Text = None
    known_differences: Any = None


# ---------------------------------------------------------------------------- parameters per method


class QCAParams(Strict):
    outcome: Outcome
    conditions: SetNames = None
    case_col: Text = None


class TruthTableParams(QCAParams):
    incl_cut: InclCut = None
    n_cut: Count = None
    pri_cut: UnitNumber = None
    complete: Bool = None


class SolutionParams(QCAParams):
    incl_cut: InclCut = None
    n_cut: Count = None
    pri_cut: UnitNumber = None
    solutions: Solutions
    dir_exp: Annotated[Any, checked(is_replication_dir_exp), AfterValidator(check_dir_exp_names),
                       Refers("condition")] = None


class CalibrationParams(Strict):
    column: Text
    type: Of(one_of("fuzzy", "crisp")) = None
    thresholds: Numbers
    case_col: Text = None


def is_calibrations(v: Any) -> str | None:
    """``calibrations`` of qca_calibration: set -> {thresholds: [e, c, i], column: raw column}."""
    if not isinstance(v, dict) or not v:
        return "a mapping of set name -> {thresholds: [e, c, i]} (and column: the raw column)"
    for name, c in v.items():
        if not isinstance(c, dict) or "thresholds" not in c:
            return f"for set '{name}' a mapping with thresholds: [e, c, i]"
        unknown = set(c) - {"thresholds", "column"}
        if unknown:
            return f"for set '{name}' only the keys thresholds, column (not " \
                   f"{', '.join(sorted(map(str, unknown)))})"
        th = c["thresholds"]
        if not (isinstance(th, list) and len(th) == 3 and all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in th)):
            return f"for set '{name}' thresholds: three numbers [exclusion, crossover, inclusion]"
        if "column" in c and is_text(c["column"]):
            return f"for set '{name}' column: the name of the raw column"
    return None


def is_idm(v: Any) -> str | None:
    ok = isinstance(v, int | float) and not isinstance(v, bool) and 0.5 < v < 1
    return None if ok else "a number between 0.5 and 1 (R calibrate's idm, default 0.95)"


class SetCalibrationParams(Strict):
    calibrations: Of(is_calibrations)
    idm: Of(is_idm) = None
    case_col: Text = None


class DatasetTableParams(Strict):
    select: Of(is_select, Refers("variable")) = None
    group_by: VarName = None
    groups: Of(is_groups) = None
    columns: Of(is_table_columns)


class CountParams(Strict):
    counts: Of(is_counts)


# method -> (what it reads: "dataset" or "data", the model of its parameters)
METHODS: dict[str, tuple[str, type[Strict]]] = {
    "dataset_table": ("dataset", DatasetTableParams),
    "count": ("dataset", CountParams),
    "qca_truth_table": ("data", TruthTableParams),
    "qca_solution": ("data", SolutionParams),
    "qca_necessity": ("data", QCAParams),
    "calibration": ("data", CalibrationParams),
    "qca_calibration": ("data", SetCalibrationParams),
}
