"""Follow-up throughput: 10,000 due follow-ups, Celery beat (the dispatcher)
and one worker with 2 processes, a loopback SMTP sink (scripts/mail_sink.py).
Time until all are sent, emails/s, duplicates and lost; the floor is the same
number of messages sent with smtplib in one loop."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import smtplib
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from email import message_from_bytes
from pathlib import Path

import psycopg
from bench_stack import BASE_DIR, PYTHON, database_url, environment, manage, say

COUNT = 10_000
SMTP_PORT = 2525
WORKER_PROCESSES = 2
# Beat every second: the default minute would make the measurement wait for ticks.
DISPATCH_SECONDS = 1
TIMEOUT_SECONDS = 600
CELERY = str(BASE_DIR / ".venv" / "bin" / "celery")
EMAILS_PER_SECOND_TARGET = 200


def followups_throughput(database: str) -> dict:
    mail = BASE_DIR / "var" / "bench" / "mail"
    shutil.rmtree(mail, ignore_errors=True)
    env = environment(
        database,
        DJANGO_SETTINGS_MODULE="clinic.settings",
        EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}",
        FOLLOWUP_DISPATCH_SECONDS=str(DISPATCH_SECONDS),
    )
    subprocess.run(  # noqa: S603
        [CELERY, "-A", "clinic", "purge", "-f"],
        cwd=BASE_DIR,
        env=env,  # noqa: S603
        check=True,
        capture_output=True,
    )
    with ExitStack() as stack:
        stack.enter_context(
            _process(
                [
                    PYTHON,
                    "scripts/mail_sink.py",
                    "--port",
                    str(SMTP_PORT),
                    "--directory",
                    str(mail / "app"),
                ],
                env,
            )
        )
        stack.enter_context(
            _process(
                [
                    CELERY,
                    "-A",
                    "clinic",
                    "worker",
                    "--loglevel=WARNING",
                    f"--concurrency={WORKER_PROCESSES}",
                    "--hostname=bench@%h",
                ],
                env,
            )
        )
        stack.enter_context(
            _process(
                [
                    CELERY,
                    "-A",
                    "clinic",
                    "beat",
                    "--loglevel=WARNING",
                    "--schedule",
                    str(mail.parent / "celerybeat-schedule"),
                ],
                env,
            )
        )
        _wait_for_worker(env)
        chosen = json.loads(manage(database, "bench_followups_due", "--count", str(COUNT)))
        started = time.monotonic()
        elapsed = _wait_until_sent(database, chosen["ids"], started)
        sent_files = sorted((mail / "app").glob("*.eml"))
        floor = _smtplib_floor(sent_files[0].read_bytes(), mail / "floor") if sent_files else 0
    return _report(chosen, sent_files, elapsed, floor, database)


@contextmanager
def _process(command: list[str], env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=BASE_DIR,
        env=env,  # noqa: S603
        stdout=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_for_worker(env: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ping = subprocess.run(  # noqa: S603
            [CELERY, "-A", "clinic", "inspect", "ping", "--timeout", "1"],  # noqa: S603
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if "pong" in ping.stdout:
            return
    raise RuntimeError("the Celery worker did not answer within 60 s")


def _wait_until_sent(database: str, ids: list[int], started: float) -> float:
    """Seconds from making them due until the last one is recorded as sent."""
    with psycopg.connect(database_url(database)) as connection:
        connection.autocommit = True
        while time.monotonic() - started < TIMEOUT_SECONDS:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM followups_followup WHERE id = ANY(%s) "
                    "AND status NOT IN ('sent', 'failed', 'skipped')",
                    [ids],
                )
                if cursor.fetchone()[0] == 0:
                    return time.monotonic() - started
            time.sleep(0.2)
    return float("nan")


def _smtplib_floor(message: bytes, directory: Path) -> float:
    """The same number of messages, one smtplib connection, one loop."""
    with _process(
        [
            PYTHON,
            "scripts/mail_sink.py",
            "--port",
            str(SMTP_PORT + 1),
            "--directory",
            str(directory),
        ],
        environment("postgres"),
    ):
        time.sleep(1.5)
        parsed = message_from_bytes(message)
        started = time.monotonic()
        with smtplib.SMTP("127.0.0.1", SMTP_PORT + 1) as smtp:
            for _ in range(COUNT):
                smtp.sendmail(parsed["From"], [parsed["To"]], message)
        return COUNT / (time.monotonic() - started)


def _report(chosen: dict, files: list[Path], elapsed: float, floor: float, database: str) -> dict:
    message_ids = Counter(message_from_bytes(path.read_bytes())["Message-ID"] for path in files)
    with psycopg.connect(database_url(database)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, count(*) FROM followups_followup WHERE id = ANY(%s) GROUP BY status",
            [chosen["ids"]],
        )
        statuses = dict(cursor.fetchall())
    rate = len(chosen["ids"]) / elapsed
    duplicates = sum(count - 1 for count in message_ids.values())
    lost = len(chosen["ids"]) - len(message_ids)
    met = rate >= EMAILS_PER_SECOND_TARGET and rate >= floor / 3 and not duplicates and not lost
    say(f"follow-ups: {rate:.0f}/s, floor {floor:.0f}/s, {statuses}")
    line = (
        f"Follow-ups: {len(chosen['ids'])} due, {WORKER_PROCESSES} worker processes, beat every "
        f"{DISPATCH_SECONDS} s: all sent in {elapsed:.1f} s = {rate:.0f} emails/s; smtplib floor "
        f"{floor:.0f}/s (ratio {rate / floor if floor else 0:.2f}); {len(files)} messages "
        f"received, {duplicates} duplicates, {lost} lost; rows {statuses}; "
        f"{chosen['postponed']} stale pending rows postponed: {'met' if met else 'MISSED'}"
    )
    return {
        "elapsed_s": elapsed,
        "emails_per_s": rate,
        "floor_per_s": floor,
        "duplicates": duplicates,
        "lost": lost,
        "statuses": statuses,
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "met": met,
        "lines": [line],
    }
