"""Every stage of a minimisation is bounded in time and memory (issue 14, item 1).

A 30-condition input stops within its time limit with exit code 3 and a line naming the stage,
how far it got and what to change; the memory budget is respected (peak resident memory of a
subprocess); each stage (conservative and intermediate prime implicants, open prime implicant
search, cover search, integer program) raises :class:`QCALimitError` when its budget is spent.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kadstudy.errors import KadError, LimitError
from kadstudy.sets import QCALimitError, minimize
from kadstudy.sets.limits import Budget, parse_size
from kadstudy.sets.minimize import minimum_cover, primes_closed, primes_open, solve_chart
from tests.clicheck import kad


def planted(k: int, n: int, seed: int = 3) -> pd.DataFrame:
    """Random crisp conditions C0..C{k-1}, outcome C0*C1 + C2*~C3, a case column first."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, k))
    y = (x[:, 0] & x[:, 1]) | (x[:, 2] & (1 - x[:, 3]))
    frame = pd.DataFrame(x, columns=[f"C{j}" for j in range(k)])
    frame.insert(0, "case", [f"c{i}" for i in range(n)])
    frame["Y"] = y
    return frame


@pytest.fixture(scope="module")
def k30_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("k30") / "k30.csv"
    planted(30, 200).to_csv(path, index=False)
    return path


def test_limit_error_is_a_kad_error_with_exit_code_3():
    err = QCALimitError("prime implicant search", "complexity level 4 of 30", "the time limit of 1 s",
                        "use fewer conditions")
    assert isinstance(err, LimitError) and isinstance(err, KadError) and err.exit_code == 3
    assert str(err) == ("prime implicant search stopped at the time limit of 1 s "
                        "(complexity level 4 of 30); use fewer conditions")


@pytest.mark.parametrize("solution", ["parsimonious", "intermediate"])
def test_30_conditions_stop_within_the_time_limit_with_exit_code_3(k30_csv, solution):
    limit = 3.0
    cmd = [sys.executable, "-m", "kadstudy", "qca", "minimize", str(k30_csv), "--outcome", "Y",
           "--solution", solution, "--dir-exp", "C0=1", "--time-limit", str(limit),
           "--memory-budget", "2G"]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    wall = time.monotonic() - start
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr and proc.stdout == ""
    assert lines[0].startswith(f"error: {k30_csv}: prime implicant search stopped at the time limit of 3 s")
    assert "complexity level" in lines[0] and "PIs found" in lines[0]
    assert "use fewer conditions" in lines[0] and "raise time_limit (--time-limit)" in lines[0]
    assert wall < limit + 15  # generous: the interpreter and pandas take a few seconds to start


def test_memory_budget_is_respected_in_a_subprocess(k30_csv):
    """Peak resident memory above the baseline stays under the budget; the stop is explained."""
    budget_mb = 200
    script = textwrap.dedent(f"""
        import resource, time
        import pandas as pd, scipy.optimize, scipy.sparse
        from kadstudy.sets import minimize, QCALimitError
        frame = pd.read_csv({str(k30_csv)!r}).drop(columns="case")
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            minimize(frame, "Y", solution="parsimonious", time_limit=100,
                     memory_budget={budget_mb} * 2**20)
            print("finished")
        except QCALimitError as exc:
            print(exc.stage, "|", exc.bound)
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    outcome, grown = proc.stdout.strip().splitlines()
    assert outcome == "prime implicant search | the memory budget of 200.0 MB (it needs " \
        + outcome.split("(it needs ")[1] and "MB or more)" in outcome
    assert float(grown) < budget_mb


def test_every_stage_raises_when_its_budget_is_spent():
    spent = Budget(time_limit=1e-9)
    time.sleep(0.01)
    pos = np.array([[1, 1, 0], [1, 0, 1]])
    neg = np.array([[0, 0, 0]])
    with pytest.raises(QCALimitError, match="conservative prime implicants stopped") as info:
        primes_closed(pos, [2, 2, 2], spent)
    assert "merge level 0 of 3" in info.value.reached
    with pytest.raises(QCALimitError, match="intermediate solution stopped"):
        primes_closed(pos, [2, 2, 2], spent, "intermediate solution")
    with pytest.raises(QCALimitError, match=r"prime implicant search stopped .*complexity level 1 of 3"):
        primes_open(pos, neg, [2, 2, 2], budget=spent)
    chart = np.eye(3, dtype=bool)
    with pytest.raises(QCALimitError, match="cover search stopped at the time limit"):
        solve_chart(chart, budget=spent)
    with pytest.raises(QCALimitError, match="cover search stopped"):
        minimum_cover(chart, budget=spent)
    with pytest.raises(QCALimitError, match=r"memory budget of 10 bytes"):
        primes_open(pos, neg, [2, 2, 2], budget=Budget(memory_budget=10))
    # unbounded: the same calls succeed
    assert len(primes_open(pos, neg, [2, 2, 2], budget=Budget()).primes)


def _pairs(n: int) -> np.ndarray:
    """A chart of 2n PIs and n minterms, two interchangeable PIs per minterm: 2^n minimum covers."""
    chart = np.zeros((2 * n, n), dtype=bool)
    chart[np.arange(n), np.arange(n)] = True
    chart[n + np.arange(n), np.arange(n)] = True
    return chart


def test_the_cover_search_checks_its_budget_while_enumerating():
    """One block with 2^40 minimum covers: the enumeration stops at the time limit."""
    from kadstudy.sets.minimize import _Block

    block = _Block(_pairs(40).T, Budget(time_limit=0.5))
    start = time.monotonic()
    with pytest.raises(QCALimitError, match=r"cover search stopped at the time limit of 0\.5 s"):
        block.enumerate(40, 10**9, [10**12])
    assert time.monotonic() - start < 0.5 + 5


def test_listing_the_combined_covers_respects_the_memory_budget():
    """40 independent blocks of two covers each: listing 2^40 combinations is refused up front."""
    with pytest.raises(QCALimitError, match=r"cover search stopped at the memory budget of 1\.0 GB"):
        solve_chart(_pairs(40), max_models=10**12, max_nodes=10**12, budget=Budget(memory_budget=2**30))
    capped = solve_chart(_pairs(40), max_models=100, budget=Budget(memory_budget=2**30))
    assert len(capped.models) == 100 and capped.cap_reason == "max_models"


def test_library_limits_on_a_small_problem_change_nothing():
    frame = planted(6, 40).drop(columns="case")
    free = minimize(frame, "Y", solution="parsimonious", time_limit=None)
    bounded = minimize(frame, "Y", solution="parsimonious", time_limit=60, memory_budget=2**30)
    assert free.to_json() == bounded.to_json()


def test_progress_is_reported_by_stage():
    seen: list[tuple[str, str]] = []
    minimize(planted(6, 40).drop(columns="case"), "Y", solution="intermediate", dir_exp="C0=1",
             progress=lambda stage, detail: seen.append((stage, detail)))
    stages = {s for s, _ in seen}
    assert {"conservative prime implicants", "prime implicant search", "cover search",
            "intermediate solution"} <= stages


def test_progress_display_is_silent_off_a_terminal(capsys):
    from kadstudy.cli._limits import Progress

    with Progress(after=0.0) as progress:  # stderr is captured: not a terminal
        progress("prime implicant search", "complexity level 3 of 30")
    assert capsys.readouterr().err == ""
    with Progress(after=0.0, enabled=True) as progress:
        progress("prime implicant search", "complexity level 3 of 30")
        assert progress.status is not None
    assert progress.status is None


@pytest.mark.parametrize(("text", "size"), [("4G", 4 * 2**30), ("500M", 500 * 2**20), ("0.5 GB", 2**29),
                                            ("1048576", 2**20)])
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_bad_memory_budget_is_one_line_exit_2(k30_csv):
    code, out, err = kad("qca", "minimize", k30_csv, "--outcome", "Y", "--memory-budget", "lots")
    assert code == 2 and out == ""
    assert err.strip() == "error: --memory-budget: 'lots' is not a size; write e.g. 4G, 500M or 0.5GB"
