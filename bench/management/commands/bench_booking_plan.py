from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from bench.pages import booking_plan


class Command(BaseCommand):
    help = (
        "Print, as JSON, a free slot and 32 front-desk sessions, each to book a different "
        "patient into that same slot (`make bench`, booking contention)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(booking_plan(), indent=2))
