from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.demo import seed_users


class Command(BaseCommand):
    help = "Load made-up demo users and data. Idempotent; refuses to run with DEBUG off."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs in demo mode (DEBUG=true); "
                "it never touches a production database."
            )
        with transaction.atomic():
            users = seed_users()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} staff accounts."))
