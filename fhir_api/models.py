"""API tokens for systems that read the record over FHIR.

Only a SHA-256 hash of each token is stored: tokens are long random strings,
so a fast hash is as safe as a slow one, and lookup stays one indexed query.
A token carries a role, and reads exactly what a person in that role may.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.roles import ROLES


class ApiToken(models.Model):
    name = models.CharField(max_length=100, help_text="Which system uses it, e.g. 'Billing'.")
    role = models.CharField(max_length=20, choices=[(role, role) for role in ROLES])
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, help_text="The token's first characters, to recognise it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="apitoken_revocation_has_revoker",
            ),
        ]
        permissions = [
            ("read_fhir_scheduling", "Can read Patient and Appointment over FHIR"),
            ("read_fhir_clinical", "Can read clinical resources over FHIR"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
