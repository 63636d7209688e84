"""Clinic admins issue and revoke API tokens in the set-up screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.roles import FRONT_DESK
from fhir_api.models import ApiToken
from fhir_api.services import token_hash

pytestmark = pytest.mark.django_db


def test_admin_issues_a_token_sees_it_once_and_only_its_hash_is_kept(client, admin) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("admin:fhir_api_apitoken_add"), {"name": "Billing", "role": FRONT_DESK}
    )

    token = ApiToken.objects.get(name="Billing")
    html = response.content.decode()
    raw = html.split('data-testid="raw-token">', 1)[1].split("<", 1)[0]
    assert token.token_hash == token_hash(raw)
    assert token.prefix == raw[:8]
    assert token.created_by == admin
    assert (
        raw
        not in client.get(
            reverse("admin:fhir_api_apitoken_change", args=[token.pk])
        ).content.decode()
    )
    patient_search = reverse("fhir:patient-search")
    assert client.get(patient_search, headers={"Authorization": f"Bearer {raw}"}).status_code == 400


def test_admin_revokes_a_token_and_it_stops_working(client, admin) -> None:
    client.force_login(admin)
    client.post(reverse("admin:fhir_api_apitoken_add"), {"name": "Lab", "role": FRONT_DESK})
    token = ApiToken.objects.get(name="Lab")

    client.post(
        reverse("admin:fhir_api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_by == admin
    assert token.revoked_at is not None


def test_clinicians_cannot_open_the_token_screens(client, clinician) -> None:
    client.force_login(clinician)

    response = client.get(reverse("admin:fhir_api_apitoken_changelist"))

    assert response.status_code == 302
    assert not ApiToken.objects.exists()
