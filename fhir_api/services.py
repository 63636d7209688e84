"""Issuing and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from clinic.models import User
from fhir_api.models import ApiToken

PREFIX_LENGTH = 8


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, name: str, role: str, created_by: User) -> tuple[ApiToken, str]:
    """A new token and its raw value, which is shown once and never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        role=role,
        token_hash=token_hash(raw),
        prefix=raw[:PREFIX_LENGTH],
        created_by=created_by,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: User) -> ApiToken:
    """Revoke the token from now on; revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token
