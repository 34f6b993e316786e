"""Bad specs stop the command with exit code 2, one line per problem naming the file, the key and
the fix, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from kadstudy.reproduce.spec import read_spec
from tests.reproduce.conftest import edit

SPEC = "analyses/replications/seed001-stated-counts.yaml"


def _no_reports(project: Path) -> bool:
    return not (project / "reports").exists()


def test_typo_in_a_key_is_one_line(project: Path, run) -> None:
    edit(project / SPEC, "\npublished:\n", "\npublshed:\n")
    code, out, err = run("reproduce")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"error: {SPEC}: key 'publshed': unknown key; did you mean 'published'?"]
    assert _no_reports(project)  # not even the good specs' reports


def test_missing_published_table_is_one_line(project: Path, run) -> None:
    text = (project / SPEC).read_text()
    (project / SPEC).write_text(text[:text.index("\npublished:\n")] + "\n")
    code, _, err = run("reproduce", "seed001-stated-counts")
    assert code == 2
    assert err.splitlines() == [
        f"error: {SPEC}: key 'published': missing; transcribe the published table as key, columns "
        "and rows (or, when no table was found, say so: publication: {status: not_found, "
        "searched: [...]})"]
    assert _no_reports(project)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("method: count", "method: counts",
         "key 'method': expected one of dataset_table, count, qca_truth_table, qca_solution, "
         "qca_necessity, calibration, qca_calibration, got 'counts'"),
        ("  counts:\n", "  count:\n", "key 'parameters.count': unknown key; did you mean 'counts'?"),
        ("    - value\n", "    - {name: value, decimal: 0}\n",
         "key 'published.columns', column 'value': unknown key 'decimal'; did you mean 'decimals'?"),
        ('"231", 13]', '"231", 13, 14]',
         "key 'published.rows', row 1: expected a list of 4 cells (claim, statement, lines, value)"),
        ("  year: n.d.\n", "", "key 'citation.year': missing; it is required (write 'n.d.' for an "
                               "unknown year)"),
        ('[pawonsari_members, "kerjasama', '[javapromo_members, "kerjasama',
         "key 'published.rows', row 3: same key as row 1 (javapromo_members); keys must be unique"),
        ("\ntitle: ", "\ntitle: !!python/object/apply:os.system ['echo unsafe']\nx: ",
         "not valid YAML"),
    ],
)
def test_bad_spec_is_one_line_naming_file_and_key(project: Path, run, old: str, new: str,
                                                  message: str) -> None:
    edit(project / SPEC, old, new)
    code, out, err = run("reproduce")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {SPEC}: ") and message in lines[0], lines[0]
    assert _no_reports(project)


def test_a_problem_found_while_rebuilding_also_writes_nothing(project: Path, run) -> None:
    edit(project / SPEC, "{forum: natat, variable: n_members}", "{forum: natat, variable: n_member}")
    code, _, err = run("reproduce")
    assert code == 2
    assert err.startswith(f"error: {SPEC}: key 'parameters.counts.natat_members.variable': unknown "
                          "variable 'n_member' in dataset 'kad_forums'")
    assert _no_reports(project)


def test_unknown_id_is_named(project: Path, run) -> None:
    code, _, err = run("reproduce", "seed001-stated-count")
    assert code == 2
    assert err.startswith("error: replication 'seed001-stated-count': no "
                          "analyses/replications/seed001-stated-count.yaml; known: ")


def test_yes_unquoted_is_caught(tmp_path: Path) -> None:
    """YAML reads an unquoted yes as true; a published cell must be text or a number."""
    path = tmp_path / "x.yaml"
    path.write_text("""title: t
citation: {author: a, year: 2000, title: t, table: "1", page: "3"}
dataset: kad_forums
method: count
parameters: {counts: {a: {where: {scope: domestic}}}}
published:
  key: claim
  columns: [claim, value]
  rows:
    - [a, yes]
""")
    with pytest.raises(Exception, match=r"row 1, column 'value': a cell must be text, a number or null"):
        read_spec(path)
