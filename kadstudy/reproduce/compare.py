"""Cell-by-cell comparison of a published table with its rebuild, and diagnosis of differences.

Numbers are compared after rounding the rebuilt value to the decimals the publication printed
(as R and C ``printf`` round); text is compared normalised (Unicode NFKC, case, dashes and quotes,
whitespace, spaces around commas and semicolons). A cell published as ``null`` (not printed or not
stated) is not compared; a printed dash ``-`` is an empty value and must be empty in the rebuild.

Each differing cell gets the most likely reason, by these heuristics, in this order
(:data:`HEURISTICS` says the same in words for the reports):

1. ``rounding``: the rebuilt value is not exact at the printed precision and lies within one
   unit of the last printed digit of the published number (``|rebuilt - published| <= 10^-d``).
2. ``transcription error``: the difference is the only one in its row and in its column, and
   the printed digits are the rebuilt ones with two adjacent digits swapped, or with one digit
   changed in a number of three or more significant digits; or, for text, the two texts are
   equal but for punctuation and spacing, or nearly equal (similarity >= 0.8: a misspelling).
3. ``different calibration`` (QCA methods and calibration): any other difference, or a row one
   table has and the other lacks: the publication used other anchors, cut-offs or data.
4. ``coding difference`` (dataset methods): any other difference: the coded dataset reads the
   source differently from the publication; the coding and its cited lines are shown.
5. ``not coded`` (dataset methods): the publication states a value the dataset leaves missing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kadstudy.reproduce.rebuild import QCA_METHODS, Rebuilt, as_text
from kadstudy.reproduce.spec import EMPTY, Cell, Column, KnownDifference, ReplicationSpec, norm_key

WHOLE_ROW = "(whole row)"
NO_PUBLICATION = "no-publication"

HEURISTICS = [
    ("rounding", "the rebuilt value, not exact at the printed precision, lies within one unit of the "
                 "last printed digit of the published number: the publication rounded, truncated or "
                 "rounded an intermediate result differently"),
    ("transcription error", "the only difference in its row and column, and the printed digits are "
                            "the rebuilt ones with two adjacent digits swapped or (three or more "
                            "significant digits) one digit changed; for text, equal but for "
                            "punctuation and spacing, or nearly equal (similarity >= 0.8): a slip "
                            "in the source or in the transcription"),
    ("different calibration", "QCA and calibration tables: any other difference, or a row only one "
                              "table has: other calibration anchors, cut-offs or data"),
    ("coding difference", "tables from a coded dataset: any other difference: the dataset reads the "
                          "source differently from the publication (the coding and its lines are "
                          "shown)"),
    ("not coded", "tables from a coded dataset: the publication states a value the dataset leaves "
                  "missing (the missing code and its reason are shown)"),
]


@dataclass
class Difference:
    """One differing cell (or a row only one table has)."""

    row: tuple[str, ...]
    row_label: str
    column: str
    published: str
    rebuilt: str
    difference: str
    reason: str
    explanation: str
    source: str = ""  # where the rebuilt value comes from (dataset methods)
    known: str = ""   # the spec's documented reason, when this difference is expected


@dataclass
class Comparison:
    """The outcome for one spec."""

    spec: ReplicationSpec
    rebuilt: Rebuilt
    compared: int = 0
    matched: int = 0
    differences: list[Difference] = field(default_factory=list)
    stale_known: list[KnownDifference] = field(default_factory=list)

    @property
    def unexpected(self) -> list[Difference]:
        return [d for d in self.differences if not d.known]

    @property
    def status(self) -> str:
        """``match``, ``known-differences`` (only the documented ones) or ``mismatch``; or
        ``no-publication`` when no publication table was found (the analysis is rebuilt and
        shown, nothing is compared: never counted as a reproduced publication)."""
        if not self.spec.found:
            return NO_PUBLICATION
        if self.unexpected or self.stale_known:
            return "mismatch"
        return "known-differences" if self.differences else "match"

    @property
    def ok(self) -> bool:
        return self.status != "mismatch"

    def diff_at(self, row: tuple[str, ...], column: str) -> Difference | None:
        for d in self.differences:
            if d.row == row and d.column in (column, WHOLE_ROW):
                return d
        return None


# ---------------------------------------------------------------------------- text and numbers

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}


def norm_text(text: str) -> str:
    """Text as compared: NFKC, dashes and quotes unified, case folded, whitespace collapsed, no
    spaces around commas and semicolons."""
    t = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).translate(_QUOTES).casefold()
    t = " ".join(t.split())
    return re.sub(r"\s*([,;])\s*", r"\1", t).strip()


def printed(value: float | int, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` as R and C ``printf`` print it."""
    return Decimal(f"{float(value):.{decimals}f}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _digit_slip(published: str, rebuilt: str) -> str:
    """How ``published`` differs from ``rebuilt`` by a typing slip, or ''."""
    if len(published) != len(rebuilt):
        return ""
    diff = [i for i, (a, b) in enumerate(zip(published, rebuilt, strict=True)) if a != b]
    significant = len(rebuilt.lstrip("-0.").replace(".", ""))
    if (len(diff) == 2 and diff[1] == diff[0] + 1 and published[diff[0]] == rebuilt[diff[1]]
            and published[diff[1]] == rebuilt[diff[0]] and significant >= 2):
        return "two adjacent digits are swapped"
    if len(diff) == 1 and significant >= 3 and published[diff[0]].isdigit():
        return "one digit differs"
    return ""


def diagnose_number(published: Decimal, decimals: int, rebuilt: float, *, isolated: bool,
                    method: str) -> tuple[str, str]:
    """The likely reason a rebuilt number differs from the printed one: (reason, explanation)."""
    unit = Decimal(1).scaleb(-decimals)
    raw = Decimal(repr(float(rebuilt)))
    rounded = printed(rebuilt, decimals)
    if rounded != raw and abs(raw - published) <= unit:
        return "rounding", (f"the unrounded rebuilt value {raw} is within one unit ({unit}) of the "
                            f"printed {published}: the publication rounded differently")
    slip = _digit_slip(f"{published:.{decimals}f}", f"{rounded:.{decimals}f}")
    if isolated and slip:
        return "transcription error", f"{slip} between {published} and {rounded}, and no other cell " \
                                      "of the row or column differs"
    return _fallback(method)


def diagnose_text(published: str, rebuilt: str, *, isolated: bool, method: str) -> tuple[str, str]:
    """The likely reason two texts differ: (reason, explanation)."""
    a, b = norm_text(published), norm_text(rebuilt)
    if re.sub(r"\W", "", a) == re.sub(r"\W", "", b):
        return "transcription error", "the texts differ only in punctuation or spacing"
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if isolated and ratio >= 0.8:
        return "transcription error", f"the texts are nearly equal (similarity {ratio:.2f}): a " \
                                      "misspelling in the source or in the transcription"
    return _fallback(method)


def _fallback(method: str) -> tuple[str, str]:
    if method in QCA_METHODS:
        return "different calibration", ("beyond rounding and not a digit slip: the publication "
                                         "probably used other calibration anchors, cut-offs or data")
    return "coding difference", ("the coded dataset reads the source differently from the "
                                 "publication; compare the coding's cited lines with the "
                                 "publication's")


# ---------------------------------------------------------------------------- display


def column_decimals(col: Column, cells: list[Cell]) -> int | None:
    if col.decimals is not None:
        return col.decimals
    decs = [c.decimals for c in cells if c.decimals is not None]
    return max(decs) if decs else None


def show_rebuilt(value: Any, decimals: int | None) -> str:
    """A rebuilt cell as displayed: numbers at the published precision, missing as ``-``."""
    if value is None or (isinstance(value, str) and value == ""):
        return EMPTY
    if decimals is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):.{decimals}f}"
    return as_text(value)


def _signed(d: Decimal, decimals: int) -> str:
    return f"{d:+.{decimals}f}"


# ---------------------------------------------------------------------------- comparison


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", EMPTY))


def compare(spec: ReplicationSpec, rebuilt: Rebuilt) -> Comparison:
    """Compare every stated cell of the published table with the rebuilt one (nothing, when no
    publication table was found)."""
    pub = spec.published
    comp = Comparison(spec=spec, rebuilt=rebuilt)
    if pub is None:
        return comp
    by_key = {rebuilt.key_of(r): r for r in rebuilt.rows}
    published_keys = [pub.key_of(r) for r in pub.rows]
    compared_cols = [c for c in pub.columns if c.compare]
    decimals = {c.name: column_decimals(c, [r[c.name] for r in pub.rows]) for c in pub.columns}
    raw_diffs: list[tuple[tuple[str, ...], str, dict[str, Any]]] = []
    qca = spec.method in QCA_METHODS
    for prow, key in zip(pub.rows, published_keys, strict=True):
        label = ", ".join(prow[k].text for k in pub.key)
        stated = [c for c in compared_cols if prow[c.name].stated]
        comp.compared += len(stated)
        rrow = by_key.get(key)
        if rrow is None:
            comp.differences.append(Difference(
                row=key, row_label=label, column=WHOLE_ROW, published="row printed",
                rebuilt="no such row", difference=f"{len(stated)} cells not rebuilt",
                reason="different calibration" if qca else "coding difference",
                explanation=("the rebuilt table has no such row: a different truth table or "
                             "solution" if qca else "the selection or the coding gives no such row")))
            continue
        for col in stated:
            cell, value = prow[col.name], rrow.get(col.name)
            if cell.empty or _is_empty(value):
                if cell.empty and _is_empty(value):
                    comp.matched += 1
                    continue
                raw_diffs.append((key, col.name, {"label": label, "cell": cell, "value": value,
                                                  "kind": "empty"}))
                continue
            if col.number and cell.number is not None:
                num = _number(value)
                if num is not None and printed(num, cell.decimals or 0) == cell.number:
                    comp.matched += 1
                    continue
                raw_diffs.append((key, col.name, {"label": label, "cell": cell, "value": value,
                                                  "kind": "number" if num is not None else "text"}))
                continue
            if norm_text(cell.text) == norm_text(as_text(value)):
                comp.matched += 1
                continue
            raw_diffs.append((key, col.name, {"label": label, "cell": cell, "value": value,
                                              "kind": "text"}))
    rows_hit = [k for k, _, _ in raw_diffs]
    cols_hit = [c for _, c, _ in raw_diffs]
    for key, colname, d in raw_diffs:
        isolated = rows_hit.count(key) == 1 and cols_hit.count(colname) == 1
        cell: Cell = d["cell"]
        value = d["value"]
        shown = show_rebuilt(value, decimals[colname])
        source = rebuilt.provenance.get((key, colname), "")
        if not source and len(rebuilt.key) == 1:  # a group's provenance sits under its key column
            source = rebuilt.provenance.get((key, rebuilt.key[0]), "")
        if d["kind"] == "empty":
            if _is_empty(value) and not qca:
                reason, why = "not coded", "the dataset has no value for this cell"
            else:
                reason, why = _fallback(spec.method)
            how = "published empty" if cell.empty else "rebuilt empty"
        elif d["kind"] == "number":
            num = float(_number(value))  # type: ignore[arg-type]
            dec = cell.decimals or 0
            how = _signed(printed(num, dec) - (cell.number or Decimal(0)), dec)
            reason, why = diagnose_number(cell.number or Decimal(0), dec, num, isolated=isolated,
                                          method=spec.method)
        else:
            how = "text differs"
            reason, why = diagnose_text(cell.text, as_text(value), isolated=isolated, method=spec.method)
        comp.differences.append(Difference(row=key, row_label=d["label"], column=colname,
                                           published=cell.text, rebuilt=shown, difference=how,
                                           reason=reason, explanation=why, source=source))
    known_keys = set(published_keys)
    for key, r in by_key.items():
        if key not in known_keys:
            label = ", ".join(as_text(r[k]) for k in rebuilt.key)
            comp.differences.append(Difference(
                row=key, row_label=label, column=WHOLE_ROW, published="no such row",
                rebuilt="row rebuilt", difference="extra row",
                reason="different calibration" if qca else "coding difference",
                explanation=("the rebuild has a row the publication does not print" + (
                    ": a different truth table or solution" if qca else
                    ": the selection or the coding gives an extra row"))))
    for kd in spec.known_differences:
        hit = [d for d in comp.differences if d.row == kd.row and d.column == kd.column]
        if hit:
            for d in hit:
                d.known = kd.reason
        else:
            comp.stale_known.append(kd)
    return comp


def status_line(comp: Comparison, limit: int = 3) -> str:
    """One line for the console: id, status, cells, and the first differing cells."""
    sid = comp.spec.id
    cells = f"{comp.matched}/{comp.compared} cells match"
    if comp.status == NO_PUBLICATION:
        return f"{sid}: no published table found (analysis rebuilt, nothing compared)"
    if comp.status == "match":
        return f"{sid}: match ({cells})"
    if comp.status == "known-differences":
        n = len(comp.differences)
        return (f"{sid}: match with {n} documented difference{'s' if n > 1 else ''} ({cells}; "
                + "; ".join(_brief(d) for d in comp.differences[:limit]) + ")")
    parts = [_brief(d) for d in comp.unexpected[:limit]]
    more = len(comp.unexpected) - limit
    if more > 0:
        parts.append(f"and {more} more")
    for kd in comp.stale_known:
        parts.append(f"documented difference at row {', '.join(kd.row)}, column {kd.column} no longer "
                     "differs: remove it from known_differences")
    return f"{sid}: MISMATCH ({cells}): " + "; ".join(parts)


def _brief(d: Difference) -> str:
    if d.column == WHOLE_ROW:
        return f"row {d.row_label}: {d.rebuilt if d.published == 'row printed' else 'extra row rebuilt'}"
    return (f"row {d.row_label}, column {d.column}: published {d.published}, rebuilt {d.rebuilt} "
            f"({d.difference}; {d.reason})")


__all__ = ["HEURISTICS", "NO_PUBLICATION", "Comparison", "Difference", "compare", "diagnose_number",
           "diagnose_text", "norm_key", "norm_text", "printed", "status_line"]
