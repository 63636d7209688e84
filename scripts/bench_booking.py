"""Booking contention: 32 clients post the same slot at once against
gunicorn. Exactly one booking, 31 clean refusals (409), no 500s."""

from __future__ import annotations

import http.client
import json
import secrets
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlencode

import psycopg
from bench_stack import PORT, database_url, manage, say

BOOK_PATH = "/scheduling/book/"
HOLDING_SQL = """
SELECT count(*) FROM scheduling_appointment
WHERE clinician_id = %s AND timespan && tstzrange(%s, %s)
  AND status NOT IN ('cancelled', 'no_show')
"""


def booking_contention(database: str) -> dict:
    plan = json.loads(manage(database, "bench_booking_plan", demo=True))
    barrier = threading.Barrier(len(plan["clients"]) + 1)
    statuses: list[int] = []
    threads = [
        threading.Thread(target=_post, args=(plan, client, barrier, statuses))
        for client in plan["clients"]
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    settled_ms = (time.monotonic() - started) * 1000
    return _report(plan, database, Counter(statuses), settled_ms)


def _post(plan: dict, client: dict, barrier: threading.Barrier, statuses: list[int]) -> None:
    token = secrets.token_hex(16)  # a 32-character CSRF secret, as cookie and field
    body = urlencode(
        {
            **plan["fields"],
            "patient": client["patient"],
            "starts_at": plan["starts_at"],
            "booking_key": str(uuid.uuid4()),
            "csrfmiddlewaretoken": token,
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={client['session']}; csrftoken={token}",
        "X-Forwarded-Proto": "https",
        "Origin": f"https://127.0.0.1:{PORT}",
        "Host": f"127.0.0.1:{PORT}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    connection.connect()
    barrier.wait()
    connection.request("POST", BOOK_PATH, body=body, headers=headers)
    statuses.append(connection.getresponse().status)
    connection.close()


def _report(plan: dict, database: str, statuses: Counter, settled_ms: float) -> dict:
    with psycopg.connect(database_url(database)) as connection, connection.cursor() as cursor:
        cursor.execute(
            HOLDING_SQL,
            [plan["fields"]["clinician"], plan["starts_at_utc"], plan["ends_at_utc"]],
        )
        bookings = cursor.fetchone()[0]
    clients = len(plan["clients"])
    booked = sum(n for status, n in statuses.items() if 300 <= status < 400)
    met = bookings == 1 and booked == 1 and statuses.get(409) == clients - 1
    say(f"booking contention: {dict(statuses)}, {bookings} booking(s), {settled_ms:.0f} ms")
    line = (
        f"Booking contention: {clients} clients posting {plan['starts_at']} at once: "
        f"{bookings} booking, responses {dict(sorted(statuses.items()))} (303 booked, 409 "
        f"refused), {sum(n for s, n in statuses.items() if s >= 500)} errors 5xx; settled in "
        f"{settled_ms:.0f} ms: {'met' if met else 'MISSED'}"
    )
    return {
        "statuses": dict(statuses),
        "bookings": bookings,
        "settled_ms": settled_ms,
        "met": met,
        "lines": [line],
    }
