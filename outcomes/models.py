"""Outcomes reads sessions, injections and survey answers; what it keeps of
its own is the dashboard's roll-up: figures per local day (`DashboardDay`),
and the changes not yet folded into them (`DashboardChange`). See
outcomes/rollup.py."""

from __future__ import annotations

from django.db import models


class OutcomesAccess(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_patient_outcomes", "Can see a patient's pain chart and per-muscle table"),
            ("view_dashboard", "Can see the clinic outcomes dashboard and its lists"),
            ("export_outcomes", "Can export sessions and outcomes as CSV"),
        ]

    def __str__(self) -> str:
        return "Outcomes permissions"


class DashboardDay(models.Model):
    """The dashboard's figures for one past local day, as outcomes.rollup
    computed them. A derived copy: dropping every row loses nothing."""

    day = models.DateField(primary_key=True)
    figures = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Dashboard figures of {self.day}"


class DashboardChange(models.Model):
    """A time whose local day's figures may have moved. Written only by the
    triggers of migration 0003; drained by `rollup.dashboard_days_refresh`."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Dashboard change at {self.at:%Y-%m-%d %H:%M}"
