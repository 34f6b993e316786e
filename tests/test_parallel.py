"""Sweeps on local processes and on a Dask cluster give the serial run's results, byte for byte.

The serial run (one process, no scheduler) is the oracle: robustness tests, sensitivity ranges and
permutation p-values are serialised (JSON, floats written with repr: every bit counts) and compared
with the runs on 2 local processes and on a ``distributed.LocalCluster`` of two workers, and with
other chunk sizes. Bad scheduler addresses stop with one line naming the option and the fix.
"""

from __future__ import annotations

import itertools
import json
import socket
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kadstudy import parallel
from kadstudy.errors import KadError
from kadstudy.models import frame, regression
from kadstudy.sets import Calibration, Specification, robustness_test, sensitivity

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """Two in-process Dask workers of one thread each (starts in about a second)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as c:
        yield c.scheduler_address


# ---------------------------------------------------------------------------- the executor


def _add(context: int, item: int) -> int:
    return context + item


def _draw(context: int, item: int, rng: np.random.Generator) -> list[float]:
    return [item, *rng.random(context).tolist()]


def test_chunks_cover_every_item_once_in_order():
    for n, workers, size in itertools.product((0, 1, 7, 100), (1, 2, 3), (None, 1, 5)):
        parts = parallel.chunks(n, workers, size)
        assert [i for r in parts for i in r] == list(range(n))
        if size:
            assert all(len(r) == size for r in parts[:-1])


def test_seeds_per_item_do_not_depend_on_engine_or_chunks(cluster):
    """Item i gets the generator of SeedSequence(seed, spawn_key=(i,)) (what spawn() hands out),
    whatever the number of processes, the chunk size or the engine."""
    items = list(range(23))
    oracle = [[i, *np.random.default_rng(np.random.SeedSequence(99, spawn_key=(i,))).random(3).tolist()]
              for i in items]
    assert parallel.pmap(_draw, items, context=3, seed=99) == oracle
    assert parallel.pmap(_draw, items, context=3, seed=99, jobs=2) == oracle
    assert parallel.pmap(_draw, items, context=3, seed=99, jobs=2, chunk_size=1) == oracle
    assert parallel.pmap(_draw, items, context=3, seed=99, scheduler=cluster, chunk_size=4) == oracle
    assert parallel.pmap(_add, items, context=5, jobs=2) == [5 + i for i in items]
    with parallel.Pool(2, context=1) as pool:  # a context per call replaces the pool's
        assert pool.map(_add, items, context=10) == [10 + i for i in items]
        assert pool.map(_add, items) == [1 + i for i in items]


# ---------------------------------------------------------------------------- a sweep

K = 5


def _sweep_data(cases: int = 48, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    side = rng.integers(0, 2, size=(cases, K))
    raw = np.where(side == 1, rng.uniform(70, 100, size=(cases, K)), rng.uniform(0, 30, size=(cases, K)))
    rule = (side[:, 0] & side[:, 1]) | (side[:, 2] & (1 - side[:, 3]))
    flip = rng.random(cases) < 0.08
    y = np.where(rule.astype(bool) ^ flip, rng.uniform(0.7, 1.0, cases), rng.uniform(0.0, 0.3, cases))
    data = pd.DataFrame(np.round(raw, 1), columns=[f"raw{j}" for j in range(K)],
                        index=[f"case{i:03d}" for i in range(cases)])
    data["Y"] = np.round(y, 2)
    return data


def _initial() -> Specification:
    return Specification("Y", tuple(f"C{j}" for j in range(K)), incl_cut=0.8, pri_cut=0.5,
                         solution="parsimonious",
                         calibrate={f"C{j}": Calibration(f"raw{j}", (10.0, 50.0, 90.0)) for j in range(K)})


def _tests(initial: Specification) -> list[Specification]:
    out = []
    for incl, pri, ncut, c0 in itertools.product((0.7, 0.8, 0.9), (0.4, 0.6), (1, 2), (35.0, 50.0, 65.0)):
        s = replace(initial, incl_cut=incl, pri_cut=pri, n_cut=ncut, label=f"{incl} {pri} {ncut} {c0}")
        out.append(s.with_thresholds("C0", (10.0, c0, 90.0)))
    return out


def _robustness_json(res) -> str:
    return json.dumps({
        "tests": [[t.spec.label, t.status, t.texts, repr(t.models), t.n_cases] for t in res.tests],
        "initial": res.initial.text,
        "expressions": res.expressions,
        "fit": {k: repr(v) for k, v in res.fit.items()},
        "ratios": {k: repr(v) for k, v in res.case_ratios.items()},
        "case_types": res.case_types,
        "memberships": {c: [repr(v) for v in res.memberships[c]] for c in res.memberships.columns},
        "index": list(res.memberships.index),
        "notes": res.notes,
    }, sort_keys=True)


def _sensitivity_json(res) -> str:
    return json.dumps({"evaluations": res.evaluations,
                       "ranges": [{k: repr(v) for k, v in vars(r).items()} for r in res.ranges]},
                      sort_keys=True)


@pytest.fixture(scope="module")
def sweep():
    data, initial = _sweep_data(), _initial()
    return data, initial, _tests(initial)


def test_robustness_sweep_identical_on_1_2_processes_and_dask(sweep, cluster):
    data, initial, tests = sweep
    serial = _robustness_json(robustness_test(data, initial, tests))
    assert len({tuple(t[2]) for t in json.loads(serial)["tests"]}) > 1  # the solutions differ
    assert _robustness_json(robustness_test(data, initial, tests, jobs=2)) == serial
    assert _robustness_json(robustness_test(data, initial, tests, scheduler=cluster)) == serial


def test_sensitivity_identical_on_1_2_processes_and_dask(sweep, cluster):
    data, initial, _ = sweep
    kw = {"parameters": ["incl_cut", "n_cut", "calibrate.C0.crossover"], "max_steps": 12}
    serial = _sensitivity_json(sensitivity(data, initial, **kw))
    assert _sensitivity_json(sensitivity(data, initial, jobs=2, **kw)) == serial
    assert _sensitivity_json(sensitivity(data, initial, scheduler=cluster, **kw)) == serial


def test_permutation_pvalues_identical_on_1_2_processes_and_dask(cluster):
    rng = np.random.default_rng(5)
    n = 30
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-1.2 * x1))).astype(float)
    df = pd.DataFrame({"y": y, "x1": x1, "x2": x2}, index=[f"c{i}" for i in range(n)])
    several = frame.prepare(df, "y", ["x1", "x2"])
    one = frame.prepare(df, "y", ["x1"])
    for data, b in ((several, 40), (one, 40), (frame.prepare(df.iloc[:8], "y", ["x1"]), 999)):
        serial = regression.permutation_pvalues(data, n_permutations=b, seed=7).to_json(double_precision=15)
        for kw in ({"jobs": 2}, {"scheduler": cluster}):
            assert regression.permutation_pvalues(data, n_permutations=b, seed=7, **kw).to_json(
                double_precision=15) == serial, kw


# ---------------------------------------------------------------------------- bad addresses


@pytest.mark.parametrize("address", ["localhost:8786", "tcp://", "tcp://host", "tcp://host:99999",
                                     "http://host:8786", "tcp://host:port", " "])
def test_malformed_address_is_refused(address):
    assert parallel.address_problem(address)
    with pytest.raises(KadError, match=r"^--scheduler .* is not a Dask scheduler address; write .*tcp://"):
        parallel.check_address(address)


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "tcp://node-3.cluster:8786", "tls://[::1]:1",
                                     "inproc://10.0.0.1/123/1"])
def test_wellformed_addresses(address):
    assert parallel.address_problem(address) is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_in_one_line(monkeypatch):
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(KadError, match=r"^scheduler tcp://127\.0\.0\.1:\d+: no Dask scheduler answered "
                                       r"within 1 s .*start one with `dask scheduler`"):
        parallel.connect(address, "scheduler", timeout=1)
    with pytest.raises(KadError, match="scheduler 'nowhere' is not a Dask scheduler address"):
        robustness_test(_sweep_data(), _initial(), _tests(_initial())[:2], scheduler="nowhere")


def test_cli_bad_scheduler_exit_2_nothing_written(tmp_path: Path, monkeypatch, capsys):
    from tests.clicheck import state
    from tests.conftest import run_cli
    from tests.pipeline.synthetic import make_project

    project = make_project(tmp_path, monkeypatch)
    before = state(project)
    code, out, err = run_cli(["run", "--scheduler", "localhost:8786"], capsys)
    assert code == 2 and out == ""
    assert err == ("error: --scheduler 'localhost:8786' is not a Dask scheduler address; write a "
                   "scheduler address tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786 (the address "
                   "`dask scheduler` prints)\n")
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", 1.0)
    monkeypatch.setenv("KADSTUDY_SCHEDULER", f"tcp://127.0.0.1:{_free_port()}")
    code, out, err = run_cli(["run"], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: KADSTUDY_SCHEDULER tcp://127.0.0.1:") and "no Dask scheduler" in err
    assert state(project) == before


def test_analysis_key_scheduler_checked(tmp_path: Path, monkeypatch, capsys):
    from tests.conftest import run_cli
    from tests.pipeline.synthetic import make_project
    from tests.sets.test_robustness import QCA_SPEC

    project = make_project(tmp_path, monkeypatch)
    spec = project / "analyses" / "q.yaml"
    text = QCA_SPEC
    spec.write_text(text + "scheduler: 8786\n", encoding="utf-8")
    code, _, err = run_cli(["run"], capsys)
    assert code == 2 and "key 'scheduler'" in err and "tcp://HOST:PORT" in err
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", 1.0)
    spec.write_text(text + f"scheduler: tcp://127.0.0.1:{_free_port()}\n", encoding="utf-8")
    code, _, err = run_cli(["run"], capsys)
    assert code == 2 and err.count("\n") == 1 and "key 'scheduler'" in err and "no Dask scheduler" in err
    assert not (project / "reports" / spec.stem).exists()


def test_pipeline_reports_identical_on_the_cluster(tmp_path: Path, monkeypatch, capsys, cluster):
    """kadstudy run: the report of a QCA analysis with robustness and sensitivity sections is the
    same, file for file, built serially and on the cluster (--scheduler)."""
    from tests.conftest import run_cli, tree
    from tests.pipeline.synthetic import make_project
    from tests.sets.test_robustness import QCA_SPEC

    project = make_project(tmp_path, monkeypatch)
    (project / "analyses" / "q.yaml").write_text(QCA_SPEC, encoding="utf-8")
    assert run_cli(["run"], capsys)[0] == 0
    serial = tree(project / "reports")
    assert run_cli(["run", "--force", "--scheduler", cluster], capsys)[0] == 0
    assert tree(project / "reports") == serial


def test_engine_of_an_analysis():
    """The command line's scheduler wins over the analysis file's key; its jobs are kept."""

    class Spec:
        path = Path("analyses/q.yaml")

        def __init__(self, scheduler):
            self.scheduler = scheduler

        def get(self, key):
            return self.scheduler if key == "scheduler" else None

    assert parallel.engine_for(Spec(None)) == parallel.Engine()
    assert parallel.engine_for(Spec("tcp://a:1")).kwargs() == {"jobs": 1, "scheduler": "tcp://a:1"}
    with parallel.using(parallel.Engine(3)):
        assert parallel.engine_for(Spec("tcp://a:1")).kwargs() == {"jobs": 3, "scheduler": "tcp://a:1"}
        assert parallel.engine_for(Spec(None)).kwargs() == {"jobs": 3, "scheduler": None}
    with parallel.using(parallel.Engine(1, "tcp://b:2")):
        assert parallel.engine_for(Spec("tcp://a:1")).scheduler == "tcp://b:2"
    with pytest.raises(KadError, match=r"^analyses/q.yaml: key 'scheduler' 'x' is not"):
        parallel.engine_for(Spec("x"))
