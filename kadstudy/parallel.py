"""Map a pure function over many items (specifications, permutations) in parallel.

One small executor abstraction for every sweep of the project (robustness tests, sensitivity
ranges, permutation tests). The items run

* in this process (``jobs=1``, no scheduler: the serial run, the oracle of the others);
* in ``jobs`` local processes (:class:`concurrent.futures.ProcessPoolExecutor`);
* on a Dask distributed cluster when a scheduler address is given (``tcp://host:port``;
  ``pip install 'kadstudy[dask]'``).

The result is the same list whatever the engine and the number of workers:

* the items are cut into contiguous chunks (a few per worker, to keep the overhead per task
  low) and the results are put back in the order of the items, whatever order the chunks end in;
* the function is pure: it sees only the shared ``context`` (sent once per worker, e.g. the
  data), its item and, when a master ``seed`` is given, a random generator of its own made
  from ``numpy.random.SeedSequence(seed).spawn(len(items))[i]``, which depends on the item's
  position only, not on the chunk or the worker it lands in.

>>> with Pool(jobs=2, context=data) as pool:          # doctest: +SKIP
...     results = pool.map(solve_one, specifications)

Nothing heavy (numpy, dask, distributed) is imported before it is needed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kadstudy.errors import KadError

#: The environment variable the command line reads for ``--scheduler``.
SCHEDULER_ENV = "KADSTUDY_SCHEDULER"
#: Seconds to wait for a scheduler to answer, and for its first worker.
CONNECT_TIMEOUT = 10.0
#: Modules the fork server imports once (its workers start with them loaded).
FORKSERVER_PRELOAD = ("kadstudy.sets.robustness", "kadstudy.models.regression")
#: Chunks per worker: enough for balance, few enough to keep the overhead per task low.
CHUNKS_PER_WORKER = 4

_ADDRESS = re.compile(r"(tcp|tls|ws|wss|ucx)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):([0-9]{1,5})")
_EXAMPLE = "tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786 (the address `dask scheduler` prints)"


def address_problem(address: Any) -> str | None:
    """What is wrong with a Dask scheduler address (``None`` when it is well formed)."""
    if not isinstance(address, str):
        return f"a scheduler address {_EXAMPLE}"
    if re.fullmatch(r"inproc://\S+", address.strip()):  # a LocalCluster(processes=False)
        return None
    m = _ADDRESS.fullmatch(address.strip())
    if m is None or not 1 <= int(m.group(3)) <= 65535:
        return f"a scheduler address {_EXAMPLE}"
    return None


def check_address(address: str, option: str = "--scheduler") -> str:
    """``address`` stripped, or :class:`KadError` naming ``option`` and the fix."""
    what = address_problem(address)
    if what:
        raise KadError(f"{option} {address!r} is not a Dask scheduler address; write {what}")
    return address.strip()


def check_jobs(jobs: Any, option: str = "jobs") -> int:
    """``jobs`` as a whole number >= 1, or :class:`KadError`."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise KadError(f"{option} must be a whole number >= 1, got {jobs!r}")
    return jobs


# ---------------------------------------------------------------------------- defaults


@dataclass(frozen=True)
class Engine:
    """Where sweeps run: ``jobs`` local processes, or the Dask cluster at ``scheduler``.

    ``option`` names where the scheduler came from (``--scheduler``, ``key 'scheduler'``), for
    error messages."""

    jobs: int = 1
    scheduler: str | None = None
    option: str = "--scheduler"

    def kwargs(self) -> dict[str, Any]:
        """``{"jobs": ..., "scheduler": ...}``, the keywords of the sweeping functions."""
        return {"jobs": self.jobs, "scheduler": self.scheduler}


_DEFAULT = Engine()


def default_engine() -> Engine:
    """The engine set by :func:`using` (the command line), else one local process."""
    return _DEFAULT


@contextmanager
def using(engine: Engine) -> Iterator[Engine]:
    """Make ``engine`` the default of :func:`default_engine` inside the ``with`` block (the
    command line sets it around a build; builds only read it)."""
    global _DEFAULT
    previous, _DEFAULT = _DEFAULT, engine
    try:
        yield engine
    finally:
        _DEFAULT = previous


def engine_for(spec: Any) -> Engine:
    """The engine of an analysis (an ``AnalysisSpec``): the command line's when it names a
    scheduler, else the analysis file's ``scheduler`` key, else the command line's jobs."""
    base = default_engine()
    scheduler = spec.get("scheduler")
    if base.scheduler or not scheduler:
        return base
    option = f"{spec.path}: key 'scheduler'"
    return Engine(base.jobs, check_address(scheduler, option), option)


# ---------------------------------------------------------------------------- workers

_CONTEXT: Any = None


def _init_process(context: Any) -> None:
    global _CONTEXT
    _CONTEXT = context


def _run_chunk(func: Callable[..., Any], context: Any, items: Sequence[Any],
               seeds: Sequence[Any] | None) -> list[Any]:
    if seeds is None:
        return [func(context, item) for item in items]
    import numpy as np

    return [func(context, item, np.random.default_rng(s)) for item, s in zip(items, seeds, strict=True)]


_POOL_CONTEXT = object()  # marks "the context the pool was opened with"


def _run_chunk_in_process(func: Callable[..., Any], own: bool, context: Any, items: Sequence[Any],
                          seeds: Sequence[Any] | None) -> list[Any]:
    return _run_chunk(func, _CONTEXT if own else context, items, seeds)


def chunks(n: int, workers: int, chunk_size: int | None = None) -> list[range]:
    """Contiguous index ranges covering ``range(n)``: ``chunk_size`` items each, by default
    ``ceil(n / (CHUNKS_PER_WORKER * workers))``."""
    size = chunk_size or max(1, math.ceil(n / (CHUNKS_PER_WORKER * max(1, workers))))
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


def connect(address: str, option: str = "--scheduler", timeout: float | None = None) -> Any:
    """A ``distributed.Client`` of the scheduler at ``address`` with at least one worker, or
    :class:`KadError` (one line naming ``option`` and the fix); ``timeout`` in seconds
    (default :data:`CONNECT_TIMEOUT`)."""
    address = check_address(address, option)
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        from distributed import Client
    except ImportError:
        raise KadError(f"{option} needs Dask distributed, which is not installed; install it with "
                       "pip install 'kadstudy[dask]'") from None
    try:
        client = Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise KadError(f"{option} {address}: no Dask scheduler answered within {timeout:g} s "
                       f"({reason[:160]}); start one with `dask scheduler` or correct the address") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        client.close()
        raise KadError(f"{option} {address}: the scheduler has no worker; start some with "
                       f"`dask worker {address}`") from None
    return client


class Pool:
    """Runs :meth:`map` calls on one engine; open it with ``with`` (a process pool or a Dask
    client lives as long as the block). ``context`` is sent once to every worker and passed
    to the function as its first argument."""

    def __init__(self, jobs: int = 1, scheduler: str | None = None, context: Any = None, *,
                 option: str = "--scheduler") -> None:
        self.jobs = check_jobs(jobs)
        self.scheduler = check_address(scheduler, option) if scheduler else None
        self.option = option
        self.context = context
        self._pool: Any = None
        self._client: Any = None
        self._context_future: Any = None

    @classmethod
    def of(cls, engine: Engine, context: Any = None) -> Pool:
        """A pool on ``engine``."""
        return cls(engine.jobs, engine.scheduler, context, option=engine.option)

    @property
    def workers(self) -> int:
        """How many items can run at once (Dask: the cluster's threads)."""
        if self._client is not None:
            return max(1, sum(self._client.nthreads().values()))
        return self.jobs

    @property
    def parallel(self) -> bool:
        """Whether items run outside this process."""
        return self.scheduler is not None or self.jobs > 1

    def __enter__(self) -> Pool:
        if self.scheduler is not None:
            self._client = connect(self.scheduler, self.option)
            if self.context is not None:
                self._context_future = self._client.scatter(self.context, broadcast=True, hash=False)
        elif self.jobs > 1:
            import multiprocessing
            import threading
            from concurrent.futures import ProcessPoolExecutor

            # forking a process that runs other threads (parallel builds, a Dask client) can copy a
            # held lock into the child: start the workers from a fork server then
            ctx = None
            if threading.active_count() > 1:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(list(FORKSERVER_PRELOAD))  # imported once, not per worker
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_process,
                                             initargs=(self.context,))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def map(self, func: Callable[..., Any], items: Sequence[Any], *, seed: int | None = None,
            chunk_size: int | None = None, context: Any = _POOL_CONTEXT) -> list[Any]:
        """``[func(context, item) for item in items]`` (with ``seed``: ``func(context, item,
        rng)``, ``rng`` made from the item's own child of the seed), in the order of ``items``.

        ``func`` must be a module-level function (it is sent to the workers by name). A
        ``context`` given here (small: it goes with every chunk) replaces the pool's."""
        items = list(items)
        seeds = None
        if seed is not None:
            import numpy as np

            seeds = np.random.SeedSequence(seed).spawn(len(items))
        if not items:
            return []
        own = context is _POOL_CONTEXT
        if not self.parallel or len(items) == 1:
            return _run_chunk(func, self.context if own else context, items, seeds)
        if self._pool is None and self._client is None:
            raise RuntimeError("open the Pool with 'with' before calling map")
        parts = chunks(len(items), self.workers, chunk_size)
        args = [([items[i] for i in r], None if seeds is None else [seeds[i] for i in r]) for r in parts]
        if self._client is not None:
            ctx = self._context_future if own else context
            futures = [self._client.submit(_run_chunk, func, ctx, part, sd, pure=False) for part, sd in args]
            results = self._client.gather(futures)
        else:
            ctx = None if own else context
            futures = [self._pool.submit(_run_chunk_in_process, func, own, ctx, part, sd)
                       for part, sd in args]
            results = [f.result() for f in futures]
        return [r for part in results for r in part]


def pmap(func: Callable[..., Any], items: Sequence[Any], *, context: Any = None, jobs: int = 1,
         scheduler: str | None = None, seed: int | None = None, chunk_size: int | None = None) -> list[Any]:
    """One :meth:`Pool.map` on a pool of its own (see the module docstring)."""
    with Pool(jobs, scheduler, context) as pool:
        return pool.map(func, items, seed=seed, chunk_size=chunk_size)


__all__ = [
    "CONNECT_TIMEOUT",
    "SCHEDULER_ENV",
    "Engine",
    "Pool",
    "address_problem",
    "check_address",
    "check_jobs",
    "chunks",
    "connect",
    "default_engine",
    "engine_for",
    "pmap",
    "using",
]
