"""Profile one `make bench` page in-process: mean time over a few requests,
queries per request (with their SQL and time), then cProfile's top entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_bench_1 \\
        .venv/bin/python scripts/bench_profile.py "chart" [--runs 5] [--sql]

The page is picked by the start of its name in the bench table. Uses the
production settings plus bench.settings, like the gunicorn of `make bench`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.append(str(BASE_DIR / "scripts"))

from bench_stack import PRODUCTION_ENV  # noqa: E402


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sql", action="store_true")
    options = parser.parse_args(argv)
    for name, value in PRODUCTION_ENV.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    _profile(options)


def _profile(options: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = StringIO()
    call_command("bench_manifest", stdout=out)
    pages = json.loads(out.getvalue())["pages"]
    page = next(p for p in pages if p["name"].startswith(options.page))
    client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
    client.cookies.load(page["cookie"])
    assert client.get(page["url"]).status_code == 200  # noqa: S101 (warm-up, and signed in)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(options.runs):
            client.get(page["url"])
    mean_ms = (time.perf_counter() - started) / options.runs * 1000
    print(f"{page['name']}: {mean_ms:.1f} ms a request, {len(queries) / options.runs:g} queries")
    if options.sql:
        for query in queries.captured_queries[: len(queries) // options.runs]:
            print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
    profile = cProfile.Profile()
    profile.runcall(lambda: [client.get(page["url"]) for _ in range(options.runs)])
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main(sys.argv[1:])
