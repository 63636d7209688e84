from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clinic.tests.subprocesses import manage_run
from patients.demo import demo_patients, seed
from patients.models import Consent, ConsentForm, Patient, Precautions
from patients.search import search_name_for
from patients.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def test_admin_publishes_a_new_version_from_the_old_text(client, admin) -> None:
    old = ConsentForm.objects.get(code="botulinum-toxin-tpi")
    signed = ConsentFactory(form=old)
    client.force_login(admin)

    prefilled = client.get(reverse("admin:patients_consentform_add"), {"copy_from": old.pk})
    client.post(
        reverse("admin:patients_consentform_add"),
        {
            "code": old.code,
            "title": old.title,
            "body": old.body + "\nNew paragraph.",
            "valid_for_days": 365,
        },
    )

    assert old.body.splitlines()[0] in prefilled.content.decode()
    new = ConsentForm.objects.get(code=old.code, version=2)
    assert new.body.endswith("New paragraph.")
    old.refresh_from_db()
    assert old.retired_at is not None
    signed.refresh_from_db()
    assert signed.form == old


def test_a_published_version_cannot_be_edited_in_the_admin(client, admin) -> None:
    form = ConsentForm.objects.get(code="botulinum-toxin-tpi")
    client.force_login(admin)
    url = reverse("admin:patients_consentform_change", args=[form.pk])

    page = client.get(url).content.decode()
    client.post(
        url, {"code": form.code, "title": "Changed", "body": "Changed", "valid_for_days": 1}
    )

    assert 'name="_save"' not in page
    form.refresh_from_db()
    assert form.title == "Consent to botulinum toxin trigger point injection"


def test_admin_refuses_a_validity_of_zero_days(client, admin) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("admin:patients_consentform_add"),
        {"code": "other", "title": "T", "body": "B", "valid_for_days": 0},
    )

    assert "A signature stays valid for 1 to 3650 days." in response.content.decode()
    assert not ConsentForm.objects.filter(code="other").exists()


def test_consents_are_read_only_in_the_admin(client, admin) -> None:
    consent = ConsentFactory()
    client.force_login(admin)

    listing = client.get(reverse("admin:patients_consent_changelist"))
    add = client.get(reverse("admin:patients_consent_add"))

    assert consent.patient.mrn in listing.content.decode()
    assert add.status_code == 403


def test_demo_seed_adds_about_30_patients_with_mixed_precautions_and_consents(settings) -> None:
    first = seed()
    second = seed()

    assert first == f"{len(demo_patients())} patients added, 0 already there"
    assert second == f"0 patients added, {len(demo_patients())} already there"
    assert 25 <= Patient.objects.count() <= 35
    assert Precautions.objects.exclude(neuromuscular_disorder=False, bleeding_risk=False).exists()
    assert Precautions.objects.count() < Patient.objects.count()
    assert Consent.objects.filter(revoked_at__isnull=False).exists()
    assert Consent.objects.filter(revoked_at=None).exists()
    assert Patient.objects.filter(archived_at__isnull=False).count() == 1
    zoe = Patient.objects.get(first_name="Zoë")
    assert zoe.search_name == search_name_for(first_name="Zoë", last_name="Marchetti")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # it runs VACUUM
def test_generated_patients_are_deterministic_for_a_seed(settings) -> None:
    settings.DEBUG = True

    call_command("generate_patients", count=40, seed=7)
    first = list(Patient.objects.order_by("id").values_list("search_name", "date_of_birth"))
    Patient.objects.all().delete()
    call_command("generate_patients", count=40, seed=7)
    second = list(Patient.objects.order_by("id").values_list("search_name", "date_of_birth"))

    assert len(first) == 40
    assert first == second


def test_generating_patients_refuses_to_run_with_debug_off(settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("generate_patients", count=5)

    assert not Patient.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_a_bad_review_interval_stops_start_up_naming_the_variable() -> None:
    result = manage_run("check", unset=("SECRET_KEY",), DEBUG="true", PRECAUTIONS_REVIEW_MONTHS="0")

    assert result.returncode != 0
    assert "PRECAUTIONS_REVIEW_MONTHS" in result.stderr.strip().splitlines()[-1]
