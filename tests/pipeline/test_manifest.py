"""Up to date from content: the committed build record reports/manifest.json, `status`, `run`."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kadstudy.pipeline import manifest
from tests.conftest import run_cli as kad
from tests.conftest import tree
from tests.pipeline.synthetic import QDATA, make_pipeline_project

STATUS_WIDTH = 28


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _status(capsys) -> tuple[int, dict[str, str]]:
    code, out, _ = kad(["status"], capsys)
    rows = {}
    for line in out.splitlines():
        rows[line[:STATUS_WIDTH].strip()] = line[STATUS_WIDTH:].strip()
    return code, rows


@pytest.fixture
def project(tmp_path, monkeypatch):
    return make_pipeline_project(tmp_path, monkeypatch, replication=True)


@pytest.fixture
def built(project, capsys):
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    return project


def test_manifest_records_inputs_code_and_outputs(built):
    from kadstudy import __version__

    root = built
    data = json.loads((root / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert data["format"] == 1 and sorted(data["targets"]) == ["index", "one", "replications", "two"]
    one = data["targets"]["one"]
    ds = root / "datasets" / "synqca"
    assert one["inputs"] == {"analyses/one.yaml": _sha(root / "analyses" / "one.yaml"),
                             "datasets/synqca/codebook.yaml": _sha(ds / "codebook.yaml"),
                             "datasets/synqca/codings.csv": _sha(ds / "codings.csv")}
    assert one["outputs"] == {f"reports/one/{p}": _sha(root / "reports" / "one" / p)
                              for p in tree(root / "reports" / "one")}
    assert "reports/one/report.html" in one["outputs"]
    # the code version: the package version and every .py file and page template of the package,
    # in path order
    pkg = Path(__import__("kadstudy").__file__).parent
    digest = hashlib.sha256(__version__.encode())
    templates = [p for p in (pkg / "templates").iterdir() if p.suffix in (".j2", ".css")]
    assert any(p.name == "report.html.j2" for p in templates)
    for path in sorted([*pkg.rglob("*.py"), *templates]):
        digest.update(path.relative_to(pkg).as_posix().encode() + path.read_bytes())
    assert {t["code"] for t in data["targets"].values()} == {digest.hexdigest()[:16]}
    rep = data["targets"]["replications"]
    data_file = "../shared/qca-benchmarks/data/syn.csv"
    assert rep["inputs"][data_file] == hashlib.sha256(QDATA.encode()).hexdigest()
    assert "analyses/replications/syn-necessity.yaml" in rep["inputs"]
    assert set(rep["outputs"]) == {"reports/replications/syn-necessity.html",
                                   "reports/replications/syn-necessity.md",
                                   "reports/replications/status.json"}
    # the index reads each analysis file and the summary.json its report wrote (the caveats line),
    # the replications' status, and hashes the input data (codebooks, codings, specs) it shows
    assert data["targets"]["index"]["inputs"] == {
        **{f"analyses/{n}.yaml": _sha(root / "analyses" / f"{n}.yaml") for n in ("one", "two")},
        "analyses/replications/syn-necessity.yaml": _sha(root / "analyses" / "replications"
                                                         / "syn-necessity.yaml"),
        "datasets/synqca/codebook.yaml": _sha(ds / "codebook.yaml"),
        "datasets/synqca/codings.csv": _sha(ds / "codings.csv"),
        "reports/replications/status.json": _sha(root / "reports" / "replications" / "status.json"),
        **{f"reports/{n}/summary.json": _sha(root / "reports" / n / "summary.json") for n in ("one", "two")}}


def test_manifest_bytes_do_not_depend_on_where_the_project_lives(built, tmp_path, monkeypatch, capsys):
    text = (built / "reports" / "manifest.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "\\" not in text
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    other = tmp_path / "deeper" / "elsewhere"
    other.mkdir(parents=True)
    clone = make_pipeline_project(other, monkeypatch, replication=True)
    assert kad(["run", "--force", "-j", "2"], capsys)[0] == 0
    assert (clone / "reports" / "manifest.json").read_text(encoding="utf-8") == text
    monkeypatch.chdir(built)
    assert kad(["run", "--force"], capsys)[0] == 0
    assert (built / "reports" / "manifest.json").read_text(encoding="utf-8") == text


def test_fresh_clone_is_up_to_date(built, tmp_path, monkeypatch, capsys):
    """A clone has new mtimes and no .kadstudy/: the committed reports still count as up to date."""
    clone_root = tmp_path / "clone"
    for name in ("project", "shared"):
        shutil.copytree(tmp_path / name, clone_root / name, ignore=shutil.ignore_patterns(".kadstudy"),
                        copy_function=shutil.copy)  # new mtimes
    monkeypatch.chdir(clone_root / "project")
    code, rows = _status(capsys)
    assert code == 0 and rows == dict.fromkeys(["index", "one", "replications", "two"], "up to date")
    code, out, _ = kad(["run"], capsys)
    assert code == 0 and out == "nothing to do: 4 targets up to date\n"


def test_each_reason(built, capsys, monkeypatch):
    root = built
    (root / "analyses" / "one.yaml").write_text("kind: descriptive\ntitle: Changed\ndataset: synqca\n"
                                                "by: [country]\n", encoding="utf-8")
    (root / "reports" / "two" / "report.html").write_text("edited", encoding="utf-8")
    (root / "reports" / "replications" / "notes.txt").write_text("mine", encoding="utf-8")
    code, rows = _status(capsys)
    assert code == 1
    assert rows == {
        "index": "stale  (changed: analyses/one.yaml)",
        "one": "stale  (changed: analyses/one.yaml)",
        "replications": "stale  (added after its build: reports/replications/notes.txt)",
        "two": "stale  (edited after its build: reports/two/report.html)",
    }
    (root / "reports" / "replications" / "notes.txt").unlink()
    shutil.rmtree(root / "reports" / "two")
    codings = root / "datasets" / "synqca" / "codings.csv"
    text = codings.read_text(encoding="utf-8")
    codings.write_text(text.replace("Forum f1,", "Forum F1,", 1), encoding="utf-8")
    code, rows = _status(capsys)
    assert rows["two"] == "stale  (its report is missing)"
    assert rows["one"] == "stale  (changed: analyses/one.yaml, datasets/synqca/codings.csv)"
    assert rows["replications"] == "stale  (changed: datasets/synqca/codings.csv)"
    from kadstudy.pipeline import graph

    monkeypatch.setattr(graph, "code_version", lambda: "0123456789abcdef")
    code, rows = _status(capsys)
    assert rows["index"] == ("stale  (changed: analyses/one.yaml, datasets/synqca/codings.csv; "
                             "the code changed (kadstudy version or source))")


def test_status_order_is_stable_and_run_uses_the_same_decision(built, capsys):
    for name in ("one", "two"):
        path = built / "analyses" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    outs = [kad(["status"], capsys)[1] for _ in range(3)]
    assert outs[0] == outs[1] == outs[2]
    assert [line.split()[0] for line in outs[0].splitlines()] == ["index", "one", "replications", "two"]
    code, out, _ = kad(["run"], capsys)
    assert code == 0
    assert sorted(line for line in out.splitlines() if line.startswith("building")) == [
        "building index", "building one", "building two"]
    assert _status(capsys)[0] == 0


def test_replication_data_beside_the_project(built, tmp_path, capsys):
    data = tmp_path / "shared" / "qca-benchmarks" / "data" / "syn.csv"
    data.write_text(QDATA.replace("c4,0,0", "c4,0,1"), encoding="utf-8")
    code, rows = _status(capsys)
    assert code == 1 and rows["replications"] == "stale  (changed: ../shared/qca-benchmarks/data/syn.csv)"
    data.write_text(QDATA, encoding="utf-8")
    shutil.rmtree(tmp_path / "shared")  # data absent on this machine: the spec is skipped, not stale
    code, rows = _status(capsys)
    assert code == 0 and rows["replications"] == "up to date"
    before = (built / "reports" / "manifest.json").read_bytes()
    assert kad(["run", "--force"], capsys)[0] == 0
    assert (built / "reports" / "manifest.json").read_bytes() == before  # the recorded hash is kept


@pytest.mark.parametrize("junk", ["{not json", '{"format": 1, "targets": {"one": {"code": 1}}}', "[]"])
def test_corrupt_manifest_or_doit_database_costs_a_rebuild_not_a_traceback(built, capsys, junk):
    good = (built / "reports" / "manifest.json").read_bytes()
    (built / "reports" / "manifest.json").write_text(junk, encoding="utf-8")
    (built / ".kadstudy" / "doit-db.json").write_text("{corrupt", encoding="utf-8")
    code, out, err = kad(["status"], capsys)
    assert code == 1 and err == "" and "reports/manifest.json" in out
    code, out, err = kad(["run"], capsys)
    assert code == 0 and err == "" and "building one" in out
    assert (built / "reports" / "manifest.json").read_bytes() == good
    assert kad(["run"], capsys)[1].startswith("nothing to do")


def test_clean_removes_reports_replications_and_their_entries(built, capsys):
    (built / "analyses" / "three.yaml").write_text("kind: descriptive\ntitle: T\ndataset: synqca\n"
                                                   "by: [scope]\n", encoding="utf-8")
    code, out, _ = kad(["clean"], capsys)
    assert code == 0
    assert out.splitlines() == ["removed reports/index.html", "removed reports/manifest.json",
                                "removed reports/one/", "removed reports/replications/",
                                "removed reports/two/", "removed 5 outputs"]
    assert sorted(p.name for p in (built / "reports").iterdir()) == []
    assert sorted(p.name for p in (built / ".kadstudy").iterdir()) == ["lock"]
    assert kad(["clean"], capsys)[1] == "nothing to remove\n"


def test_clean_keeps_entries_of_reports_it_does_not_own(built, capsys):
    path = built / "reports" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["targets"]["old-analysis"] = {"code": "x", "inputs": {}, "outputs": {}}
    path.write_text(json.dumps(data), encoding="utf-8")
    out = kad(["clean"], capsys)[1]
    assert "removed reports/manifest.json entries: index, one, replications, two" in out.splitlines()
    assert list(json.loads(path.read_text(encoding="utf-8"))["targets"]) == ["old-analysis"]


# ---------------------------------------------------------------------------- the decision itself

paths = st.text("abc/", min_size=1, max_size=6)
hashes = st.sampled_from(["h1", "h2", "h3"])


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(paths, hashes, min_size=1, max_size=5), st.dictionaries(paths, hashes, max_size=5),
       st.data())
def test_stale_reasons_name_exactly_what_differs(inputs, outputs, data):
    outputs = {**outputs, "main": "m"}
    entry = manifest.Entry("code", dict(inputs), dict(outputs))
    assert manifest.stale_reasons(entry, "code", dict(inputs), dict(outputs), "main") == []
    path = data.draw(st.sampled_from(sorted(inputs)))
    changed = {**inputs, path: "other"}
    assert manifest.stale_reasons(entry, "code", changed, outputs, "main") == [f"changed: {path}"]
    more = {**inputs, "new": "h"}
    assert manifest.stale_reasons(entry, "code", more, outputs, "main") == ["new input: new"]
    fewer = {k: v for k, v in inputs.items() if k != path}
    assert manifest.stale_reasons(entry, "code", fewer, outputs, "main") == [f"input no longer used: {path}"]
    assert manifest.stale_reasons(entry, "code", {**inputs, path: None}, outputs, "main") == [
        f"input missing: {path}"]
    assert manifest.stale_reasons(entry, "code", {**inputs, path: None}, outputs, "main",
                                  frozenset([path])) == []
    assert manifest.stale_reasons(entry, "new", inputs, outputs, "main") == [
        "the code changed (kadstudy version or source)"]
    assert manifest.stale_reasons(entry, "code", inputs, {**outputs, "main": "x"}, "main") == [
        "edited after its build: main"]
    assert manifest.stale_reasons(entry, "code", inputs, {"o": "1"}, "main") == ["its report is missing"]
