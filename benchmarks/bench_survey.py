"""Time and peak memory of the survey analysis on SYNTHETIC respondents (default 1,000,000).

    python benchmarks/bench_survey.py [--respondents N] [--quick]

Respondents are drawn from the planted model of kadstudy.survey.synthetic (2,000 made-up forums,
500 respondents each, 1% nonresponse). Each stage is timed with its peak of traced Python/numpy
memory (tracemalloc); the process's maximum resident set size is printed at the end. Library
imports are timed as a stage of their own.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kadstudy.survey import (  # noqa: E402
    calibrate_forums,
    cfa,
    correlation,
    efa,
    forum_table,
    icc_table,
    item_analysis,
    parallel_analysis,
    reliability,
    reverse_score,
    scale_scores,
)
from kadstudy.survey import io as sio  # noqa: E402
from kadstudy.survey import synthetic as syn  # noqa: E402


def measure(label: str, func, rows: list[list[str]]):
    tracemalloc.start()
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rows.append([label, f"{elapsed:.2f}", f"{peak:.0f}"])
    print(f"  {label:<44} {elapsed:8.2f} s {peak:8.0f} MiB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 respondents")
    parser.add_argument("--no-cfa", action="store_true", help="skip the CFA (semopy)")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit BLAS threads (multi-threaded OpenBLAS can stall on a busy machine)")
    args = parser.parse_args()
    if args.blas_threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.blas_threads)
    n = 100_000 if args.quick else args.respondents
    per_forum = 500
    forums = [f"f{k:05d}" for k in range(max(1, n // per_forum))]
    inst = sio.read_instrument(ROOT / "datasets" / "survey" / "instrument.yaml")
    rows: list[list[str]] = []
    print(f"SYNTHETIC survey benchmark: {len(forums) * per_forum:,} respondents, {len(forums):,} forums, "
          f"{len(inst.items)} items in {len(inst.scales)} scales\n")

    def imports() -> None:   # loaded lazily by the analysis; timed apart from it
        import pingouin  # noqa: F401
        import semopy  # noqa: F401
        import statsmodels.multivariate.factor  # noqa: F401

    measure("import pingouin, statsmodels, semopy", imports, rows)
    frame = measure("generate (planted model)", lambda: syn.generate(
        inst, forums, seed=1, n_range=(per_forum, per_forum), thin_share=0.0), rows)
    forum = frame["forum_id"]
    total = time.perf_counter()
    scored = measure("reverse-score items", lambda: reverse_score(frame, inst), rows)
    scores = measure("scale scores (5 scales + composite)", lambda: scale_scores(scored, inst), rows)
    measure("reliability (alpha + CI, omega, mean r)", lambda: reliability(scored, inst), rows)
    measure("item analysis (item-rest r, alpha if deleted)", lambda: item_analysis(scored, inst), rows)
    corr, n_complete = measure("correlation matrix (listwise)", lambda: correlation(scored), rows)
    _, k = measure("parallel analysis (200 draws)", lambda: parallel_analysis(corr, n_complete), rows)
    measure(f"EFA (ML, {k} factors, oblimin)", lambda: efa(scored, k), rows)
    if not args.no_cfa:
        measure("CFA of the intended scales (semopy)", lambda: cfa(scored, inst), rows)
    scale_time = time.perf_counter() - total
    total = time.perf_counter()
    table = measure("forum table (n, mean, median, sd, rwg(J))",
                    lambda: forum_table(scored, scores, forum, inst), rows)
    measure("ICC(1)/ICC(2) per score", lambda: icc_table(scores, forum, inst), rows)
    measure("calibration into fuzzy sets", lambda: calibrate_forums(table, inst), rows)
    agg_time = time.perf_counter() - total
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nscale analysis {scale_time:.1f} s, aggregation {agg_time:.1f} s "
          f"(wall time with tracemalloc on); max resident set size {rss:.0f} MiB")


if __name__ == "__main__":
    main()
