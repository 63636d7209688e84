"""The database backend (clinic/postgresql): statements prepared once per
connection, and django-pghistory's context still recorded with each write.

Transactional tests: requests run in autocommit, and that is where the
context and its write must be sent as one transaction of their own.
"""

from __future__ import annotations

import pghistory
import pytest
from django.db import IntegrityError, connection, transaction
from pghistory.models import Context

from clinic.models import User, UserEvent
from clinic.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _prepared_statements() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        return cursor.fetchall()


def test_a_statement_run_often_on_a_connection_is_planned_once_and_reused() -> None:
    user = UserFactory(username="often-read")
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]

    for _ in range(threshold + 6):
        User.objects.filter(username="often-read").get()

    reused = [
        generic_plans
        for statement, generic_plans in _prepared_statements()
        if '"clinic_user"."username" = $1' in statement
    ]
    assert reused and reused[0] > 0, "the lookup was never run from a saved plan"
    assert User.objects.get(username="often-read").pk == user.pk


def test_a_write_in_autocommit_is_recorded_with_the_request_context() -> None:
    user = UserFactory(first_name="Before")
    assert connection.get_autocommit()

    with pghistory.context(url="/staff/", request_id="req-autocommit"):
        User.objects.filter(pk=user.pk).update(first_name="After")

    event = UserEvent.objects.filter(pgh_obj=user).latest("pgh_id")
    assert event.first_name == "After"
    assert event.pgh_context.metadata == {"url": "/staff/", "request_id": "req-autocommit"}


def test_the_context_ends_with_its_write_and_is_not_left_on_the_connection() -> None:
    user = UserFactory(first_name="One")
    with pghistory.context(request_id="req-earlier"):
        User.objects.filter(pk=user.pk).update(first_name="Two")

    User.objects.filter(pk=user.pk).update(first_name="Three")  # outside any context

    event = UserEvent.objects.filter(pgh_obj=user).latest("pgh_id")
    assert (event.first_name, event.pgh_context) == ("Three", None)


def test_writes_in_a_transaction_share_its_context() -> None:
    first, second = UserFactory(), UserFactory()

    with pghistory.context(request_id="req-atomic"), transaction.atomic():
        User.objects.filter(pk=first.pk).update(first_name="A")
        User.objects.filter(pk=second.pk).update(first_name="B")

    contexts = {
        UserEvent.objects.filter(pgh_obj=user).latest("pgh_id").pgh_context_id
        for user in (first, second)
    }
    assert len(contexts) == 1
    assert Context.objects.get(pk=contexts.pop()).metadata == {"request_id": "req-atomic"}


def test_a_refused_write_in_context_leaves_no_context_row_and_the_connection_usable() -> None:
    taken = UserFactory(username="taken")
    other = UserFactory(username="other")
    contexts_before = Context.objects.count()

    with pghistory.context(request_id="req-refused"), pytest.raises(IntegrityError):
        User.objects.filter(pk=other.pk).update(username=taken.username)

    assert Context.objects.count() == contexts_before
    assert User.objects.get(pk=other.pk).username == "other"
