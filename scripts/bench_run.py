"""`make bench`: seed (or reuse) the bench databases, run gunicorn with
production settings, drive every page with wrk, measure follow-up
throughput and booking contention, and print one table.

    python scripts/bench_run.py [--scales 0.1,1] [--skip-followups] [--skip-booking]

See docs/performance.md, "make bench".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys

from bench_pages import pages_measure
from bench_report import results_print
from bench_stack import BASE_DIR, database_ensure, gunicorn, load_average, manage, say

DATABASES = {0.1: "clinic_bench_01", 1.0: "clinic_bench_1"}


def main(argv: list[str]) -> None:
    options = _options(argv)
    if shutil.which("wrk") is None:
        sys.exit("make bench needs wrk: apt-get install -y wrk")
    results: dict = {"started": dt.datetime.now(dt.UTC).isoformat(), "load": {}, "scales": {}}
    manage(DATABASES[options.scales[0]], "collectstatic", "--noinput", "-v0")
    for scale in options.scales:
        database = DATABASES[scale]
        manifest = database_ensure(database, scale)
        results["load"][f"before scale {scale}"] = load_average()
        with gunicorn(database):
            results["scales"][scale] = pages_measure(manifest)
            if scale == options.scales[-1]:
                _extras(options, database, results)
        results["load"][f"after scale {scale}"] = load_average()
    _save(results)
    results_print(results)


def _extras(options: argparse.Namespace, database: str, results: dict) -> None:
    if not options.skip_booking:
        from bench_booking import booking_contention

        results["booking"] = booking_contention(database)
    if not options.skip_followups:
        from bench_followups import followups_throughput

        results["followups"] = followups_throughput(database)


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.1,1")
    parser.add_argument("--skip-followups", action="store_true")
    parser.add_argument("--skip-booking", action="store_true")
    options = parser.parse_args(argv)
    options.scales = [float(scale) for scale in options.scales.split(",")]
    unknown = [scale for scale in options.scales if scale not in DATABASES]
    if unknown:
        parser.error(f"scales must be among {sorted(DATABASES)}")
    return options


def _save(results: dict) -> None:
    directory = BASE_DIR / "var" / "bench"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"results-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, default=lambda o: o.__dict__, indent=2))
    say(f"raw results in {path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    os.chdir(BASE_DIR)
    main(sys.argv[1:])
