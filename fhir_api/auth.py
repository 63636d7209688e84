"""Who is asking: a system with a bearer token, or a signed-in member of staff.

Both are held to the same role table (clinic.roles): a token carries a
role, and may do exactly what a person in that role may.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from clinic.roles import ROLE_PERMISSIONS
from fhir_api.models import ApiToken
from fhir_api.services import token_hash


@dataclass(frozen=True)
class Principal:
    """A token (its id and its role's permissions) or a signed-in user."""

    token_id: int | None = None
    permissions: frozenset[str] | None = None
    user: object | None = None

    @property
    def identity(self) -> tuple:
        """Who reads, and what they may read: part of a cached answer's key."""
        if self.permissions is not None:
            return ("token", self.token_id, sorted(self.permissions))
        return ("user", self.user.pk)  # type: ignore[union-attr]

    def has_perm(self, permission: str) -> bool:
        if self.permissions is not None:
            return permission in self.permissions
        return self.user.has_perm(permission)  # type: ignore[union-attr]


class BadToken(Exception):
    """The request carried an Authorization header that does not hold a live token."""


def principal_for(request: HttpRequest) -> Principal | None:
    """The token's principal when a header is sent (raising BadToken when it
    is wrong), else the signed-in user's, else None."""
    header = request.headers.get("Authorization")
    if header is not None:
        return _token_principal(header)
    if request.user.is_authenticated:
        return Principal(user=request.user)
    return None


def _token_principal(header: str) -> Principal:
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise BadToken
    token = ApiToken.objects.filter(
        token_hash=token_hash(raw.strip()), revoked_at__isnull=True
    ).first()
    if token is None:
        raise BadToken
    return Principal(token_id=token.pk, permissions=frozenset(ROLE_PERMISSIONS[token.role]))
