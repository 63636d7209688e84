from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from outcomes.rollup import dashboard_days_refresh


class Command(BaseCommand):
    help = (
        "Bring the dashboard's stored per-day figures up to date now (the beat does it every "
        "DASHBOARD_REFRESH_SECONDS): after a restore or a bulk import, or before a benchmark."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = dashboard_days_refresh()
        self.stdout.write(f"Dashboard: {days} day{'s' if days != 1 else ''} computed.")
