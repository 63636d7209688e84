from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

# The newest day-after checks of patients who may be emailed, made due again
# as if they had never been sent: the same rows on every run. They keep their
# due times (all past), so the dashboard's today is not ten thousand emails.
CHOSEN_SQL = """
SELECT f.id FROM followups_followup f JOIN patients_patient p ON p.id = f.patient_id
WHERE f.kind = 'day_after' AND f.status = 'sent' AND p.email_consent AND p.email <> ''
  AND p.archived_at IS NULL AND p.unsubscribed_at IS NULL
ORDER BY f.due_at DESC, f.id DESC LIMIT %s
"""
RESET_SQL = """
UPDATE followups_followup SET status = 'pending', attempts = 0, next_attempt_at = NULL,
    lease_expires_at = NULL, last_error = '', sent_at = NULL, message_id = ''
WHERE id = ANY(%s)
"""
# Rows the seed left pending that have come due since: not part of the measured batch.
POSTPONE_SQL = """
UPDATE followups_followup SET due_at = due_at + interval '30 days'
WHERE status = 'pending' AND due_at <= now() + interval '1 hour' AND NOT id = ANY(%s)
"""


class Command(BaseCommand):
    help = (
        "Bench databases only: make --count sent follow-ups due again (pending, at their "
        "own past due times) for the follow-up throughput bench; prints their ids as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=10_000)

    def handle(self, *args: Any, count: int, **options: Any) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(CHOSEN_SQL, [count])
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(POSTPONE_SQL, [ids])
            postponed = cursor.rowcount
            cursor.execute(RESET_SQL, [ids])
        self.stdout.write(json.dumps({"ids": ids, "postponed": postponed}))
