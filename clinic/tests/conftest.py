"""Fixtures for the security tests: real sign-in through the login form, 2FA on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.tests.factories import PASSWORD
from clinic.tests.security_checks import signed_in_clients
from outcomes.tests.factories import course_of_treatment
from patients.tests.factories import ConsentFactory, PrecautionsFactory
from procedures.models import AdverseEvent
from procedures.services.signing import amendment_add
from scheduling.tests.factories import AppointmentFactory

ADDRESS = "198.51.100.20"


@pytest.fixture
def two_factor_on(settings) -> None:
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def password_sign_in() -> Callable[..., object]:
    """POST the login form as a browser would, from `ip`."""

    def _sign_in(
        client: Client, username: str, password: str = PASSWORD, ip: str = ADDRESS, next_url=None
    ):
        data = {"username": username, "password": password}
        url = reverse("login") + (f"?next={next_url}" if next_url else "")
        return client.post(url, data, REMOTE_ADDR=ip)

    return _sign_in


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show right now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def personas(front_desk, clinician, admin) -> dict[str, object]:
    from clinic.tests import access_table as table

    return {table.FRONT_DESK: front_desk, table.CLINICIAN: clinician, table.ADMIN: admin}


@pytest.fixture
def persona_clients(personas) -> dict[str, Client]:
    return signed_in_clients(personas)


@pytest.fixture
def typed_record(clinician):
    """A patient with every kind of typed text: sessions with points and survey
    comments, an amendment, a reaction, precautions, a consent and a booking."""
    patient = course_of_treatment(sessions=2, clinician=clinician)
    session = patient.sessions.order_by("started_at").last()
    amendment_add(session=session, user=session.clinician, reason="Late entry", text="Bruising")
    AdverseEvent.objects.create(
        session=session, kind="headache", severity="mild", source=AdverseEvent.Source.SURVEY
    )
    PrecautionsFactory(patient=patient, allergies="Latex")
    ConsentFactory(patient=patient)
    appointment = AppointmentFactory(patient=patient, clinician=clinician, note="Parking")
    return {"patient": patient, "session": session, "appointment": appointment}
