"""Automatic logoff and session hygiene, on a controlled clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.audit import Action
from clinic.models import AccessEvent
from clinic.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = "2026-03-02 08:00:00+00:00"


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()


def _is_signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_idle_session_is_signed_out_after_the_idle_limit(
    client, clinician, settings, time_machine
) -> None:
    time_machine.move_to(START, tick=False)
    client.force_login(clinician)

    time_machine.shift(_seconds(settings.SESSION_IDLE_TIMEOUT) - 1)
    still_in = client.get(reverse("home"))
    time_machine.shift(_seconds(settings.SESSION_IDLE_TIMEOUT))
    after_idle = client.get(reverse("home"))

    assert still_in.status_code == 200
    assert _is_signed_out(after_idle)
    assert "_auth_user_id" not in client.session
    assert AccessEvent.objects.filter(user=clinician, action=Action.SESSION_EXPIRED).count() == 1


def test_activity_keeps_the_session_alive(client, clinician, settings, time_machine) -> None:
    time_machine.move_to(START, tick=False)
    client.force_login(clinician)

    for _ in range(4):
        time_machine.shift(_seconds(settings.SESSION_IDLE_TIMEOUT) * 0.9)
        assert client.get(reverse("home")).status_code == 200


def test_the_keep_alive_button_counts_as_activity(client, clinician, settings, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(clinician)

    time_machine.shift(_seconds(settings.SESSION_IDLE_TIMEOUT) - 10)
    keep_alive = client.post(reverse("session_keep_alive"))
    time_machine.shift(_seconds(settings.SESSION_IDLE_TIMEOUT) - 10)

    assert keep_alive.status_code == 204
    assert client.get(reverse("home")).status_code == 200


def test_busy_session_still_ends_at_the_absolute_limit(
    client, clinician, settings, time_machine
) -> None:
    time_machine.move_to(START, tick=False)
    client.force_login(clinician)
    step = _seconds(settings.SESSION_IDLE_TIMEOUT) / 2
    steps = int(_seconds(settings.SESSION_ABSOLUTE_TIMEOUT) // step)

    for _ in range(steps - 1):
        time_machine.shift(step)
        assert client.get(reverse("home")).status_code == 200
    time_machine.shift(step)

    assert _is_signed_out(client.get(reverse("home")))


def test_the_page_tells_the_idle_script_when_the_session_ends(
    client, clinician, settings, time_machine
) -> None:
    time_machine.move_to(START, tick=False)
    client.force_login(clinician)
    time_machine.shift(10)

    html = client.get(reverse("home")).content.decode()

    left = int(_seconds(settings.SESSION_IDLE_TIMEOUT)) - 10
    assert f'data-idle-seconds-left="{left}"' in html
    assert 'id="idle-warning"' in html
    assert "js/idle-timeout" in html


def test_signing_in_gives_a_new_session_key(client, clinician) -> None:
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key

    client.post(reverse("login"), {"username": "clinician", "password": PASSWORD})

    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(clinician.pk)


def test_deactivating_a_user_ends_their_sessions(clinician) -> None:
    elsewhere = Client()
    elsewhere.force_login(clinician)

    clinician.is_active = False
    clinician.save(update_fields=["is_active"])

    assert _is_signed_out(elsewhere.get(reverse("home")))


def test_changing_the_password_ends_other_sessions_but_not_this_one(client, clinician) -> None:
    elsewhere = Client()
    elsewhere.force_login(clinician)
    client.force_login(clinician)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase for work",
            "new_password2": "a brand new passphrase for work",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert _is_signed_out(elsewhere.get(reverse("home")))
    assert AccessEvent.objects.filter(user=clinician, action=Action.PASSWORD_CHANGED).exists()


def test_signing_out_is_logged(client, clinician) -> None:
    client.force_login(clinician)

    client.post(reverse("logout"))

    assert AccessEvent.objects.filter(user=clinician, action=Action.SIGNED_OUT).exists()
    assert _is_signed_out(client.get(reverse("home")))


def test_a_session_past_its_expiry_in_the_database_is_not_read(client, clinician) -> None:
    """The session is read with a statement of our own (clinic/session_store.py):
    a row whose expiry has passed signs the browser out, whatever the cookie says."""
    client.force_login(clinician)
    assert client.get(reverse("home")).status_code == 200

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert _is_signed_out(client.get(reverse("home")))


def test_a_deleted_session_row_signs_the_browser_out(client, clinician) -> None:
    client.force_login(clinician)
    Session.objects.filter(session_key=client.session.session_key).delete()

    assert _is_signed_out(client.get(reverse("home")))
