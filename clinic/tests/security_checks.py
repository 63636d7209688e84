"""Assertions for the per-page security tests each app writes (IDOR, stored XSS).

from clinic.tests.security_checks import XSS_PROBE, assert_escaped, assert_refused_and_logged

def test_a_clinician_cannot_open_another_clinics_session(client, clinician, session):
    client.force_login(clinician)
    assert_refused_and_logged(client, "procedures:session", {"session_id": session.pk})

def test_a_patient_name_is_escaped_on_the_chart(client, clinician):
    patient = PatientFactory(last_name=XSS_PROBE)
    client.force_login(clinician)
    assert_escaped(client.get(reverse("patients:detail", args=[patient.pk])))
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Expression, Model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from clinic.audit import Action
from clinic.models import AccessEvent
from clinic.tests import access_table as table

XSS_PROBE = "<script>alert('xss')</script><img src=x onerror=alert(1)>\"'"
_PROBE_MARKUP = ("<script>alert", "<img src=x onerror")


def assert_refused_and_logged(
    client: Client, url_name: str, kwargs: dict[str, Any], method: str = "get"
) -> HttpResponse:
    """The URL answers 403 or 404, and the refusal is in the access log with
    the URL's name and ids (written by clinic.views.permission_denied / page_not_found)."""
    before = AccessEvent.objects.count()
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs))

    assert response.status_code in (403, 404), f"{url_name} gave {response.status_code}"
    event = AccessEvent.objects.order_by("-id").first()
    assert AccessEvent.objects.count() == before + 1, "the refusal was not logged"
    assert event.action in (Action.ACCESS_DENIED, Action.NOT_FOUND)
    assert event.object_type == f"url:{url_name}"
    return response


def assert_escaped(response: HttpResponse) -> None:
    """The probe, stored in a field this page shows, comes back as text, not markup."""
    html = response.content.decode()
    assert "&lt;script&gt;alert" in html, "the probe is not on the page at all"
    for markup in _PROBE_MARKUP:
        assert markup not in html


def signed_in_clients(users: dict[str, object], **client_options) -> dict[str, Client]:
    """A client per persona of the access table: anonymous, and each user signed in."""
    clients = {table.ANONYMOUS: Client(**client_options)}
    for persona, user in users.items():
        clients[persona] = Client(**client_options)
        clients[persona].force_login(user)
    return clients


def overwrite_text(fields: dict[type[Model], list[str]], value: Expression | str) -> None:
    """Write `value` into the given fields of every row, straight in the database.
    Triggers are off meanwhile: the signed-record lock and append-only tables
    would rightly refuse these updates, and the tests must reach those records."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    for model, names in fields.items():
        model.objects.update(**dict.fromkeys(names, value))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
