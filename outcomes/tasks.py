"""Celery tasks of the outcomes dashboard."""

from __future__ import annotations

from celery import shared_task

from outcomes import rollup


@shared_task(ignore_result=True)
def dashboard_days_refresh() -> int:
    return rollup.dashboard_days_refresh()
