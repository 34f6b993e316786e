"""Differential harness: kadstudy.sets against the R package QCA on seeded random inputs.

Needs an ``Rscript`` that can ``library(QCA)`` (and ``jsonlite``, which QCA's imports bring):
``KADSTUDY_RSCRIPT`` names it (default: ``Rscript`` on the PATH); ``--r-lib DIR`` (or the
environment variable ``KADSTUDY_R_LIBS``) names the library that holds QCA and its dependencies,
put ahead of ``R_LIBS`` and R's own libraries, so a QCA built from the sources into a temporary
library is the one loaded. ``--require-qca VERSION`` stops the run (exit 2) unless that library
gives this QCA version. Without a usable R the harness prints why it is skipped and exits 0.

Every input (crisp, fuzzy, multi-value data; one- or two-level incl.cut; n.cut 1-3; the
outcome or its negation; directional expectations with ``"-"``, several levels and
conjunctions) is run through R's ``truthTable()``/``minimize()`` and through kadstudy. The
truth tables (observed rows: OUT, n, incl, PRI) and the conservative, parsimonious and
intermediate solutions are compared notation-neutrally: a solution is a set of models, a model
a set of prime implicants, an implicant a set of (condition, levels); measures agree when they
differ by at most 0.0005 (the same at 3 decimals, allowing for the rounding of a last digit).

A disagreement is *explained* when a documented difference (docs/r-differences.md) accounts
for it, checked by rerunning kadstudy the way R behaves:

* ``C-shift`` (item 1): two-level incl.cut and n.cut > 1; ``truth_table(..., r_compat=True)``
  must reproduce R's table, and minimising that table must reproduce R's solutions;
* ``no-rows`` (item 5): R stops when no row reaches n.cut; kadstudy's table is all remainders;
* ``mv-gap`` (item 7): R refuses a multi-value condition whose values skip a level;
* ``i.sol-split`` (item 8): when the intermediate solution is the conservative one (every
  expectation "-", or no simplifying assumption), R lists each of its terms as a model;
* ``dir-exp-mix`` (item 2): simple and conjunctural expectations together; kadstudy given only
  the last conjunctural expectation (what R applies) must reproduce R's intermediate solution.

Anything else is an unexplained disagreement, listed with its seed. ``--save-cases DIR``
writes the smallest inputs of each kind (with R's answers, R's and QCA's versions) as JSON for
``tests/sets/test_r_cases.py``.

    python benchmarks/r_differential.py --r-lib /path/to/rlib --require-qca 3.25.1 --n 360
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TOL = 0.0005 + 1e-9
SOLUTIONS = ("conservative", "parsimonious", "intermediate")

R_SCRIPT = r"""
suppressMessages({library(QCA); library(jsonlite)})
man <- fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)
num <- function(x) suppressWarnings(as.numeric(as.character(x)))
fitrow <- function(df, j) list(inclS = num(df$inclS[j]), PRI = num(df$PRI[j]),
                               covS = num(df$covS[j]))
solout <- function(s) {
  models <- s$solution
  lapply(seq_along(models), function(i) {
    icm <- if (length(models) == 1) s$IC else s$IC$individual[[i]]
    tm <- icm$incl.cov
    list(terms = as.list(models[[i]]),
         fit = if (is.null(icm$sol.incl.cov)) NULL else fitrow(icm$sol.incl.cov, 1),
         term_fit = lapply(seq_len(nrow(tm)), function(j)
           c(list(term = rownames(tm)[j], covU = num(tm$covU[j])), fitrow(tm, j))))
  })
}
run <- function(f) tryCatch(list(ok = f()), error = function(e) list(error = conditionMessage(e)))
results <- lapply(man$inputs, function(item) {
  message("input ", item$id)
  dat <- read.csv(item$csv, row.names = 1, check.names = FALSE, stringsAsFactors = FALSE)
  conds <- unlist(item$conditions)
  res <- list(id = item$id)
  tt <- run(function() truthTable(dat, outcome = item$outcome, conditions = conds,
                                  incl.cut = unlist(item$incl_cut), n.cut = item$n_cut))
  if (!is.null(tt$error)) { res$tt_error <- tt$error; return(res) }
  tt <- tt$ok
  t <- tt$tt
  res$tt <- lapply(which(num(t$n) > 0), function(r)
    list(config = as.integer(unlist(t[r, conds])), OUT = as.character(t$OUT[r]),
         n = num(t$n[r]), incl = num(t$incl[r]), PRI = num(t$PRI[r])))
  sols <- list()
  s <- run(function() minimize(tt))
  sols$conservative <- if (is.null(s$error)) list(M = solout(s$ok)) else s
  s <- run(function() minimize(tt, include = "?"))
  sols$parsimonious <- if (is.null(s$error)) list(M = solout(s$ok)) else s
  if (!is.null(item$dir_exp_r)) {
    s <- run(function() do.call(minimize, list(tt, include = "?",
                                               dir.exp = unlist(item$dir_exp_r))))
    sols$intermediate <- if (is.null(s$error)) {
      list(M = unname(unlist(lapply(s$ok$i.sol, solout), recursive = FALSE)))
    } else s
  }
  res$solutions <- sols
  res
})
versions <- list(R = R.version.string, QCA = as.character(packageVersion("QCA")),
                 admisc = as.character(packageVersion("admisc")))
write_json(list(versions = versions, results = results), commandArgs(TRUE)[2],
           auto_unbox = TRUE, digits = NA, null = "null", na = "null")
"""


# ------------------------------------------------------------------------------ R availability


def r_env(r_lib: str | None) -> dict[str, str]:
    """The environment for Rscript: ``r_lib`` (when given) first on ``R_LIBS``."""
    env = dict(os.environ)
    if r_lib:
        env["R_LIBS"] = os.pathsep.join(p for p in (r_lib, env.get("R_LIBS", "")) if p)
    return env


def find_rscript(env: dict[str, str] | None = None) -> tuple[str | None, str]:
    """The Rscript to use and the QCA version it loads or, when it cannot ``library(QCA)``,
    why."""
    exe = os.environ.get("KADSTUDY_RSCRIPT") or shutil.which("Rscript")
    if not exe:
        return None, "no Rscript found (set KADSTUDY_RSCRIPT, or put Rscript on the PATH)"
    probe = "suppressMessages({library(QCA); library(jsonlite)}); cat(as.character(packageVersion('QCA')))"
    try:
        done = subprocess.run([exe, "-e", probe], capture_output=True, text=True, timeout=120,
                              env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"{exe} could not be run ({exc})"
    if done.returncode != 0:
        return None, (f"{exe} cannot load the R packages QCA and jsonlite (set R_LIBS to the "
                      "library holding them, with --r-lib or KADSTUDY_R_LIBS)")
    return exe, done.stdout.strip()


# ------------------------------------------------------------------------------ random inputs


def _rule(rng: np.random.Generator, conds: list[str], levels: list[int]) -> list[list[tuple[int, int]]]:
    """A random sum of products: terms of 1-2 (condition index, level) literals."""
    terms = []
    for _ in range(int(rng.integers(1, 3))):
        picks = rng.choice(len(conds), size=min(len(conds), int(rng.integers(1, 3))), replace=False)
        terms.append([(int(j), int(rng.integers(0, levels[j]))) for j in picks])
    return terms


def _fuzzy(rng: np.random.Generator, size: Any) -> np.ndarray:
    x = np.round(rng.uniform(0.0, 1.0, size), 2)
    return np.where(x == 0.5, 0.51, x)


def make_input(seed: int, kind: str) -> dict[str, Any]:
    """One seeded random input of ``kind`` (crisp, fuzzy, multi): data and options."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 5 if kind == "multi" else 6))
    conds = list("ABCDE"[:k])
    n = int(rng.integers(6, 25))
    if kind == "multi":
        levels = [int(rng.integers(2, 4)) for _ in conds]
        levels[int(rng.integers(0, k))] = 3
        x = np.column_stack([rng.integers(0, v, n) for v in levels]).astype(float)
    else:
        levels = [2] * k
        x = rng.integers(0, 2, (n, k)).astype(float) if kind == "crisp" else _fuzzy(rng, (n, k))
    rule = _rule(rng, conds, levels)
    if kind == "fuzzy":
        mem = [np.min(np.column_stack([x[:, j] if lv == 1 else 1 - x[:, j] for j, lv in t]), axis=1)
               for t in rule]
        y = np.clip(np.max(np.column_stack(mem), axis=1) + rng.normal(0, 0.15, n), 0, 1)
        y = np.round(y, 2)
    else:
        hit = np.zeros(n, dtype=bool)
        for t in rule:
            hit |= np.all(np.column_stack([x[:, j] == lv for j, lv in t]), axis=1)
        y = np.where(rng.random(n) < 0.12, ~hit, hit).astype(float)
    frame = pd.DataFrame(x, columns=conds, index=[f"c{i + 1}" for i in range(n)])
    if kind != "fuzzy":
        frame = frame.astype(int)
    frame["Y"] = y if kind == "fuzzy" else y.astype(int)
    frame.index.name = "case"
    two = rng.random() < 0.4
    if kind == "fuzzy":
        cuts = [[0.85, 0.6], [0.8, 0.5], [0.9, 0.7]] if two else [[0.75], [0.8], [0.85], [0.9]]
    else:
        cuts = [[1, 0.6], [0.8, 0.5], [0.9, 0.7], [1, 0.75]] if two else [[1], [0.9], [0.8], [0.75]]
    incl_cut = cuts[int(rng.integers(0, len(cuts)))]
    n_cut = int(rng.choice([1, 1, 2, 3]))
    outcome = "~Y" if rng.random() < 0.3 else "Y"
    dir_exp_py: Any = None
    dir_exp_r: list[str] | None = None
    style = "none"
    if rng.random() < 0.85:
        if kind != "multi" and rng.random() < 0.3 and k >= 2:
            a, b = rng.choice(k, size=2, replace=False)
            sign = ["" if rng.random() < 0.5 else "~" for _ in range(2)]
            conj = f"{sign[0]}{conds[a]}*{sign[1]}{conds[b]}"
            dir_exp_r = [conj]
            style = "conjunctural"
            rest = [c for j, c in enumerate(conds) if j not in (a, b)]
            if rest and rng.random() < 0.4:
                dir_exp_r = [rest[0] if rng.random() < 0.5 else f"~{rest[0]}", conj]
                style = "mixed"
            dir_exp_py = list(dir_exp_r)
        else:
            values = []
            for v in levels:
                r = rng.random()
                if r < 0.3:
                    values.append("-")
                elif v > 2 and r < 0.45:
                    values.append("0;1")
                else:
                    values.append(str(int(rng.integers(0, v))))
            dir_exp_r = values
            dir_exp_py = dict(zip(conds, values, strict=True))
            style = "simple"
    return {"kind": kind, "seed": seed, "data": frame, "conditions": conds, "outcome": outcome,
            "incl_cut": incl_cut, "n_cut": n_cut, "dir_exp_r": dir_exp_r,
            "dir_exp_py": dir_exp_py, "dir_exp_style": style}


# ------------------------------------------------------------------------------ notation-neutral


def parse_term(term: str) -> frozenset[tuple[str, frozenset[int]]]:
    """``A*~B*C[2]`` (or ``C[1,2]``) as a set of (condition, levels)."""
    out = []
    for lit in term.strip().split("*"):
        lit = lit.strip()
        if "[" in lit:
            name, vals = lit[:-1].split("[")
            out.append((name, frozenset(int(v) for v in vals.replace(";", ",").split(","))))
        elif lit.startswith("~"):
            out.append((lit[1:], frozenset({0})))
        else:
            out.append((lit, frozenset({1})))
    return frozenset(out)


def _models(entries: list[dict[str, Any]]) -> set[frozenset[Any]]:
    return {frozenset(parse_term(t) for t in m["terms"]) for m in entries}


def _missing(a: Any) -> bool:
    return a is None or a == "NA" or (isinstance(a, float) and np.isnan(a))


def _close(a: Any, b: Any) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return abs(float(a) - float(b)) <= TOL


def py_truth_table(tt: Any) -> list[dict[str, Any]]:
    """kadstudy's observed rows in the harness's neutral form."""
    rows = []
    for _, r in tt.rows.iterrows():
        if int(r["n"]) == 0:
            continue
        rows.append({"config": [int(r[c]) for c in tt.conditions], "OUT": str(r["OUT"]),
                     "n": int(r["n"]), "incl": None if pd.isna(r["incl"]) else float(r["incl"]),
                     "PRI": None if pd.isna(r["PRI"]) else float(r["PRI"])})
    return rows


def compare_tables(r_rows: list[dict[str, Any]], p_rows: list[dict[str, Any]]) -> list[str]:
    """Differences between two neutral truth tables (empty when they agree)."""
    rmap = {tuple(r["config"]): r for r in r_rows}
    pmap = {tuple(r["config"]): r for r in p_rows}
    if set(rmap) != set(pmap):
        return [f"observed rows differ: R {sorted(rmap)} vs kadstudy {sorted(pmap)}"]
    diffs = []
    for cfg, r in sorted(rmap.items()):
        p = pmap[cfg]
        for key in ("OUT", "n"):
            if str(r[key]) != str(p[key]) and not (key == "n" and _close(r[key], p[key])):
                diffs.append(f"row {cfg}: {key} R={r[key]} kadstudy={p[key]}")
        for key in ("incl", "PRI"):
            if not _close(r[key], p[key]):
                diffs.append(f"row {cfg}: {key} R={r[key]} kadstudy={p[key]}")
    return diffs


def py_solution(tt: Any, solution: str, dir_exp: Any) -> dict[str, Any]:
    """kadstudy's solution in the neutral form, or the error it raised."""
    from kadstudy.sets import QCAInputError, minimize

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sol = minimize(tt, solution=solution, dir_exp=dir_exp, time_limit=120)
    except QCAInputError as exc:
        return {"error": str(exc)}
    models = []
    for m in sol.models:
        models.append({"terms": list(m.terms),
                       "fit": {"inclS": m.inclS, "PRI": m.PRI, "covS": m.covS},
                       "term_fit": [{"term": t.term, "inclS": t.inclS, "PRI": t.PRI,
                                     "covS": t.covS, "covU": t.covU} for t in m.term_measures]})
    return {"M": models}


def compare_solutions(r_sol: dict[str, Any], p_sol: dict[str, Any]) -> list[str]:
    """Differences between two neutral solutions: models, then every measure."""
    if "error" in r_sol or "error" in p_sol:
        if "error" in r_sol and "error" in p_sol:
            return []
        return [f"R: {r_sol.get('error', 'a solution')}; kadstudy: {p_sol.get('error', 'a solution')}"]
    rm, pm = _models(r_sol["M"]), _models(p_sol["M"])
    if rm != pm:
        show = [" + ".join(m["terms"]) for m in r_sol["M"]], [" + ".join(m["terms"]) for m in p_sol["M"]]
        return [f"models differ: R {show[0]} vs kadstudy {show[1]}"]
    diffs = []
    pby = {frozenset(parse_term(t) for t in m["terms"]): m for m in p_sol["M"]}
    for r in r_sol["M"]:
        p = pby[frozenset(parse_term(t) for t in r["terms"])]
        if r.get("fit"):
            for key in ("inclS", "PRI", "covS"):
                if not _close(r["fit"][key], p["fit"][key]):
                    diffs.append(f"model {' + '.join(r['terms'])}: {key} R={r['fit'][key]} "
                                 f"kadstudy={p['fit'][key]}")
        pterms = {parse_term(t["term"]): t for t in p["term_fit"]}
        for t in r["term_fit"]:
            q = pterms.get(parse_term(t["term"]))
            if q is None:
                continue
            for key in ("inclS", "PRI", "covS", "covU"):
                if key == "covU" and _missing(t[key]) and len(r["terms"]) == 1:
                    continue  # R reports no covU ("-") for a one-term model; here covU = covS
                if not _close(t[key], q[key]):
                    diffs.append(f"term {t['term']}: {key} R={t[key]} kadstudy={q[key]}")
    return diffs


# ------------------------------------------------------------------------------ one input


def kad_results(inp: dict[str, Any], r_compat: bool = False, dir_exp: Any = "same") -> dict[str, Any]:
    """kadstudy's truth table and solutions for ``inp`` (optionally as R behaves)."""
    from kadstudy.sets import QCAInputError, truth_table

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tt = truth_table(inp["data"], inp["outcome"], inp["conditions"],
                             incl_cut=inp["incl_cut"], n_cut=inp["n_cut"], r_compat=r_compat)
    except QCAInputError as exc:
        return {"tt_error": str(exc)}
    out: dict[str, Any] = {"tt": py_truth_table(tt), "solutions": {}}
    de = inp["dir_exp_py"] if dir_exp == "same" else dir_exp
    for sol in SOLUTIONS:
        if sol == "intermediate" and inp["dir_exp_r"] is None:
            continue
        out["solutions"][sol] = py_solution(tt, sol, de if sol == "intermediate" else None)
    return out


def diff_all(r: dict[str, Any], p: dict[str, Any]) -> dict[str, list[str]]:
    """Per part (``tt``, each solution): its differences."""
    no_rows = "tt_error" in r and "no configurations" in r["tt_error"] and "tt" in p
    if no_rows and all(row["OUT"] == "?" for row in p["tt"]):
        return {"tt": ["no-rows"]}
    if "tt_error" in r or "tt_error" in p:
        same = "tt_error" in r and "tt_error" in p
        return {} if same else {"tt": [f"R: {r.get('tt_error')}; kadstudy: {p.get('tt_error')}"]}
    out = {}
    d = compare_tables(r["tt"], p["tt"])
    if d:
        out["tt"] = d
    for sol, rs in r.get("solutions", {}).items():
        d = compare_solutions(rs, p["solutions"].get(sol, {"error": "not run"}))
        if d:
            out[sol] = d
    return out


def classify(inp: dict[str, Any], r: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """``agree``, ``no-rows``, ``mv-gap``, ``C-shift``, ``i.sol-split``, ``dir-exp-mix`` or
    ``DISAGREE`` (with the differences)."""
    diffs = diff_all(r, kad_results(inp))
    if not diffs:
        return "agree", {}
    if diffs == {"tt": ["no-rows"]}:
        return "no-rows", diffs
    if "uncalibrated multivalue" in r.get("tt_error", "") and _level_gap(inp):
        return "mv-gap", diffs
    if len(inp["incl_cut"]) == 2 and inp["n_cut"] > 1 and not diff_all(r, kad_results(inp, r_compat=True)):
        return "C-shift", diffs
    if set(diffs) == {"intermediate"} and _isol_split(r, kad_results(inp)):
        return "i.sol-split", diffs
    if inp["dir_exp_style"] == "mixed" and set(diffs) == {"intermediate"}:
        last_conj = [e for e in inp["dir_exp_r"] if "*" in e][-1:]
        if not diff_all(r, kad_results(inp, dir_exp=last_conj)):
            return "dir-exp-mix", diffs
    return "DISAGREE", diffs


def _isol_split(r: dict[str, Any], p: dict[str, Any]) -> bool:
    """R listed each term of the one conservative model as a model of its own (item 8): its
    intermediate 'models' are single terms whose union is kadstudy's intermediate model, which
    equals the conservative one."""
    ri, pi, pc = (r["solutions"]["intermediate"], p["solutions"]["intermediate"],
                  p["solutions"]["conservative"])
    if "M" not in ri or "M" not in pi or len(pi["M"]) != 1 or _models(pi["M"]) != _models(pc["M"]):
        return False
    if any(len(m["terms"]) != 1 for m in ri["M"]):
        return False
    return {parse_term(m["terms"][0]) for m in ri["M"]} == {parse_term(t) for t in pi["M"][0]["terms"]}


def _level_gap(inp: dict[str, Any]) -> bool:
    """A condition with a value above 1 whose observed values are not all of 0..max."""
    for c in inp["conditions"]:
        vals = set(inp["data"][c].tolist())
        top = max(vals)
        if top > 1 and float(top).is_integer() and vals != set(range(int(top) + 1)):
            return True
    return False


def rcompat_reproduces(inp: dict[str, Any], r: dict[str, Any]) -> bool | None:
    """For a two-level incl.cut: does ``r_compat=True`` give R's table? (None otherwise)."""
    if len(inp["incl_cut"]) != 2 or "tt_error" in r:
        return None
    p = kad_results(inp, r_compat=True)
    return "tt_error" not in p and not compare_tables(r["tt"], p["tt"])


# ------------------------------------------------------------------------------ main


def run_r(
    rscript: str, inputs: list[dict[str, Any]], work: Path, chunk: int = 30, timeout: float = 600,
    env: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Write the inputs, run R over them in chunks (each within ``timeout`` seconds), read its
    answers."""
    manifest = []
    for i, inp in enumerate(inputs):
        csv = work / f"in{i}.csv"
        inp["data"].to_csv(csv)
        manifest.append({"id": i, "csv": str(csv), "conditions": inp["conditions"],
                         "outcome": inp["outcome"], "incl_cut": inp["incl_cut"],
                         "n_cut": inp["n_cut"], "dir_exp_r": inp["dir_exp_r"]})
    (work / "run.R").write_text(R_SCRIPT)
    versions: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    for start in range(0, len(manifest), chunk):
        part = manifest[start:start + chunk]
        (work / "manifest.json").write_text(json.dumps({"inputs": part}))
        try:
            done = subprocess.run([rscript, str(work / "run.R"), str(work / "manifest.json"),
                                   str(work / "answers.json")], capture_output=True, text=True,
                                  timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            last = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-1:]
            raise SystemExit(f"error: R ran over {timeout} s on inputs {start}.. ({last})") from None
        if done.returncode != 0:
            raise SystemExit(f"error: R failed: {done.stderr.strip()[-2000:]}")
        answers = json.loads((work / "answers.json").read_text())
        versions = answers["versions"]
        results += answers["results"]
        print(f"R: {len(results)}/{len(manifest)} inputs", file=sys.stderr, flush=True)
    return versions, results


def case_record(
    inp: dict[str, Any], r: dict[str, Any], versions: dict[str, str], kind: str
) -> dict[str, Any]:
    """A regression case: input, options and R's answer, as data."""
    data = inp["data"]
    return {
        "source": f"{versions['R']}, QCA {versions['QCA']}, admisc {versions['admisc']}; "
                  "generated by benchmarks/r_differential.py",
        "versions": versions,
        "seed": inp["seed"], "data_type": inp["kind"], "category": kind,
        "data": {"columns": ["case", *map(str, data.columns)],
                 "rows": [[str(i), *[v.item() if hasattr(v, "item") else v for v in row]]
                          for i, row in zip(data.index, data.to_numpy(), strict=True)]},
        "options": {"outcome": inp["outcome"], "conditions": inp["conditions"],
                    "incl_cut": inp["incl_cut"], "n_cut": inp["n_cut"],
                    "dir_exp_r": inp["dir_exp_r"], "dir_exp": inp["dir_exp_py"],
                    "dir_exp_style": inp["dir_exp_style"]},
        "r": {k: v for k, v in r.items() if k != "id"},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=300, help="inputs in all (split over the 3 data types)")
    ap.add_argument("--seed", type=int, default=20261203, help="first seed")
    ap.add_argument("--save-cases", type=Path, default=None,
                    help="folder to write the smallest input of each data type and category")
    ap.add_argument("--per-kind", type=int, default=1, help="cases saved per type and category")
    ap.add_argument("--answers", type=Path, default=None,
                    help="JSON file keeping R's answers: read when it exists (same --n and "
                         "--seed), written otherwise; saves rerunning R")
    ap.add_argument("--show", type=int, default=5, help="disagreements to print in full")
    ap.add_argument("--list", action="store_true",
                    help="also list every input that differs from R: seed, data type, category "
                         "and its first difference")
    ap.add_argument("--r-lib", default=os.environ.get("KADSTUDY_R_LIBS") or None,
                    help="R library holding QCA and its dependencies, searched first (default: "
                         "$KADSTUDY_R_LIBS, else R_LIBS and R's own libraries)")
    ap.add_argument("--require-qca", default=None, metavar="VERSION",
                    help="stop (exit 2) unless R loads this QCA version, e.g. 3.25.1; also "
                         "checked against the versions kept in an --answers file")
    args = ap.parse_args(argv)
    env = r_env(args.r_lib)
    rscript, info = find_rscript(env)
    if rscript is None:
        print(f"skipped: {info}")
        return 0
    if args.require_qca and info != args.require_qca:
        print(f"error: R loads QCA {info}, not {args.require_qca} (--r-lib, KADSTUDY_R_LIBS)",
              file=sys.stderr)
        return 2
    kinds = ("crisp", "fuzzy", "multi")
    inputs = [make_input(args.seed + i, kinds[i % 3]) for i in range(args.n)]
    key = {"n": args.n, "seed": args.seed}
    cached = json.loads(args.answers.read_text()) if args.answers and args.answers.exists() else {}
    if cached.get("key") == key and args.require_qca not in (None, cached["versions"]["QCA"]):
        cached = {}  # answers kept from another QCA version: ask R again
    if cached.get("key") == key:
        versions, answers = cached["versions"], cached["results"]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            versions, answers = run_r(rscript, inputs, Path(tmp), env=env)
        if args.answers:
            args.answers.write_text(json.dumps({"key": key, "versions": versions, "results": answers}))
    counts: Counter[tuple[str, str]] = Counter()
    compat: Counter[tuple[str, bool]] = Counter()
    bad: list[tuple[dict[str, Any], dict[str, list[str]]]] = []
    listed: list[tuple[dict[str, Any], str, dict[str, list[str]]]] = []
    saved: dict[tuple[str, str], list[tuple[int, dict[str, Any], dict[str, Any]]]] = {}
    for inp, r in zip(inputs, answers, strict=True):
        kind, diffs = classify(inp, r)
        counts[(inp["kind"], kind)] += 1
        ok = rcompat_reproduces(inp, r)
        if ok is not None:
            compat[(inp["kind"], ok)] += 1
        if kind == "DISAGREE":
            bad.append((inp, diffs))
        if kind != "agree":
            listed.append((inp, kind, diffs))
        saved.setdefault((inp["kind"], kind), []).append((inp["data"].size, inp, r))
    print(f"R: {versions['R']}; QCA {versions['QCA']}; admisc {versions['admisc']}; "
          f"{len(inputs)} inputs from seed {args.seed}\n")
    cats = ("agree", "no-rows", "mv-gap", "C-shift", "i.sol-split", "dir-exp-mix", "DISAGREE")
    head = ["data type", "inputs", "agree", "no-rows", "mv-gap", "C-shift", "i.sol-split",
            "dir-exp-mix", "unexplained",
            "r_compat = R's table"]
    print("  ".join(f"{h:>12}" for h in head))
    for k in (*kinds, "all"):
        pick = kinds if k == "all" else (k,)
        cnt = {c: sum(counts[(x, c)] for x in pick) for c in cats}
        yes, no = sum(compat[(x, True)] for x in pick), sum(compat[(x, False)] for x in pick)
        cells = [k, sum(cnt.values()), *cnt.values(), f"{yes}/{yes + no}"]
        print("  ".join(f"{c!s:>12}" for c in cells))
    if args.list:
        print(f"\n{'seed':>9}  {'type':<6} {'category':<12} first difference")
        for inp, kind, diffs in sorted(listed, key=lambda t: (t[1], t[0]["kind"], t[0]["seed"])):
            part, d = next(iter(diffs.items()))
            first = d[0].replace("\n", " ")
            print(f"{inp['seed']:>9}  {inp['kind']:<6} {kind:<12} {part}: {first[:110]}")
    for inp, diffs in bad[: args.show]:
        print(f"\nDISAGREE seed {inp['seed']} ({inp['kind']}, outcome {inp['outcome']}, incl.cut "
              f"{inp['incl_cut']}, n.cut {inp['n_cut']}, dir.exp {inp['dir_exp_r']}):")
        for part, d in diffs.items():
            print(f"  {part}: " + "; ".join(d[:4]))
    if args.save_cases:
        args.save_cases.mkdir(exist_ok=True)
        for (dtype, kind), items in sorted(saved.items()):
            for _size, inp, r in sorted(items, key=lambda t: (t[0], t[1]["seed"]))[: args.per_kind]:
                name = f"{dtype}_{kind.lower()}_{inp['seed']}.json"
                rec = case_record(inp, r, versions, kind)
                (args.save_cases / name).write_text(json.dumps(rec, indent=1, sort_keys=True) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
