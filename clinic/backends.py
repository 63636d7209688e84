"""Sign-in and permissions: Django's ModelBackend, with a user's roles and
permissions read in the same query as the user. Every page needs all three
(the user, the permissions its view requires, the role names in the header),
which ModelBackend reads in four queries. That query is written out once
(SIGNED_IN_USER_SQL): built by the ORM on every request it cost 1.25 ms,
written out 0.5 ms (docs/performance.md, fifth round)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

# (role or NULL for a permission given to the user directly, app label, codename)
GRANTS_SQL = """
SELECT coalesce(json_agg(json_build_array(role, app_label, codename)), '[]'::json) FROM (
    SELECT NULL AS role, ct.app_label, p.codename
    FROM clinic_user_user_permissions up
    JOIN auth_permission p ON p.id = up.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE up.user_id = clinic_user.id
    UNION ALL
    SELECT g.name, ct.app_label, p.codename
    FROM clinic_user_groups ug
    JOIN auth_group g ON g.id = ug.group_id
    LEFT JOIN auth_group_permissions gp ON gp.group_id = g.id
    LEFT JOIN auth_permission p ON p.id = gp.permission_id
    LEFT JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE ug.user_id = clinic_user.id
) AS grants
"""

SIGNED_IN_USER_SQL = f"SELECT *, ({GRANTS_SQL}) AS grants FROM clinic_user WHERE id = %s"  # noqa: S608 (constant)


class RoleBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of a request, with their grants (see grants_load)."""
        users = get_user_model()._default_manager.raw(SIGNED_IN_USER_SQL, [user_id])
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            grants_load(user_obj)
        return super().get_all_permissions(user_obj, obj)


def grants_load(user: Any) -> None:
    """Fill ModelBackend's per-request permission caches, and the role names,
    from the grants read with the user (or one query for any other user object)."""
    if hasattr(user, "_role_names") or user.is_superuser:
        return
    rows = getattr(user, "grants", None)
    if rows is None:
        rows = _users_with_grants().values_list("grants", flat=True).get(pk=user.pk)
    user._user_perm_cache = {f"{app}.{code}" for role, app, code in rows if role is None}
    user._group_perm_cache = {
        f"{app}.{code}" for role, app, code in rows if role is not None and code is not None
    }
    user._role_names = {role for role, _, _ in rows if role is not None}


def _users_with_grants() -> QuerySet:
    # A constant statement: the user's id comes from the outer query's row.
    return get_user_model()._default_manager.annotate(grants=RawSQL(GRANTS_SQL, []))  # noqa: S611


def role_names(user: Any) -> set[str]:
    """The names of the user's roles (groups)."""
    if user.is_superuser:
        return {group.name for group in user.groups.all()}
    grants_load(user)
    return user._role_names
