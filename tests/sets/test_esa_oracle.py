"""Exclusion and contradictory simplifying assumptions against the brute-force oracle."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from kadstudy.sets import minimize, truth_table
from kadstudy.sets.esa import find_rows
from kadstudy.sets.truthtable import mixed_radix

from . import oracle
from .test_oracle import SETTINGS, _frame, tables


def _row(config, levels) -> int:
    return int(sum(int(v) * int(b) for v, b in zip(config, mixed_radix(levels), strict=True))) + 1


def _complete_levels(frame, names, levels) -> bool:
    return all(frame[n].max() + 1 == v for n, v in zip(names, levels, strict=True))


@SETTINGS
@given(tables(max_k=4), st.data())
def test_exclusion_matches_oracle(table, data):
    """Excluded remainders are treated as negative: the parsimonious models are the oracle's
    minimal covers with every excluded row forbidden, and no model rests on one."""
    levels, pos, neg = table
    frame, names = _frame(levels, pos, neg)
    assume(_complete_levels(frame, names, levels))
    rest = [c for c in oracle.space(levels) if c not in set(pos) | set(neg)]
    excl = data.draw(st.lists(st.sampled_from(rest), unique=True)) if rest else []
    allowed = set(oracle.space(levels)) - set(neg) - set(excl)
    want_primes = oracle.primes(levels, pos, allowed)
    assume(len(want_primes) <= 16)
    sol = minimize(frame, "Y", names, solution="parsimonious", complete_primes=True,
                   exclude=[_row(c, levels) for c in excl])
    got = {frozenset(tuple(int(v) for v in imp) for imp in m.implicants) for m in sol.models}
    assert got == oracle.minimal_covers(want_primes, pos, levels)
    excluded_rows = {_row(c, levels) for c in excl}
    for table_ in sol.simplifying_assumptions.values():
        assert not excluded_rows & {int(r) for r in table_.index}


def _sa_union(on, off, levels) -> set[int]:
    allowed = set(oracle.space(levels)) - set(off)
    pis = oracle.primes(levels, on, allowed)
    out: set[tuple[int, ...]] = set()
    for cover in oracle.minimal_covers(pis, on, levels):
        for term in cover:
            out |= oracle.cube(term, levels)
    return {_row(c, levels) for c in out - set(on)}


@SETTINGS
@given(tables(max_k=4))
def test_csa_within_oracle(table):
    """Every CSA is a simplifying assumption of a minimal model for Y and of one for ~Y (the
    oracle lists every minimal model; R's early stop may list fewer, never others)."""
    levels, pos, neg = table
    frame, names = _frame(levels, pos, neg)
    assume(_complete_levels(frame, names, levels))
    assume(len(oracle.primes(levels, pos, set(oracle.space(levels)) - set(neg))) <= 16)
    assume(len(oracle.primes(levels, neg, set(oracle.space(levels)) - set(pos))) <= 16)
    tt = truth_table(frame, "Y", names)
    csa = set(find_rows(tt, type=2))
    assert csa <= _sa_union(pos, neg, levels) & _sa_union(neg, pos, levels)
    assert not csa & {_row(c, levels) for c in pos + neg}
