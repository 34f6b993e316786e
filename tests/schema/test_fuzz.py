"""Every YAML reader, fed random bytes and random YAML documents, raises nothing but a
:class:`KadError` whose message is one or more lines, each naming the file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kadstudy.errors import KadError
from tests.data.mini import CODEBOOK, HEADER, ROWS
from tests.survey.conftest import INSTRUMENT

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ANALYSIS_KEYS = ["kind", "title", "dataset", "select", "survey_sets", "outcome", "conditions",
                 "calibrate", "incl_cut", "n_cut", "pri_cut", "solutions", "dir_exp", "robustness",
                 "sensitivity", "clusters", "predictors", "model", "variables", "by", "instrument",
                 "responses", "start", "end", "observed", "seed"]
REPLICATION_KEYS = ["title", "citation", "method", "parameters", "dataset", "data", "data_root",
                    "published", "note", "known_differences", "key", "columns", "rows", "author",
                    "year", "table", "lines", "counts", "outcome", "conditions", "dir_exp"]
ADDCASE_KEYS = ["forum_id", "coder", "source", "codings", "active", "commit", "value", "missing",
                "lines", "quote", "note"]

scalars = (st.none() | st.booleans() | st.integers(-3, 10**6) | st.floats(allow_nan=True)
           | st.text(max_size=12) | st.sampled_from(["qca", "descriptive", "count", "qca_solution",
                                                     "fuzzy", "crisp", "a", "~y", "kad_forums", "-",
                                                     "../x", "/etc/passwd", "a*b", "n.d."]))


def values(keys: list[str]) -> st.SearchStrategy:
    key = st.sampled_from(keys) | st.text(max_size=8)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(key | st.integers(0, 3), inner, max_size=4), max_leaves=12)


def documents(keys: list[str], base: dict) -> st.SearchStrategy:
    """Random mappings over the known keys, and a valid document with random keys replaced."""
    random_doc = st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), values(keys), max_size=6)
    mutated = st.builds(lambda changes: {**base, **changes},
                        st.dictionaries(st.sampled_from(sorted(base) + keys), values(keys), max_size=3))
    return random_doc | mutated | values(keys)


def _check(read: Callable[[Path], object], path: Path) -> None:
    try:
        read(path)
    except KadError as exc:
        lines = str(exc).splitlines()
        assert lines and all(line.strip() for line in lines), repr(str(exc))
        assert "Traceback" not in str(exc)


def _doc_text(doc: object) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    """A project with the mini dataset, and a file path for each reader."""
    ds = tmp_path / "datasets" / "mini"
    ds.mkdir(parents=True)
    (ds / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (ds / "codings.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    (tmp_path / "analyses" / "replications").mkdir(parents=True)
    return {"root": tmp_path, "dataset": ds}


def _readers(world: dict[str, Path]) -> dict[str, tuple[Path, Callable[[Path], object], list[str], dict]]:
    from kadstudy.data.addcase import add_case
    from kadstudy.data.codebook import read_codebook
    from kadstudy.data.dataset import Dataset
    from kadstudy.pipeline.spec import read_spec as read_analysis
    from kadstudy.reproduce.spec import read_spec as read_replication
    from kadstudy.survey.io import read_instrument

    root, ds = world["root"], world["dataset"]
    saved = {p: p.read_bytes() for p in ds.iterdir()}

    def add(path: Path) -> object:
        try:
            return add_case(Dataset(ds), path, check_sources=False)
        finally:
            for p, data in saved.items():
                p.write_bytes(data)

    analysis = {"kind": "qca", "title": "t", "dataset": "mini", "outcome": "durable",
                "conditions": ["commit", "active"], "incl_cut": 0.8, "dir_exp": {"commit": 1}}
    replication = yaml.safe_load((Path(__file__).parents[2] / "analyses" / "replications"
                                  / "seed001-stated-counts.yaml").read_text(encoding="utf-8"))
    case = {"forum_id": "gamma", "coder": "t", "source": "syn",
            "codings": {"active": {"value": 1, "lines": "3", "quote": "meet every month"}}}
    return {
        "analysis": (root / "analyses" / "a.yaml", lambda p: read_analysis(p, root=root), ANALYSIS_KEYS,
                     analysis),
        "replication": (root / "analyses" / "replications" / "r.yaml", read_replication,
                        REPLICATION_KEYS, replication),
        "instrument": (root / "instrument.yaml", read_instrument, ["scales", "items", "set", "anchors"],
                       yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))),
        "add-case": (root / "case.yaml", add, ADDCASE_KEYS, case),
        "codebook": (root / "codebook" / "codebook.yaml", read_codebook,
                     ["variables", "sources", "type", "values", "label", "id"], yaml.safe_load(CODEBOOK)),
    }


READERS = ["analysis", "replication", "instrument", "add-case", "codebook"]


@pytest.mark.parametrize("reader", READERS)
@SETTINGS
@given(data=st.binary(max_size=200))
def test_random_bytes(world, reader, data):
    path, read, _, _ = _readers(world)[reader]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    _check(read, path)


@pytest.mark.parametrize("reader", READERS)
@SETTINGS
@given(data=st.data())
def test_random_documents(world, reader, data):
    path, read, keys, base = _readers(world)[reader]
    doc = data.draw(documents(keys, base))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_doc_text(doc), encoding="utf-8")
    _check(read, path)


@pytest.mark.parametrize("reader", ["instrument", "codebook"])
@SETTINGS
@given(data=st.data())
def test_random_nested_changes(world, reader, data):
    """A valid instrument or codebook with one list item or mapping deep inside replaced."""
    path, read, keys, base = _readers(world)[reader]
    import copy

    doc = copy.deepcopy(base)
    node = doc
    for _ in range(data.draw(st.integers(1, 4))):
        if isinstance(node, dict) and node:
            k = data.draw(st.sampled_from(sorted(node, key=str)))
        elif isinstance(node, list) and node:
            k = data.draw(st.integers(0, len(node) - 1))
        else:
            break
        if data.draw(st.booleans()) or not isinstance(node[k], dict | list):
            node[k] = data.draw(values(keys))
            break
        node = node[k]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_doc_text(doc), encoding="utf-8")
    _check(read, path)


def test_the_bases_are_valid(world):
    """The documents the fuzzing starts from are accepted, so the mutations test real paths."""
    for name in ("analysis", "replication", "instrument", "codebook"):
        path, read, _, base = _readers(world)[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_doc_text(base), encoding="utf-8")
        read(path)
    shutil.rmtree(world["root"] / "codebook")
