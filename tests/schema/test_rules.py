"""One test per rule of the schema layer, through the command line: each bad file stops the
command with exit code 2 and one ``error:`` line naming the file, the key and the fix, and no
file is changed. The expected messages are written out from the rules, not copied from output."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kadstudy.errors import KadError
from kadstudy.schema import read_yaml
from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import make_project

QCA = """kind: qca
title: Synthetic QCA
dataset: synqca
outcome: y
conditions: [a, b]
incl_cut: 0.8
solutions: [conservative, parsimonious, intermediate]
dir_exp: {a: 1, b: 1}
"""
SHOWN = "analyses/q.yaml"


def state(folder: Path) -> dict[str, tuple[str, int]]:
    """Relative path -> (sha256, mode) of every file and folder under ``folder``."""
    out = {}
    for p in sorted(folder.rglob("*")):
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        out[p.relative_to(folder).as_posix()] = (digest, p.stat().st_mode)
    return out


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The synthetic QCA project with one analysis built: its report folder exists."""
    root = make_project(tmp_path, monkeypatch)
    (root / "analyses" / "q.yaml").write_text(QCA, encoding="utf-8")
    return root


def _refused(project: Path, capsys, text: str | bytes) -> str:
    """Write ``q.yaml``, run; assert exit 2, one line, nothing changed; return the line."""
    path = project / "analyses" / "q.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    before = state(project)
    code, out, err = kad(["run"], capsys)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith(f"error: {SHOWN}: "), err
    assert "Traceback" not in err + out
    assert state(project) == before
    return lines[0]


# ---------------------------------------------------------------------------- keys and types


def test_unknown_key(project, capsys):
    line = _refused(project, capsys, QCA + "colour: blue\n")
    assert line.startswith(f"error: {SHOWN}: key 'colour': unknown key; ")


def test_typo_suggests_the_key(project, capsys):
    line = _refused(project, capsys, QCA.replace("incl_cut:", "incl_cutt:"))
    # the misspelt key is one problem, not also "incl_cut missing"
    assert line == f"error: {SHOWN}: key 'incl_cutt': unknown key; did you mean 'incl_cut'?"


def test_typo_in_a_nested_key(project, capsys):
    text = QCA + "calibrate:\n  big: {form: n, type: fuzzy, thresholds: [1, 2, 3]}\n"
    line = _refused(project, capsys, text)
    assert line == f"error: {SHOWN}: key 'calibrate.big.form': unknown key; did you mean 'from'?"


def test_wrong_type(project, capsys):
    line = _refused(project, capsys, QCA.replace("incl_cut: 0.8", "incl_cut: 1.5"))
    assert line == (f"error: {SHOWN}: key 'incl_cut': expected a number in [0, 1], or two "
                    "[upper, lower] with upper >= lower, got 1.5")


def test_text_is_not_coerced_to_a_number(project, capsys):
    line = _refused(project, capsys, QCA.replace("incl_cut: 0.8", "incl_cut: '0.8'"))
    assert "key 'incl_cut': expected a number" in line and "got '0.8'" in line


def test_several_problems_are_several_lines(project, capsys):
    (project / "analyses" / "q.yaml").write_text(
        QCA.replace("incl_cut: 0.8", "incl_cut: 2").replace("title:", "titel:"), encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 2
    assert sorted(err.strip().splitlines()) == sorted([
        f"error: {SHOWN}: key 'incl_cut': expected a number in [0, 1], or two [upper, lower] with "
        "upper >= lower, got 2",
        f"error: {SHOWN}: key 'titel': unknown key; did you mean 'title'?"])


# ---------------------------------------------------------------------------- the YAML reader


def test_not_utf8_names_the_byte(project, capsys):
    text = QCA.encode("utf-8").replace(b"Synthetic", b"Synth\xe9tic")   # Latin-1 e-acute
    offset = text.index(b"\xe9")
    line = _refused(project, capsys, text)
    assert line.startswith(f"error: {SHOWN}: byte {offset}: 0xe9 is not UTF-8 (")
    assert line.endswith("); save the file as UTF-8")


def test_utf8_bom_is_accepted_as_by_every_reader(project, capsys):
    """A UTF-8 byte-order mark (as Excel and Notepad write) is dropped, as the CSV readers do."""
    from kadstudy.schema.yamlio import decode_utf8

    assert decode_utf8(b"\xef\xbb\xbf" + QCA.encode("utf-8"), SHOWN) == QCA


def test_utf16_is_refused(project, capsys):
    line = _refused(project, capsys, QCA.encode("utf-16"))
    assert line == (f"error: {SHOWN}: byte 0: a UTF-16 byte order mark; not UTF-8 text; save the file "
                    "as UTF-8")


def test_binary_junk_is_not_echoed(project, capsys):
    junk = bytes([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]) + b"\x00" * 8
    line = _refused(project, capsys, junk)
    # the first NUL is byte 7; the message names its offset, not the bytes
    assert line == (f"error: {SHOWN}: byte 7: a NUL byte; this is a binary file, not text; give the "
                    "UTF-8 text file")
    line = _refused(project, capsys, bytes([0x7f, 0x45, 0x4c, 0x46, 0x02]))
    # DEL (0x7f) at byte 0 is not allowed in YAML; the message gives its code point, not the bytes
    assert line == (f"error: {SHOWN}: byte 0: control character U+007F (binary data?); remove it or "
                    "save the file as plain UTF-8 text")


def test_duplicate_key_is_refused(project, capsys):
    line = _refused(project, capsys, QCA + "incl_cut: 0.9\n")
    n = QCA.count("\n") + 1       # the second incl_cut is the last line
    assert line == (f"error: {SHOWN}: line {n}: not valid YAML (key 'incl_cut' appears twice in one "
                    "mapping; keep one); fix the syntax (tags such as !!python/... are refused)")


def test_syntax_error_names_the_line(project, capsys):
    line = _refused(project, capsys, QCA.replace("conditions: [a, b]", "conditions: [a, b"))
    assert line.startswith(f"error: {SHOWN}: line ") and "not valid YAML" in line


def test_not_a_mapping(project, capsys):
    line = _refused(project, capsys, "- kind: qca\n- title: x\n")
    assert line == (f"error: {SHOWN}: expected a mapping of keys (kind, title, dataset, ...), got a "
                    "list")


def test_python_tags_are_not_executed(project, capsys, tmp_path):
    marker = tmp_path / "ran"
    text = QCA + f"note: !!python/object/apply:os.system ['touch {marker}']\n"
    line = _refused(project, capsys, text)
    assert "not valid YAML" in line and not marker.exists()


# ---------------------------------------------------------------------------- paths


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../etc/x", "datasets/../../outside.csv"])
def test_path_outside_the_project(project, capsys, path):
    text = QCA + f"survey_sets: {{instrument: instrument.yaml, responses: '{path}'}}\n"
    line = _refused(project, capsys, text)
    assert line.startswith(f"error: {SHOWN}: key 'survey_sets.responses': '{path}' ")
    assert ("absolute path" in line) if path.startswith("/") else ("points outside the project" in line)


def test_symlink_out_of_the_project(project, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "responses.csv"
    outside.write_text("respondent_id\n", encoding="utf-8")
    os.symlink(outside, project / "responses.csv")
    text = QCA + "survey_sets: {instrument: instrument.yaml, responses: responses.csv}\n"
    line = _refused(project, capsys, text)
    assert line.startswith(f"error: {SHOWN}: key 'survey_sets.responses': 'responses.csv' points "
                           "outside the project folder")


def test_dataset_is_a_name_not_a_path(project, capsys):
    line = _refused(project, capsys, QCA.replace("dataset: synqca", "dataset: ../../etc"))
    assert line.startswith(f"error: {SHOWN}: key 'dataset': '../../etc' is not a dataset name")


# ---------------------------------------------------------------------------- set names


@pytest.mark.parametrize(("old", "new", "key", "name", "op"), [
    ("conditions: [a, b]", "conditions: [a, 'b*c']", "conditions", "b*c", "'*' (AND"),
    ("outcome: y", "outcome: 'y+z'", "outcome", "y+z", "'+' (OR"),
    ("dir_exp: {a: 1, b: 1}", "dir_exp: {a: 1, '~b': 1}", "dir_exp", "~b", "'~' (NOT"),
])
def test_operator_in_a_set_name(project, capsys, old, new, key, name, op):
    line = _refused(project, capsys, QCA.replace(old, new))
    assert line.startswith(f"error: {SHOWN}: key '{key}': set name '{name}' contains {op} in QCA "
                           "notation)"), line


def test_operator_in_a_calibrated_set_name(project, capsys):
    line = _refused(project, capsys, QCA + "calibrate:\n  'big set': {from: members_n, type: fuzzy, "
                                           "thresholds: [2, 4.5, 8]}\n")
    assert line.startswith(f"error: {SHOWN}: key 'calibrate': set name 'big set' contains ' '")


# ---------------------------------------------------------------------------- names the dataset lacks


def test_unknown_dir_exp_condition_changes_nothing(project, capsys):
    """Built once; then a dir_exp naming a condition that is not one: exit 2 before the build,
    every report file (hash and mode) as it was."""
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    assert (project / "reports" / "q" / "report.html").is_file()
    line = _refused(project, capsys, QCA.replace("dir_exp: {a: 1, b: 1}", "dir_exp: {a: 1, c: 1}"))
    assert line == (f"error: {SHOWN}: key 'dir_exp': 'c' is not one of the conditions (a, b); give "
                    "expectations for conditions only")


@pytest.mark.parametrize(("old", "new", "key", "name"), [
    ("outcome: y", "outcome: yy", "outcome", "yy"),
    ("conditions: [a, b]", "conditions: [a, bb]", "conditions", "bb"),
])
def test_unknown_set_is_refused_before_building(project, capsys, old, new, key, name):
    assert kad(["run"], capsys)[0] == 0
    line = _refused(project, capsys, QCA.replace(old, new).replace("dir_exp: {a: 1, b: 1}\n", ""))
    assert line.startswith(f"error: {SHOWN}: key '{key}': unknown set '{name}': not a variable of "
                           "dataset 'synqca' nor defined under 'calibrate'")


# ---------------------------------------------------------------------------- the other readers


def test_readers_share_the_rules(tmp_path):
    from kadstudy.data.addcase import read_case_file
    from kadstudy.data.codebook import read_codebook
    from kadstudy.reproduce.spec import read_spec
    from kadstudy.survey.io import read_instrument

    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nb: \xff\n")     # offsets count from 0: a : sp 1 nl b : sp = 8
    for reader in (read_case_file, read_codebook, read_spec, read_instrument, read_yaml):
        with pytest.raises(KadError) as info:
            reader(path)
        assert "x.yaml: byte 8: 0xff is not UTF-8 (" in str(info.value), reader
        assert str(info.value).endswith("; save the file as UTF-8"), reader
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    for reader in (read_case_file, read_codebook, read_spec, read_instrument, read_yaml):
        with pytest.raises(KadError, match=r"line 2: not valid YAML \(key 'a' appears twice"):
            reader(path)


def test_add_case_typo_suggests_the_key(tmp_path):
    from kadstudy.data.addcase import case_codings

    doc = {"forum_id": "x", "codings": {"active": {"vale": 1}}, "sourc": "s"}
    with pytest.raises(KadError) as info:
        case_codings(doc, "case.yaml")
    assert sorted(str(info.value).splitlines()) == [
        "case.yaml: key 'codings.active.vale': unknown key; did you mean 'value'?",
        "case.yaml: key 'sourc': unknown key; did you mean 'source'?"]


def test_codebook_typo_suggests_the_key():
    import yaml

    from kadstudy.data.codebook import parse_codebook
    from tests.data.mini import CODEBOOK

    doc = yaml.safe_load(CODEBOOK.replace("missing_codes:", "missing_code:"))
    with pytest.raises(KadError) as info:
        parse_codebook(doc, "codebook.yaml")
    assert str(info.value) == "codebook.yaml: key 'missing_code': unknown key; did you mean 'missing_codes'?"


def test_instrument_typo_suggests_the_section():
    import yaml

    from kadstudy.survey import parse_instrument
    from tests.survey.conftest import INSTRUMENT

    doc = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
    doc["calibraton"] = doc.pop("calibration")
    with pytest.raises(KadError) as info:
        parse_instrument(doc, "instrument.yaml")
    assert str(info.value) == "instrument.yaml: key 'calibraton': unknown key; did you mean 'calibration'?"


# ---------------------------------------------------------------------------- replication data paths

NECESSITY = """title: t
citation: {author: a, year: n.d., title: t, table: "1", lines: "1-2"}
method: qca_necessity
data: data/X.csv
parameters: {outcome: Y, conditions: [A, B]}
published:
  key: term
  columns: [term, {name: inclN, decimals: 3}]
  rows:
    - [A, '1.000']
    - [B, '0.000']
    - [~A, '0.000']
    - [~B, '1.000']
"""


@pytest.fixture
def replication(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project holding one necessity spec, with its data in a data root inside the project."""
    root = tmp_path / "checkout"
    (root / "analyses" / "replications").mkdir(parents=True)
    (root / "datasets").mkdir()
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "bench" / "data").mkdir(parents=True)
    # Y = A = ~B: inclN = sum min(X, Y) / sum Y is 1 for A and ~B, 0 for B and ~A
    (root / "bench" / "data" / "X.csv").write_text("case,A,B,Y\nc1,1,0,1\nc2,0,1,0\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _reproduce(root: Path, capsys, text: str) -> tuple[int, list[str]]:
    (root / "analyses" / "replications" / "r.yaml").write_text(text, encoding="utf-8")
    code, _, err = kad(["reproduce"], capsys)
    return code, err.strip().splitlines()


def test_replication_data_in_a_project_data_root(replication, capsys):
    code, lines = _reproduce(replication, capsys, NECESSITY + "data_root: bench\n")
    assert code == 0, lines


@pytest.mark.parametrize(("line", "message"), [
    ("data_root: /etc", "key 'data_root': '/etc' is an absolute path"),
    ("data_root: ../../elsewhere", "key 'data_root': '../../elsewhere' points outside the project folder"),
])
def test_replication_data_root_outside(replication, capsys, line, message):
    code, lines = _reproduce(replication, capsys, NECESSITY + line + "\n")
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith("error: analyses/replications/r.yaml: " + message), lines
    assert not (replication / "reports").exists()


@pytest.mark.parametrize(("data", "message"), [
    ("/etc/passwd", "'/etc/passwd' is an absolute path"),
    ("../../../etc/passwd", "'../../../etc/passwd' leaves the data root ('..')"),
])
def test_replication_data_file_outside(replication, capsys, data, message):
    code, lines = _reproduce(replication, capsys,
                             NECESSITY.replace("data: data/X.csv", f"data: {data}") + "data_root: bench\n")
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith(f"error: analyses/replications/r.yaml: key 'data': {message}"), lines
    assert not (replication / "reports").exists()


def test_replication_data_symlinked_out_of_the_data_root(replication, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "X.csv"
    outside.write_text("case,A,B,Y\nc1,1,0,1\nc2,0,1,0\n", encoding="utf-8")
    target = replication / "bench" / "data" / "X.csv"
    target.unlink()
    os.symlink(outside, target)
    code, lines = _reproduce(replication, capsys, NECESSITY + "data_root: bench\n")
    assert code == 2 and len(lines) == 1
    assert "key 'data': data/X.csv resolves outside the data root" in lines[0], lines
    assert not (replication / "reports").exists()


def test_replication_set_name_with_an_operator(replication, capsys):
    code, lines = _reproduce(replication, capsys,
                             NECESSITY.replace("conditions: [A, B]", "conditions: [A, 'B*C']"))
    assert code == 2 and lines == [
        "error: analyses/replications/r.yaml: key 'parameters.conditions': set name 'B*C' contains "
        "'*' (AND in QCA notation); rename it with letters, digits, '_' or '.' only"]


# ---------------------------------------------------------------------------- kinds as plug-ins


def test_kinds_are_discovered_from_their_modules():
    """Every module of kadstudy/pipeline/kinds/ that defines SCHEMA and build is a kind."""
    from kadstudy.pipeline.spec import kind_schemas
    from kadstudy.schema.analysis import AnalysisBase

    folder = Path(__file__).parents[2] / "kadstudy" / "pipeline" / "kinds"
    expected = sorted(p.stem for p in folder.glob("*.py")
                      if "\nclass SCHEMA(" in p.read_text(encoding="utf-8")
                      and "\ndef build(" in p.read_text(encoding="utf-8"))
    assert sorted(kind_schemas()) == expected
    assert all(issubclass(m, AnalysisBase) for m in kind_schemas().values())


def test_an_older_kind_schema_still_works():
    """A plug-in written before the schema layer (SCHEMA = {key: (check, required)})."""
    from kadstudy.schema import validate
    from kadstudy.schema.analysis import model_from_checks
    from kadstudy.schema.fields import is_count

    model = model_from_checks("toy", {"n": (is_count, True), "m": (is_count, False)})
    base = {"kind": "toy", "title": "t", "dataset": "d"}
    assert validate(model, {**base, "n": 2}, "a.yaml")[1] == []
    assert validate(model, {**base, "n": 0, "mm": 1}, "a.yaml")[1] == [
        "a.yaml: key 'n': expected a whole number >= 1, got 0",
        "a.yaml: key 'mm': unknown key; did you mean 'm'?"]
    assert validate(model, base, "a.yaml")[1] == ["a.yaml: key 'n': missing; it is required"]
