from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.pages import CLINICIAN_USERNAME, bench_pages, seeded_today, signed_in_session
from patients.models import Patient


class Command(BaseCommand):
    help = (
        "Print, as JSON, the pages `make bench` drives, each with a fresh signed-in "
        "session cookie. Bench databases only (made by bench_seed); exits 1 on any other."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = seeded_today()
        except Patient.DoesNotExist:
            raise CommandError("This database has no bench data (run bench_seed).") from None
        pages = [
            {**asdict(page), "cookie": _cookie(username=page.username, search=page.search)}
            for page in bench_pages(today=today)
        ]
        manifest = {
            "today": today.isoformat(),
            "pages": pages,
            # For the floor view signed in: what reading the session, the user
            # and the two-factor device costs on every page.
            "signed_in_cookie": _cookie(username=CLINICIAN_USERNAME),
        }
        self.stdout.write(json.dumps(manifest, indent=2))


def _cookie(*, username: str, search: str | None = None) -> str:
    return f"{settings.SESSION_COOKIE_NAME}=" + signed_in_session(username=username, search=search)
