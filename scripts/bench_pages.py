"""Drive each page with wrk at 16 connections and at 1, after a warm-up,
and read its query count from the bench-only X-Query-Count header."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass

from bench_stack import BASE_DIR, BASE_URL, say

DURATION_SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARM_UP_SECONDS = 2
SETTLE_SECONDS = 3
CONNECTIONS = (16, 1)
LUA = str(BASE_DIR / "scripts" / "bench_report.lua")
FLOOR = {"name": "floor (one query)", "url": "/bench/floor/", "cookie": ""}


@dataclass(frozen=True)
class Run:
    connections: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class PageResult:
    name: str
    queries: int
    bytes: int
    runs: dict[int, Run]


def pages_measure(manifest: dict) -> list[PageResult]:
    """The floor first (every ratio is to it), then the floor with a signed-in
    clinician's cookie (the session, user and two-factor reads every page
    pays), then the pages."""
    signed_in_floor = {
        **FLOOR,
        "name": "floor, signed in (clinician)",
        "cookie": manifest["signed_in_cookie"],
    }
    return [page_measure(page) for page in [FLOOR, signed_in_floor, *manifest["pages"]]]


def page_measure(page: dict) -> PageResult:
    wrk(page, connections=16, seconds=WARM_UP_SECONDS)
    queries, size = page_probe(page)
    runs = {n: wrk(page, connections=n, seconds=DURATION_SECONDS) for n in CONNECTIONS}
    say(
        f"{page['name']}: {queries} queries, "
        + ", ".join(f"{n} conn p95 {run.p95_ms:.1f} ms" for n, run in runs.items())
    )
    return PageResult(name=page["name"], queries=queries, bytes=size, runs=runs)


def page_probe(page: dict) -> tuple[int, int]:
    """One request with curl: it must be a 200, and says how many queries it ran."""
    result = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-D",
            "-",
            "-w",
            "%{size_download}",
            "-H",
            "X-Forwarded-Proto: https",
            "-H",
            f"Cookie: {page['cookie']}",
            BASE_URL + page["url"],
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    if " 200" not in lines[0]:
        raise RuntimeError(f"{page['name']}: {lines[0]} for {page['url']}")
    count = next(line for line in lines if line.lower().startswith("x-query-count:"))
    return int(count.split(":")[1]), int(lines[-1])


def wrk(page: dict, *, connections: int, seconds: int) -> Run:
    # wrk stops with requests still queued in gunicorn's backlog; let them
    # drain, or the next run's first requests wait behind them.
    time.sleep(SETTLE_SECONDS)
    result = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            LUA,
            BASE_URL + page["url"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_COOKIE": page["cookie"]},
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return Run(
        connections=connections,
        requests_per_second=report["requests"] / (report["duration_us"] / 1e6),
        p50_ms=report["p50_us"] / 1000,
        p95_ms=report["p95_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        errors=report["socket_errors"] + report["http_errors"],
    )
