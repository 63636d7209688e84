from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load made-up demo data: each project app's demo.seed(), in INSTALLED_APPS order. "
        "Idempotent; refuses to run with DEBUG off."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs in demo mode (DEBUG=true); "
                "it never touches a production database."
            )
        for app_config in apps.get_app_configs():
            seed = _demo_seed_of(app_config)
            if seed is None:
                continue
            with transaction.atomic():
                summary = seed()
            self.stdout.write(f"{app_config.label}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))


def _demo_seed_of(app_config: AppConfig) -> Callable[[], str] | None:
    """The app's demo.seed, for the project's own apps that have one."""
    if Path(app_config.path).parent != settings.BASE_DIR:
        return None
    try:
        return import_module(f"{app_config.name}.demo").seed
    except ModuleNotFoundError:
        return None
