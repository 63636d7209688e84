"""The one table `make bench` prints (markdown, pasteable into docs/performance.md)."""

from __future__ import annotations

from bench_stack import GUNICORN_WORKERS

P95_LIMIT_MS = {16: 150.0, 1: 40.0}
SEARCH_P95_LIMIT_MS = {16: 100.0, 1: 20.0}
QUERY_LIMIT = 15
GROWTH_LIMIT = 1.5


def results_print(results: dict) -> None:
    print(
        f"\nmake bench, started {results['started'][:16]} UTC; gunicorn {GUNICORN_WORKERS} sync "
        "workers; wrk 1 thread; load average "
        + "; ".join(f"{when}: {load}" for when, load in results["load"].items())
    )
    print()
    print(
        "| scale | page | queries | req/s @16 | p50 | p95 | p99 | x floor | req/s @1 "
        "| p50 | p95 | p99 | targets |"
    )
    print(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    for scale, pages in results["scales"].items():
        floor = pages[0].runs[16].requests_per_second
        for page in pages:
            print(_row(scale, page, floor))
    if len(results["scales"]) > 1:
        _scaling_print(results["scales"])
    for key in ("booking", "followups"):
        if key in results:
            print()
            for line in results[key]["lines"]:
                print(line)


def _row(scale: float, page: object, floor: float) -> str:
    busy, single = page.runs[16], page.runs[1]
    cells = [
        f"{scale:g}",
        page.name,
        str(page.queries),
        f"{busy.requests_per_second:.0f}",
        *_latencies(busy),
        f"{busy.requests_per_second / floor:.2f}",
        f"{single.requests_per_second:.0f}",
        *_latencies(single),
        _verdict(page),
    ]
    return "| " + " | ".join(cells) + " |"


def _latencies(run: object) -> list[str]:
    return [f"{run.p50_ms:.1f}", f"{run.p95_ms:.1f}", f"{run.p99_ms:.1f}"]


def _verdict(page: object) -> str:
    if page.name.startswith("floor"):
        return ""
    limits = SEARCH_P95_LIMIT_MS if page.name.startswith("search") else P95_LIMIT_MS
    misses = [f"p95@{n} > {limit:g}" for n, limit in limits.items() if page.runs[n].p95_ms >= limit]
    if page.queries >= QUERY_LIMIT:
        misses.append(f"queries >= {QUERY_LIMIT}")
    if any(run.errors for run in page.runs.values()):
        misses.append("errors")
    return "met" if not misses else "MISSED: " + ", ".join(misses)


def _scaling_print(scales: dict) -> None:
    small, large = (scales[key] for key in sorted(scales)[:1] + sorted(scales)[-1:])
    names = sorted(scales)
    print()
    print(
        f"| page | queries {names[0]:g} / {names[-1]:g} | p95 @16 {names[0]:g} / {names[-1]:g} "
        f"| growth @16 | p95 @1 {names[0]:g} / {names[-1]:g} | growth @1 | scaling |"
    )
    print("| --- | --- | --- | ---: | --- | ---: | --- |")
    for before, after in zip(small, large, strict=True):
        growth = {n: after.runs[n].p95_ms / before.runs[n].p95_ms for n in (16, 1)}
        same = before.queries == after.queries
        ok = same and all(value <= GROWTH_LIMIT for value in growth.values())
        print(
            f"| {before.name} | {before.queries} / {after.queries} "
            f"| {before.runs[16].p95_ms:.1f} / {after.runs[16].p95_ms:.1f} | {growth[16]:.2f} "
            f"| {before.runs[1].p95_ms:.1f} / {after.runs[1].p95_ms:.1f} | {growth[1]:.2f} "
            f"| {'met' if ok else 'MISSED'} |"
        )
