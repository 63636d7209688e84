"""The audit trail: every change recorded by the database with who and which
request, and audit rows that nobody connected as the app can rewrite."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from pghistory.models import Context, Event

from clinic.audit import Action, AuditTarget, access_log_write
from clinic.db import TRIGGER_NAME
from clinic.models import AccessEvent, User, UserEvent, UserGroupsEvent
from clinic.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _event_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Event) and not model._meta.abstract and model._meta.managed
    ]


def test_a_queryset_update_is_recorded_with_the_new_values() -> None:
    user = UserFactory(username="rename-me", first_name="Old")

    User.objects.filter(pk=user.pk).update(first_name="New")

    event = UserEvent.objects.filter(pgh_obj=user).latest("pgh_id")
    assert (event.pgh_label, event.first_name) == ("update", "New")


def test_password_hashes_and_last_login_are_not_copied_into_the_history() -> None:
    user = UserFactory()
    events_before = UserEvent.objects.filter(pgh_obj=user).count()

    User.objects.filter(pk=user.pk).update(
        password="argon2$changed", last_login="2026-01-01T00:00Z"
    )

    field_names = {field.name for field in UserEvent._meta.fields}
    assert "password" not in field_names
    assert UserEvent.objects.filter(pgh_obj=user).count() == events_before


def test_a_change_made_through_a_page_records_the_acting_user_and_request_id(client, admin) -> None:
    client.force_login(admin)
    target = UserFactory(username="newcomer", role="Front desk")

    response = client.post(
        reverse("admin:clinic_user_change", args=[target.pk]),
        {
            "username": "newcomer",
            "first_name": "Renamed",
            "last_name": target.last_name,
            "email": target.email,
            "is_active": "on",
            "groups": [Group.objects.get(name="Clinician").pk],
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "credentials": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = UserEvent.objects.filter(pgh_obj=target, pgh_label="update").latest("pgh_id")
    context = Context.objects.get(pk=event.pgh_context_id)
    assert context.metadata["user"] == admin.pk
    assert context.metadata["request_id"] == response["X-Request-ID"]
    role_changes = UserGroupsEvent.objects.filter(user_id=target.pk).values_list(
        "pgh_label", "group__name"
    )
    assert set(role_changes) >= {("delete", "Front desk"), ("insert", "Clinician")}
    logged = AccessEvent.objects.get(action=Action.ROLES_CHANGED)
    assert (logged.user, logged.object_type, logged.object_id) == (
        admin,
        "clinic.user",
        str(target.pk),
    )


def test_adding_a_role_in_code_is_recorded_too() -> None:
    user = UserFactory()

    user.groups.add(Group.objects.get(name="Clinic admin"))

    assert UserGroupsEvent.objects.filter(
        user_id=user.pk, group__name="Clinic admin", pgh_label="insert"
    ).exists()


@pytest.mark.parametrize("statement", ["UPDATE {table} SET pgh_label = 'x'", "DELETE FROM {table}"])
def test_the_database_refuses_to_change_or_delete_history_rows(statement: str) -> None:
    UserFactory()

    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=UserEvent._meta.db_table))

    assert UserEvent.objects.exists()


def test_deleting_an_access_log_row_through_the_orm_fails(client, clinician) -> None:
    event = access_log_write(request=None, action=Action.VIEWED, user=clinician)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(action=Action.SIGNED_IN)

    event.refresh_from_db()
    assert event.action == Action.VIEWED


def test_every_history_table_and_the_access_log_are_append_only() -> None:
    """Fails for an app that tracks a model without adding AppendOnly to its migration."""
    tables = {model._meta.db_table for model in _event_models()} | {AccessEvent._meta.db_table}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER_NAME]
        )
        protected = {row[0] for row in cursor.fetchall()}

    unprotected = tables - protected
    assert unprotected == set(), f"add clinic.db.AppendOnly(...) for {sorted(unprotected)}"


def test_the_access_log_keeps_ids_the_address_and_the_request_id(client, clinician) -> None:
    client.force_login(clinician)
    response = client.get(reverse("home"), REMOTE_ADDR="192.0.2.44")
    request = response.wsgi_request

    event = access_log_write(request=request, action=Action.VIEWED, target=clinician)
    other = access_log_write(request=request, action=Action.VIEWED, target=AuditTarget("x", "7"))

    assert (event.user, event.object_type, event.object_id) == (
        clinician,
        "clinic.user",
        str(clinician.pk),
    )
    assert event.ip_address == "192.0.2.44"
    assert (other.object_type, other.object_id) == ("x", "7")


def test_every_response_carries_a_fresh_request_id(client) -> None:
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"), HTTP_X_REQUEST_ID="forged")["X-Request-ID"]

    assert len(first) == 32
    assert second not in (first, "forged")


def test_a_refused_page_is_logged_with_the_url_name(client, front_desk) -> None:
    client.force_login(front_desk)

    response = client.get(reverse("audit_log"))

    assert response.status_code == 403
    event = AccessEvent.objects.get(action=Action.ACCESS_DENIED)
    assert (event.user, event.object_type) == (front_desk, "url:audit_log")
    assert event.request_id == response["X-Request-ID"]


def test_signing_in_is_logged(client, clinician, password_sign_in) -> None:
    password_sign_in(client, "clinician")

    event = AccessEvent.objects.get(action=Action.SIGNED_IN)
    assert event.user == clinician
    assert event.ip_address == "198.51.100.20"
