"""The sign-in backend: Django's model backend, reading the user's roles with
the user row so that every page's header costs no extra query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q


class ClinicBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = (
            get_user_model()
            ._default_manager.annotate(
                role_names=ArrayAgg("groups__name", filter=Q(groups__isnull=False), default=[])
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
