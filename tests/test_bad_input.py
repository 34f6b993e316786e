"""Bad input files refused by every CSV reader of the command line: the qca case CSV, survey
responses and case tables, codings CSVs (``data agreement``, ``data validate``). Each refusal is
one ``error:`` line (exit code 2, no traceback, nothing written) naming the file and where; file
content is never echoed whole. A UTF-8 byte order mark is accepted everywhere; other encodings
are refused with the byte offset. Set names given on the qca command line are checked.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clicheck import assert_clean_refusal, assert_one_error, kad, state, survey_files
from tests.data.mini import CODEBOOK, HEADER, ROWS

CASES = "case,A,B,C,Y\na,1,0,1,1\nb,1,1,0,1\nc,0,1,1,0\nd,0,0,0,0\ne,1,0,0,1\n"
BOM = codecs.BOM_UTF8


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A case CSV, the survey files, and the SYNTHETIC mini dataset (codebook + codings)."""
    out = survey_files(tmp_path)
    out["cases"] = tmp_path / "cases.csv"
    out["cases"].write_text(CASES, encoding="utf-8")
    mini = tmp_path / "mini"
    mini.mkdir()
    (mini / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    out["codings"] = mini / "codings.csv"
    out["codings"].write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    out["mini"] = mini
    return out


def survey(command: str, f: dict[str, Path], responses: Path | None = None, *extra: object):
    return kad("survey", command, responses or f["responses"], "--instrument", f["instrument"],
               "--forums", f["forums"], *extra)


def agreement(f: dict[str, Path], a: Path, b: Path | None = None):
    return kad("data", "agreement", a, b or f["codings"], "-d", f["mini"])


# --- duplicated column names ------------------------------------------------------------------------


def test_case_csv_with_a_repeated_column(files, tmp_path):
    """pandas would read the second DEV as 'DEV.1' and use it as a condition."""
    path = tmp_path / "dup.csv"
    path.write_text("case,DEV,URB,DEV,Y\na,1,0,1,1\nb,0,1,0,0\n", encoding="utf-8")
    before = state(tmp_path)
    for command in (["truth-table"], ["minimize"], ["necessity"], ["super-subset"]):
        line = assert_one_error(*kad("qca", *command, path, "--outcome", "Y"))
        assert line == (f"error: {path} row 1: columns 2 and 4 are both named 'DEV'; give each column "
                        "its own name")
    line = assert_one_error(*kad("qca", "calibrate", path, "--column", "URB", "--thresholds", "0,1,2"))
    assert "columns 2 and 4 are both named 'DEV'" in line
    assert state(tmp_path) == before


def test_case_csv_with_an_unnamed_column(tmp_path):
    path = tmp_path / "unnamed.csv"
    path.write_text("case,A,,Y\na,1,0,1\n", encoding="utf-8")
    assert_one_error(*kad("qca", "truth-table", path, "--outcome", "Y"),
                     f"{path} row 1: column 3 has no name")


def test_codings_with_a_repeated_column(files):
    path = files["codings"].parent / "coder_b.csv"
    path.write_text(HEADER.replace("history", "note") + "\n".join(ROWS) + "\n", encoding="utf-8")
    line = assert_one_error(*agreement(files, path))
    assert line == (f"error: {path} row 1: columns 9 and 10 are both named 'note'; give each column its "
                    "own name")


def test_responses_with_a_repeated_column(files, tmp_path):
    text = files["responses"].read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",trust_1"] + [row + ",4" for row in text[1:]]
    path = tmp_path / "dup.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    n = len(text[0].split(","))
    first = text[0].split(",").index("trust_1") + 1
    assert_one_error(*survey("validate", files, path), f"dup.csv row 1, field 'trust_1': duplicate column "
                     f"(columns {first} and {n} are both named 'trust_1'); keep one column per item")


def test_forums_table_with_a_repeated_column(files):
    files["forums"].write_text("forum_id,name,forum_id\nalpha,A,x\n", encoding="utf-8")
    assert_one_error(*survey("validate", files), "row 1: columns 1 and 3 are both named 'forum_id'")


def test_ragged_rows_are_refused(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("case,A,Y\na,1,1\nb,0\n", encoding="utf-8")
    assert_one_error(*kad("qca", "truth-table", path, "--outcome", "Y"),
                     f"{path} row 3: 2 fields, expected 3")


# --- set names on the command line and in headers -----------------------------------------------------

BAD_NAMES = {"URB*STB": "contains '*' (AND in QCA notation)", "~LIT": "contains '~' (NOT in QCA notation)",
             "A+B": "contains '+' (OR in QCA notation)", "X[2]": "contains '[' (a level in QCA notation)"}


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_bad_set_name_in_conditions(files, name):
    path = files["cases"]
    line = assert_one_error(*kad("qca", "truth-table", path, "--outcome", "Y", "--conditions", f"A,{name}"))
    assert line.startswith(f"error: {path}: --conditions '{name}': {BAD_NAMES[name]}; rename it"), line


@pytest.mark.parametrize("name", ["URB*STB", "A+B", "~~Y", "Y Z"])
def test_bad_set_name_as_outcome(files, name):
    path = files["cases"]
    line = assert_one_error(*kad("qca", "necessity", path, "--outcome", name))
    assert line.startswith(f"error: {path}: --outcome '{name}': contains "), line


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_bad_set_name_as_directional_expectation(files, name):
    path = files["cases"]
    line = assert_one_error(*kad("qca", "minimize", path, "--outcome", "Y", "--solution", "intermediate",
                                 "--dir-exp", f"A=1,{name}=1"))
    assert line.startswith(f"error: {path}: --dir-exp key '{name}': {BAD_NAMES[name]}"), line


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_bad_set_name_in_the_header(tmp_path, name):
    path = tmp_path / "cases.csv"
    path.write_text(f'case,A,"{name}",Y\na,1,0,1\nb,0,1,0\n', encoding="utf-8")
    line = assert_one_error(*kad("qca", "truth-table", path, "--outcome", "Y"))
    assert line.startswith(f"error: {path}: column '{name}': {BAD_NAMES[name]}"), line


def test_outcome_and_conditions_must_be_columns(files):
    path = files["cases"]
    assert_one_error(*kad("qca", "truth-table", path, "--outcome", "Z"),
                     f"{path}: --outcome: no column 'Z'; columns are: A, B, C, Y")
    assert_one_error(*kad("qca", "truth-table", path, "--outcome", "Y", "--conditions", "A,D"),
                     f"{path}: --conditions: no column 'D'")


def test_negated_outcome_is_still_accepted(files):
    code, out, err = kad("qca", "necessity", files["cases"], "--outcome", "~Y")
    assert code == 0 and "~Y" in out, err


# --- junk content is never echoed -----------------------------------------------------------------


def _junk(size: int = 4096) -> bytes:
    """Deterministic binary junk (a linear congruential sequence), every byte value present."""
    x, out = 12345, bytearray()
    for _ in range(size):
        x = (1103515245 * x + 12345) % 2**31
        out.append(x >> 16 & 0xFF)
    return bytes(out)


@pytest.mark.parametrize("junk", [
    _junk(),                                                      # binary: not UTF-8
    bytes(range(1, 32)) * 128,                                    # control characters, valid UTF-8
    ("Z" * 4096).encode(),                                        # one huge printable cell
    (HEADER + "alpha,commit," + "\x07" * 3000 + ",,syn,1,q,c,,\n").encode(),
    (HEADER + "alpha,commit," + "9" * 4000 + ",,syn,1,q,c,,\n").encode(),
], ids=["binary", "controls", "huge-cell", "codings-controls", "codings-huge-value"])
def test_junk_bytes_are_not_echoed(files, tmp_path, junk):
    path = tmp_path / "junk.csv"
    path.write_bytes(junk)
    before = state(tmp_path)
    for result in (agreement(files, path), survey("scales", files, path, "-o", tmp_path / "o.txt"),
                   survey("validate", files, path), kad("qca", "truth-table", path, "--outcome", "Y")):
        code, out, err = result
        assert_clean_refusal(code, err)
        assert out == ""
        for line in err.splitlines():
            assert len(line) <= 400, line[:120]
    assert state(tmp_path) == before


def test_binary_file_names_the_byte(files, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"case,A\n\x00\x01")
    assert_one_error(*agreement(files, path), f"{path}: byte 7: a NUL byte")


# --- encodings -------------------------------------------------------------------------------------


def test_utf8_bom_accepted_by_every_csv_reader(files, tmp_path):
    plain = [kad("qca", "truth-table", files["cases"], "--outcome", "Y"),
             survey("scales", files), agreement(files, files["codings"])]
    for key in ("cases", "responses", "forums", "codings"):
        files[key].write_bytes(BOM + files[key].read_bytes())
    with_bom = [kad("qca", "truth-table", files["cases"], "--outcome", "Y"),
                survey("scales", files), agreement(files, files["codings"], files["codings"])]
    for (c0, o0, e0), (c1, o1, e1) in zip(plain, with_bom, strict=True):
        assert c0 == c1 == 0, (e0, e1)
        assert o0 == o1
    code, out, err = kad("data", "validate", "-d", files["mini"], "--no-quotes")
    assert code == 0 and "2 forums, 18 codings" in out, err


LATIN1 = "case,A,Y\ncafé,1,1\nb,0,0\n".encode("latin-1")   # é (0xe9) at byte 9 + 3 = 12


@pytest.mark.parametrize(("content", "expect"), [
    (LATIN1, "byte 12: 0xe9 is not UTF-8 (invalid continuation byte); save the file as UTF-8"),
    (BOM + LATIN1, "byte 15: 0xe9 is not UTF-8"),
    ("case,A,Y\na,1,1\n".encode("utf-16"), "byte 0: a UTF-16 byte order mark; not UTF-8 text"),
], ids=["latin-1", "bom+latin-1", "utf-16"])
def test_other_encodings_refused_with_byte_offset(files, tmp_path, content, expect):
    path = tmp_path / "enc.csv"
    path.write_bytes(content)
    shown = [f"error: {path}: {expect}", f"error: enc.csv: {expect}"]
    forums_copy = files["forums"].read_bytes()
    results = [kad("qca", "truth-table", path, "--outcome", "Y"), agreement(files, path),
               survey("validate", files, path)]
    files["forums"].write_bytes(content)
    results.append(survey("validate", files))
    files["forums"].write_bytes(forums_copy)
    for result in results:
        line = assert_one_error(*result)
        assert any(line.startswith(s) for s in shown) or (expect in line and "forums.csv" in line), line


# --- random bytes: a one-line refusal or a result, never a traceback --------------------------------

CSV_CHARS = st.sampled_from([*',"\n\r ab1.0~*#;\t', "\ufeff", "é", "\x00", "\x07", "forum_id"])
TEXTY = st.lists(CSV_CHARS, max_size=200).map(lambda cs: "".join(cs).encode("utf-8"))
RANDOM_CONTENT = st.one_of(
    st.binary(max_size=300),
    TEXTY,
    TEXTY.map(lambda b: CASES.encode() + b),
    TEXTY.map(lambda b: HEADER.encode() + b),
    TEXTY.map(lambda b: b"respondent_id,forum_id,member_government,role," + b),
)
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _check(result) -> None:
    code, _, err = result
    if code != 0:
        assert_clean_refusal(code, err)


@FUZZ
@given(content=RANDOM_CONTENT)
def test_random_bytes_qca_case_csv(files, content):
    files["cases"].write_bytes(content)
    _check(kad("qca", "truth-table", files["cases"], "--outcome", "Y"))
    _check(kad("qca", "calibrate", files["cases"], "--column", "A", "--thresholds", "0,0.5,1"))


@FUZZ
@given(content=RANDOM_CONTENT)
def test_random_bytes_survey_responses(files, tmp_path, content):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    _check(survey("validate", files, path))


@FUZZ
@given(content=RANDOM_CONTENT)
def test_random_bytes_survey_forums(files, content):
    files["forums"].write_bytes(content)
    _check(survey("validate", files))


@FUZZ
@given(content=RANDOM_CONTENT)
def test_random_bytes_codings_agreement_and_validate(files, tmp_path, content):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    _check(agreement(files, path))
    files["codings"].write_bytes(content)
    _check(kad("data", "validate", "-d", files["mini"], "--no-quotes"))


# --- input paths that are not readable files --------------------------------------------------------


def test_input_that_is_a_folder_or_unreadable(files, tmp_path):
    """One error line from the reader (not click's usage block)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for result, what in [(kad("qca", "truth-table", folder, "--outcome", "Y"), "data"),
                         (agreement(files, folder), "codings"),
                         (survey("validate", files, folder), "responses"),
                         (kad("survey", "validate", files["responses"], "--instrument", folder,
                              "--forums", files["forums"]), "instrument")]:
        line = assert_one_error(*result)
        assert line.endswith(f"folder: is a folder; name the {what} file"), line
    missing = tmp_path / "missing.csv"
    assert_one_error(*kad("qca", "truth-table", missing, "--outcome", "Y"),
                     f"{missing}: no such data file; check the path")
