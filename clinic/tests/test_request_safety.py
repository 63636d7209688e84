"""Generic request safety: CSRF on every POST, no writes on GET, no open redirects."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from clinic.tests import access_table as table
from clinic.tests.factories import PASSWORD
from clinic.tests.security_checks import signed_in_clients

GET_ROWS = [row for row in table.ROWS if row.method == "get"]
# The one view that takes a POST without a CSRF token, and why.
CSRF_EXEMPT = {
    "followups:unsubscribe": "RFC 8058 one-click unsubscribe: mail providers POST with no "
    "cookie; the signed, single-purpose link is the credential",
}
CSRF_ROWS = [row for row in table.ROWS if row.name not in CSRF_EXEMPT]

# Tables a GET may write: the session, the access log (reads are audited) and
# the audit context that goes with it.
WRITABLE_ON_GET = {"django_session", "clinic_accessevent", "pghistory_context"}


@pytest.mark.django_db
@pytest.mark.parametrize("row", CSRF_ROWS, ids=lambda row: row.name)
def test_a_post_without_a_csrf_token_is_refused_on_every_url(row: table.Row, personas) -> None:
    clients = signed_in_clients(personas, enforce_csrf_checks=True)
    url = reverse(row.name, kwargs=row.make_kwargs())

    for persona, client in clients.items():
        response = client.post(url, {"username": "admin", "password": PASSWORD})

        assert response.status_code == 403, f"{persona} POST {url}"
        assert b"CSRF" in response.content, f"{persona} POST {url}"


@pytest.mark.django_db
def test_sign_out_without_a_token_leaves_the_user_signed_in(admin) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)

    client.post(reverse("logout"))

    assert client.get(reverse("home")).status_code == 200


def _row_counts() -> dict[str, int]:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        - WRITABLE_ON_GET
    )
    union = " UNION ALL ".join(
        # Table names come from the models, not from input.
        f"SELECT '{name}', COUNT(*) FROM {connection.ops.quote_name(name)}"  # noqa: S608
        for name in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return dict(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.name)
def test_a_get_changes_no_data(row: table.Row, personas) -> None:
    clients = signed_in_clients(personas)
    url = reverse(row.name, kwargs=row.make_kwargs())
    before = _row_counts()

    for client in clients.values():
        client.get(url)

    assert _row_counts() == before


# Every search, filter, date, ordering and paging parameter any view reads.
PARAMETERS = (
    "q", "term", "date", "start", "end", "from", "to", "period", "clinician", "room",
    "patient", "appointment", "by", "minutes", "starts_at", "page", "p", "highlight",
    "copy_from", "order", "ordering", "sort", "status", "kind", "action", "user",
    "object_type", "object_id", "product", "muscle", "format", "deidentified", "_id",
    "_count", "type",
)  # fmt: skip
INJECTION_PROBES = (
    "' OR '1'='1",
    "1; DROP TABLE patients_patient;--",
    "%' UNION SELECT password FROM clinic_user--",
    "-1",
    "99999999999999999999999",
    "a\x00b",
    "2026-13-45",
)


@pytest.mark.django_db
@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.name)
def test_injection_probes_in_any_parameter_change_nothing_and_raise_nothing(
    row: table.Row, personas
) -> None:
    clients = signed_in_clients(personas)
    url = reverse(row.name, kwargs=row.make_kwargs())
    before = _row_counts()

    for probe in INJECTION_PROBES:
        query = dict.fromkeys(PARAMETERS, probe)
        for persona, client in clients.items():
            response = client.get(url, query)
            if row.expected[persona] != "health":  # 503 there means a service is down
                assert response.status_code < 500, f"{persona} GET {url} with {probe!r}"

    assert _row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "https:evil.example"]
)
def test_sign_in_never_redirects_off_the_site(client, clinician, target: str) -> None:
    response = client.post(
        reverse("login"), {"username": "clinician", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
