"""The survey instrument as data: response scales, items, scales, composites, calibration anchors.

:func:`parse_instrument` checks a parsed YAML mapping (no file access here; ``kadstudy.survey.io``
reads the file) and raises :class:`~kadstudy.errors.DataError` with one line per problem.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from kadstudy.data.validate import Problem
from kadstudy.errors import DataError
from kadstudy.schema import validate
from kadstudy.schema.errors import printable
from kadstudy.schema.instrument import InstrumentDoc

SLUG = re.compile(r"[a-z][a-z0-9_]*")
SET_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
LINES = re.compile(r"(\d+)(?:-(\d+))?")
META_COLUMNS = ("respondent_id", "forum_id", "member_government", "role")


@dataclass(frozen=True)
class ResponseScale:
    """Whole-number answers from ``min`` to ``max`` (e.g. a 1-5 Likert scale)."""

    id: str
    min: int
    max: int
    labels: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def n_options(self) -> int:
        return self.max - self.min + 1

    @property
    def uniform_variance(self) -> float:
        """Variance of answers spread uniformly over the options, (A^2 - 1) / 12: the null
        distribution of rwg (James, Demaree & Wolf 1984)."""
        return (self.n_options ** 2 - 1) / 12.0


@dataclass(frozen=True)
class Grounding:
    """A seed passage that motivates an item or scale."""

    source: str
    lines: str
    quote: str = ""

    def span(self) -> tuple[int, int]:
        m = LINES.fullmatch(self.lines)
        assert m is not None  # checked by parse_instrument
        first = int(m.group(1))
        return first, int(m.group(2) or first)


@dataclass(frozen=True)
class Item:
    id: str
    scale: str
    text_id: str
    text_en: str
    response: ResponseScale
    reverse: bool
    grounding: tuple[Grounding, ...]


@dataclass(frozen=True)
class Scale:
    id: str
    label_en: str
    label_id: str
    set_name: str
    definition: str
    items: tuple[str, ...]
    grounding: tuple[Grounding, ...]
    anchors: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class Composite:
    """The mean of several scale scores (e.g. social capital = trust, reciprocity, networks)."""

    id: str
    label_en: str
    label_id: str
    set_name: str
    definition: str
    scales: tuple[str, ...]
    grounding: tuple[Grounding, ...]
    anchors: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class Instrument:
    """A survey instrument as data, made by :func:`parse_instrument` (or ``io.read_instrument``).

    Attributes
    ----------
    id : str
        The instrument's id.
    title_en : str
        Its English title.
    operationalisation : str
        What it measures and how, in words.
    items : dict of str to Item
        Every item by id, in instrument order.
    scales : dict of str to Scale
        The scales by id, each with its items, set name and grounding.
    composites : dict of str to Composite
        Scales made of scales (social capital).
    roles : dict of str to str
        The respondents' roles, id -> description.
    sources : dict
        The documents the items are grounded in.
    anchors : tuple of float
        The calibration anchors (exclusion, crossover, inclusion) of the forum means.
    min_respondents : int, default 10
        Forums with fewer scored respondents get no membership.
    min_answered : float, default 0.5
        The share of a scale's items a respondent must answer to get a score.
    """

    id: str
    title_en: str
    operationalisation: str
    items: dict[str, Item]
    scales: dict[str, Scale]
    composites: dict[str, Composite]
    roles: dict[str, str]
    sources: dict[str, dict[str, str]]
    anchors: tuple[float, float, float]
    min_respondents: int = 10
    min_answered: float = 0.5

    @property
    def item_ids(self) -> list[str]:
        return list(self.items)

    @property
    def columns(self) -> list[str]:
        """The columns of a responses file, in order."""
        return [*META_COLUMNS, *self.items]

    def scale_items(self, scale: str) -> list[str]:
        """Item ids of a scale, or of every scale of a composite."""
        if scale in self.scales:
            return list(self.scales[scale].items)
        return [i for s in self.composites[scale].scales for i in self.scales[s].items]

    @property
    def score_names(self) -> list[str]:
        """Scales then composites: every score a respondent and a forum get."""
        return [*self.scales, *self.composites]

    def set_name(self, score: str) -> str:
        return (self.scales.get(score) or self.composites[score]).set_name

    def label(self, score: str) -> str:
        return (self.scales.get(score) or self.composites[score]).label_en

    def anchors_of(self, score: str) -> tuple[float, float, float]:
        own = (self.scales.get(score) or self.composites[score]).anchors
        return own or self.anchors

    def response_of(self, score: str) -> ResponseScale:
        """The response scale shared by a score's items (checked to be one scale)."""
        return self.items[self.scale_items(score)[0]].response


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(options)}"


def parse_instrument(doc: Any, file: str) -> Instrument:
    """Check a parsed instrument mapping and build an :class:`Instrument`.

    Parameters
    ----------
    doc : Any
        The instrument as parsed from YAML (a mapping; see the file formats).
    file : str
        The file name used in error messages.

    Returns
    -------
    Instrument
        Items, scales, composites, roles, sources, calibration anchors and thresholds.

    Raises
    ------
    DataError
        Every problem found, at once, one line each.
    """
    problems: list[Problem] = []

    def bad(where: str, msg: str, fix: str) -> None:
        problems.append(Problem(file, None, where, msg, fix))

    if not isinstance(doc, dict):
        raise DataError(f"{file}: expected a mapping with keys instrument, response_scales, scales, ...")
    _, sections = validate(InstrumentDoc, doc, file)
    if sections:
        raise DataError("\n".join(sections))

    sources = doc["sources"] if isinstance(doc["sources"], dict) else {}
    if not sources:
        bad("sources", "no sources", "list the documents cited by the items: id -> {file_prefix, citation}")

    def grounding(raw: Any, where: str) -> tuple[Grounding, ...]:
        if not isinstance(raw, list) or not raw:
            bad(where, "no grounding", "cite at least one {source, lines, quote} passage")
            return ()
        out = []
        for k, g in enumerate(raw, 1):
            w = f"{where}[{k}]"
            if not isinstance(g, dict) or not {"source", "lines"} <= set(g):
                bad(w, "is not a {source, lines, quote} mapping",
                    "write {source: seed004, lines: \"111-117\", quote: ...}")
                continue
            src, lines = str(g["source"]), str(g["lines"])
            if src not in sources:
                bad(f"{w}.source", f"unknown source '{src}'", _suggest(src, list(sources)))
            m = LINES.fullmatch(lines)
            if not m or int(m.group(1)) < 1 or (m.group(2) and int(m.group(2)) < int(m.group(1))):
                bad(f"{w}.lines", f"'{lines}' is not a line range", "write N or N-M with N <= M, from 1")
            out.append(Grounding(src, lines, str(g.get("quote", ""))))
        return tuple(out)

    scales_resp: dict[str, ResponseScale] = {}
    raw_rs = doc["response_scales"]
    for rid, spec in (raw_rs.items() if isinstance(raw_rs, dict) else []):
        lo, hi = (spec.get("min"), spec.get("max")) if isinstance(spec, dict) else (None, None)
        if not (isinstance(lo, int) and isinstance(hi, int) and not isinstance(lo, bool) and lo < hi):
            bad(f"response_scales.{rid}", "needs whole numbers min < max", "write min: 1, max: 5")
            continue
        labels = {int(k): v for k, v in (spec.get("labels") or {}).items()}
        scales_resp[str(rid)] = ResponseScale(str(rid), lo, hi, labels)
    if not scales_resp:
        bad("response_scales", "no response scale", "define e.g. likert5: {min: 1, max: 5, labels: ...}")

    roles = doc["roles"]
    if not isinstance(roles, dict) or not roles or not all(SLUG.fullmatch(str(r)) for r in roles):
        bad("roles", "expected a mapping of role id (lower-case slug) -> description",
            "write e.g. bappeda: regional planning agency")
        roles = {}

    items: dict[str, Item] = {}
    scales: dict[str, Scale] = {}
    set_names: dict[str, str] = {}

    def anchors(raw: Any, where: str) -> tuple[float, float, float] | None:
        if raw is None:
            return None
        ok = isinstance(raw, list) and len(raw) == 3 and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in raw)
        if not ok or not (raw[0] < raw[1] < raw[2] or raw[0] > raw[1] > raw[2]):
            bad(where, f"anchors {raw!r} are not three ordered numbers",
                "write [exclusion, crossover, inclusion], e.g. [2.0, 3.0, 4.0]")
            return None
        return (float(raw[0]), float(raw[1]), float(raw[2]))

    def claim_set(name: Any, owner: str, where: str) -> str:
        name = str(name or "")
        if not SET_NAME.fullmatch(name):
            bad(where, f"set name '{name}' is not an upper-case name", "write e.g. set: TRUST")
        elif name in set_names:
            bad(where, f"set name '{name}' is also used by '{set_names[name]}'",
                "give each score its own set")
        set_names[name] = owner
        return name

    raw_scales = doc["scales"] if isinstance(doc["scales"], list) else []
    if not raw_scales:
        bad("scales", "no scale", "list the scales, each with its items")
    for si, sc in enumerate(raw_scales, 1):
        where = f"scales[{si}]"
        if not isinstance(sc, dict) or not SLUG.fullmatch(str(sc.get("id", ""))):
            bad(where, "needs an id (lower-case slug)", "write id: trust")
            continue
        sid = sc["id"]
        where = f"scales.{sid}"
        if sid in scales:
            bad(where, f"duplicate scale '{sid}'", "give each scale its own id")
            continue
        label = sc.get("label") or {}
        if not (isinstance(label, dict) and label.get("en") and label.get("id")):
            bad(f"{where}.label", "needs an English and an Indonesian label",
                "write label: {en: ..., id: ...}")
            label = {"en": sid, "id": sid}
        ids: list[str] = []
        raw_items = sc.get("items") if isinstance(sc.get("items"), list) else []
        if len(raw_items) < 2:
            bad(f"{where}.items", "a scale needs at least two items", "add items")
        for ii, it in enumerate(raw_items, 1):
            iw = f"{where}.items[{ii}]"
            iid = str(it.get("id", "")) if isinstance(it, dict) else ""
            if not SLUG.fullmatch(iid) or iid in META_COLUMNS:
                bad(iw, f"item id '{iid}' is not a lower-case slug (or is a reserved column)",
                    "write e.g. id: trust_1")
                continue
            if iid in items:
                bad(iw, f"duplicate item '{iid}' (also in scale '{items[iid].scale}')",
                    "give each item its own id")
                continue
            iw = f"items.{iid}"
            text = it.get("text") or {}
            if not (isinstance(text, dict) and str(text.get("id", "")).strip()
                    and str(text.get("en", "")).strip()):
                bad(f"{iw}.text", "needs the Indonesian (id) and English (en) wording",
                    "write text: {id: ..., en: ...}")
                text = {"id": "", "en": ""}
            rs = scales_resp.get(str(it.get("response")))
            if rs is None:
                bad(f"{iw}.response", f"unknown response scale '{it.get('response')}'", _suggest(
                    str(it.get("response")), list(scales_resp)))
                continue
            if not isinstance(it.get("reverse"), bool):
                bad(f"{iw}.reverse", "must be true or false", "say whether the item is reverse-keyed")
            items[iid] = Item(iid, sid, " ".join(str(text["id"]).split()), " ".join(str(text["en"]).split()),
                              rs, bool(it.get("reverse")), grounding(it.get("grounding"), f"{iw}.grounding"))
            ids.append(iid)
        if len({items[i].response.id for i in ids}) > 1:
            bad(f"{where}.items", "items of one scale use different response scales",
                "use one response scale")
        scales[sid] = Scale(sid, label["en"], label["id"], claim_set(sc.get("set"), sid, f"{where}.set"),
                            " ".join(str(sc.get("definition", "")).split()), tuple(ids),
                            grounding(sc.get("grounding"), f"{where}.grounding"),
                            anchors(sc.get("anchors"), f"{where}.anchors"))

    composites: dict[str, Composite] = {}
    for ci, co in enumerate(doc.get("composites") or [], 1):
        cid = str(co.get("id", "")) if isinstance(co, dict) else ""
        where = f"composites.{cid or ci}"
        if not SLUG.fullmatch(cid) or cid in scales or cid in composites:
            bad(where, f"composite id '{cid}' is not a new lower-case slug", "write e.g. id: soccap")
            continue
        parts = co.get("scales")
        known = isinstance(parts, list) and all(isinstance(p, str) and p in scales for p in parts)
        if not (known and len(parts) >= 2):
            bad(f"{where}.scales", f"{parts!r} is not a list of two or more known scales",
                f"use scales from {', '.join(scales)}")
            continue
        label = co.get("label") or {}
        composites[cid] = Composite(cid, label.get("en", cid), label.get("id", cid),
                                    claim_set(co.get("set"), cid, f"{where}.set"),
                                    " ".join(str(co.get("definition", "")).split()), tuple(parts),
                                    grounding(co.get("grounding"), f"{where}.grounding"),
                                    anchors(co.get("anchors"), f"{where}.anchors"))

    cal = doc["calibration"] if isinstance(doc["calibration"], dict) else {}
    default_anchors = anchors(cal.get("anchors"), "calibration.anchors")
    if default_anchors is None and "anchors" not in cal:
        bad("calibration.anchors", "missing", "write anchors: [exclusion, crossover, inclusion]")
    min_resp = cal.get("min_respondents", 10)
    if not (isinstance(min_resp, int) and not isinstance(min_resp, bool) and min_resp >= 2):
        bad("calibration.min_respondents", f"{min_resp!r} is not a whole number >= 2", "write e.g. 10")
        min_resp = 10
    scoring = doc.get("scoring") or {}
    min_answered = scoring.get("min_answered", 0.5) if isinstance(scoring, dict) else 0.5
    if not (isinstance(min_answered, int | float) and 0 < min_answered <= 1):
        bad("scoring.min_answered", f"{min_answered!r} is not a share in (0, 1]", "write e.g. 0.5")
        min_answered = 0.5
    if problems:
        raise DataError("\n".join(printable(str(p)) for p in problems))
    title = doc["title"]
    return Instrument(
        id=str(doc["instrument"]),
        title_en=str(title.get("en", "")) if isinstance(title, dict) else str(title),
        operationalisation=" ".join(str(doc["operationalisation"]).split()),
        items=items, scales=scales, composites=composites,
        roles={str(k): str(v) for k, v in roles.items()},
        sources={str(k): dict(v) for k, v in sources.items()},
        anchors=default_anchors or (2.0, 3.0, 4.0),
        min_respondents=int(min_resp), min_answered=float(min_answered))
