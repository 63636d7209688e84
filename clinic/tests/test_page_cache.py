"""The page cache (clinic.page_cache): a part is served again only while
nothing it shows has changed, to the user it was drawn for, and never
readable in Redis."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.roles import CLINICIAN
from fhir_api.tests.records import record_build, token_for
from patients.tests.factories import PatientFactory, PrecautionsFactory
from procedures.services.signing import amendment_add
from procedures.tests.factories import session_with_injections
from scheduling.clock import to_local
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def _signed_in(user, **client_options) -> Client:
    client = Client(**client_options)
    client.force_login(user)
    return client


def _chart(client: Client, patient) -> str:
    response = client.get(reverse("patients:chart", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _day(client: Client, day: dt.date) -> str:
    response = client.get(reverse("scheduling:day"), {"date": day.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_made_outside_the_app_shows_on_the_next_chart(clinician) -> None:
    """The database raises the revision, whoever writes: here, psql's way."""
    patient = PatientFactory(phone="+12125550100")
    client = _signed_in(clinician)
    assert "(212) 555-0100" in _chart(client, patient)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE patients_patient SET phone = '+12125550199' WHERE id = %s", [patient.pk]
        )

    shown = _chart(client, patient)
    assert "(212) 555-0199" in shown
    assert "(212) 555-0100" not in shown


def test_an_appointment_booked_after_the_chart_was_drawn_shows_on_it(clinician) -> None:
    patient = PatientFactory()
    client = _signed_in(clinician)
    assert "None booked." in _chart(client, patient)

    AppointmentFactory(patient=patient, start=timezone.now() + dt.timedelta(days=3))

    assert "None booked." not in _chart(client, patient)


def test_the_front_desk_never_gets_the_chart_a_clinician_was_served(clinician, front_desk) -> None:
    patient = PatientFactory()
    PrecautionsFactory(patient=patient, allergies="Latex, severe")
    assert "Latex, severe" in _chart(_signed_in(clinician), patient)

    assert "Latex, severe" not in _chart(_signed_in(front_desk), patient)


def test_an_amendment_added_after_a_signed_session_was_drawn_shows_on_it(clinician) -> None:
    session = session_with_injections(units=["10"], clinician=clinician)
    client = _signed_in(clinician)
    url = reverse("procedures:session", args=[session.pk])
    assert "Dose recorded twice" not in client.get(url).content.decode()

    amendment_add(session=session, user=clinician, reason="Dose recorded twice", text="Was 5 U")

    assert "Dose recorded twice" in client.get(url).content.decode()


def test_a_vial_relabelled_after_a_signed_session_was_drawn_shows_on_it(clinician) -> None:
    session = session_with_injections(units=["10"], clinician=clinician)
    vial = session.trigger_points.get().injections.get().vial
    client = _signed_in(clinician)
    url = reverse("procedures:session", args=[session.pk])
    assert f"Vial {vial.pk} · lot" in client.get(url).content.decode()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE procedures_vial SET volume_ml = 7.5 WHERE id = %s", [vial.pk])

    assert "in 7.5 mL" in client.get(url).content.decode()


def test_a_patient_renamed_after_the_calendar_was_drawn_shows_renamed(front_desk) -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(days=2))
    day = to_local(appointment.starts_at).date()
    client = _signed_in(front_desk)
    assert appointment.patient.last_name in _day(client, day)

    appointment.patient.last_name = "Zwierzchowska"
    appointment.patient.save()

    assert "Zwierzchowska" in _day(client, day)


def test_a_drawn_form_carries_the_token_of_the_browser_that_asks(front_desk) -> None:
    """Two browsers of one user share the cached calendar; each check-in form
    must carry its own browser's CSRF token, or the post is refused."""
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(minutes=30))
    day = to_local(appointment.starts_at).date()
    _day(_signed_in(front_desk, enforce_csrf_checks=True), day)  # drawn and kept
    second = _signed_in(front_desk, enforce_csrf_checks=True)

    page = _day(second, day)
    action, token = re.search(
        r'<form[^>]*action="([^"]*check-in[^"]*)".*?name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
        re.S,
    ).groups()
    response = second.post(action, {"csrfmiddlewaretoken": token})

    assert response.status_code in (302, 303)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ARRIVED


def test_an_appointment_moves_to_the_history_when_it_ends_without_any_write(
    clinician,
) -> None:
    patient = PatientFactory()
    AppointmentFactory(patient=patient, start=timezone.now() + dt.timedelta(minutes=1), minutes=5)
    client = _signed_in(clinician)
    assert "No past appointments." in _chart(client, patient)

    # Within the idle sign-out, after the appointment's end.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        shown = _chart(client, patient)

    assert "No past appointments." not in shown
    assert "None booked." in shown


def test_what_redis_holds_is_not_readable(clinician) -> None:
    patient = PatientFactory(last_name="Vandersloot")
    assert "Vandersloot" in _chart(_signed_in(clinician), patient)

    store = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(store.scan_iter(match=f"*page:{settings.PAGE_CACHE_VERSION}:chart:*"))
    assert len(keys) == 1
    kept = store.get(keys[0])
    assert b"Vandersloot" not in kept
    assert b"chart-appointments" not in kept  # not even the markup


def test_pages_are_drawn_when_redis_is_down(clinician, settings) -> None:
    patient = PatientFactory(last_name="Oyelaran")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }

    assert "Oyelaran" in _chart(_signed_in(clinician), patient)


def test_a_fhir_bundle_kept_for_one_host_is_not_served_to_another(client, settings) -> None:
    """Bundles name their host in every fullUrl."""
    settings.ALLOWED_HOSTS = ["testserver", "fhir.clinic.example"]
    record = record_build(sessions=1)
    headers = {"Authorization": f"Bearer {token_for(CLINICIAN)}"}
    url = reverse("fhir:everything", args=[record.patient.pk])
    client.get(url, headers=headers)  # drawn and kept for testserver

    bundle = client.get(url, headers=headers, HTTP_HOST="fhir.clinic.example").json()

    assert bundle["entry"][0]["fullUrl"].startswith("http://fhir.clinic.example/")
