"""Outcomes keeps no data of its own: it reads sessions, injections and
survey answers. This table-less model only carries the permissions."""

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
