"""A brute-force oracle for Boolean minimisation, independent of the engine's algorithm:
enumerate every implicant and every cover with plain itertools (small problems only)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

Config = tuple[int, ...]
Term = tuple[int, ...]  # 0 = condition absent, v + 1 = level v


def space(levels: Sequence[int]) -> list[Config]:
    """Every configuration."""
    return list(itertools.product(*(range(v) for v in levels)))


def cube(term: Term, levels: Sequence[int]) -> set[Config]:
    """Configurations a term covers."""
    axes = [range(v) if t == 0 else [t - 1] for t, v in zip(term, levels, strict=True)]
    return set(itertools.product(*axes))


def all_terms(levels: Sequence[int]) -> list[Term]:
    """Every term except the empty one."""
    terms = itertools.product(*(range(v + 1) for v in levels))
    return [t for t in terms if any(t)]


def _subsumes(a: Term, b: Term) -> bool:
    """Does a (fewer literals) contain b?"""
    return a != b and all(x == 0 or x == y for x, y in zip(a, b, strict=True))


def primes(
    levels: Sequence[int], on: Iterable[Config], allowed: Iterable[Config]
) -> set[Term]:
    """Prime implicants: terms whose cube lies within ``allowed`` and meets ``on``,
    maximal under containment."""
    on, allowed = set(on), set(allowed)
    imps = [t for t in all_terms(levels) if (c := cube(t, levels)) <= allowed and c & on]
    return {t for t in imps if not any(_subsumes(o, t) for o in imps)}


def minimal_covers(pis: Iterable[Term], on: Iterable[Config], levels: Sequence[int]) -> set[frozenset[Term]]:
    """All covers of ``on`` with the fewest terms."""
    pis = sorted(pis)
    on = set(on)
    cubes = {p: cube(p, levels) & on for p in pis}
    for r in range(1, len(pis) + 1):
        found = {
            frozenset(combo)
            for combo in itertools.combinations(pis, r)
            if set().union(*(cubes[p] for p in combo)) >= on
        }
        if found:
            return found
    return set()


def chart_min_covers(chart: Sequence[Sequence[bool]]) -> set[frozenset[int]]:
    """All covers of the columns (minterms) of a PI chart (PIs × minterms) with the fewest
    PIs, by trying every combination of PIs in order of size."""
    npi = len(chart)
    nrow = len(chart[0]) if npi else 0
    need = set(range(nrow))
    sets = [{c for c in range(nrow) if chart[i][c]} for i in range(npi)]
    for r in range(npi + 1):
        found = {
            frozenset(combo)
            for combo in itertools.combinations(range(npi), r)
            if set().union(*(sets[i] for i in combo)) >= need
        }
        if found:
            return found
    return set()


def ccubes_primes(
    levels: Sequence[int], on: Iterable[Config], allowed: Iterable[Config]
) -> tuple[set[Term], int, bool]:
    """Prime implicants as R QCA's CCubes search returns them by default, its depth and
    whether it stopped before the last level.

    Levels (numbers of literals) are searched upwards. Once every ON configuration is
    covered (at level ``s``: the largest, over ON configurations, of the fewest literals of a
    prime covering it), the search stops at the first level ``c > s + 1`` such that levels
    ``c - 1`` and ``c`` hold no prime, and returns the primes of at most ``c`` literals.
    """
    on = set(on)
    pis = primes(levels, on, allowed)
    size = {t: sum(1 for v in t if v) for t in pis}
    k = len(levels)
    reach = [min((size[t] for t in pis if c in cube(t, levels)), default=None) for c in on]
    if any(r is None for r in reach):
        return pis, k, False
    solved = max(reach)
    empty = {c for c in range(1, k + 1) if not any(s == c for s in size.values())}
    for c in range(solved + 2, k + 1):
        if c - 1 in empty and c in empty:
            return {t for t in pis if size[t] <= c}, c, c < k
    return pis, k, False
