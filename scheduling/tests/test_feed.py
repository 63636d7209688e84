"""A clinician's calendar feed: their own appointments, initials only, at a secret URL."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from scheduling.models import CalendarFeed
from scheduling.services import appointment_cancel, calendar_feed_issue
from scheduling.tests.conftest import tomorrow_at
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def _feed_url(token: str) -> str:
    return reverse("scheduling:feed_ics", args=[token])


def _events(client, token: str) -> list:
    response = client.get(_feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_lists_the_clinicians_own_appointments_with_initials_only(
    client, working_clinician, working_other_clinician, room, patient, injection
):
    mine = AppointmentFactory(
        start=tomorrow_at(10),
        clinician=working_clinician,
        room=room,
        patient=patient,
        appointment_type=injection,
        note="Needs the step-free entrance",
    )
    AppointmentFactory(start=tomorrow_at(11), clinician=working_other_clinician)
    token = calendar_feed_issue(clinician=working_clinician)

    [event] = _events(client, token)

    assert str(event["summary"]) == "Appointment (J.D.)"
    assert str(event["location"]) == "Room 1"
    assert event.decoded("dtstart") == mine.starts_at
    assert event.decoded("dtend") == mine.ends_at
    body = client.get(_feed_url(token)).content.decode()
    for private in ("Jane", "Doe", "Injection", "step-free", patient.mrn):
        assert private not in body


def test_cancelled_appointments_drop_out_of_the_feed(client, front_desk, working_clinician):
    appointment = AppointmentFactory(start=tomorrow_at(10), clinician=working_clinician)
    token = calendar_feed_issue(clinician=working_clinician)
    appointment_cancel(appointment=appointment, by=front_desk, reason="Unwell")

    assert _events(client, token) == []


def test_rotating_the_token_retires_the_old_url(client, working_clinician):
    old = calendar_feed_issue(clinician=working_clinician)
    new = calendar_feed_issue(clinician=working_clinician)

    assert client.get(_feed_url(old)).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_only_a_hash_of_the_token_is_stored(working_clinician):
    token = calendar_feed_issue(clinician=working_clinician)

    feed = CalendarFeed.objects.get()
    assert token not in feed.token_hash
    assert len(feed.token_hash) == 64


def test_a_made_up_token_is_not_found(client):
    assert client.get(_feed_url("not-a-real-token")).status_code == 404


def test_the_feed_stops_when_the_clinician_leaves(client, working_clinician):
    token = calendar_feed_issue(clinician=working_clinician)
    working_clinician.is_active = False
    working_clinician.save()

    assert client.get(_feed_url(token)).status_code == 404


def test_a_clinician_turns_the_feed_on_sees_the_url_once_then_turns_it_off(
    client, working_clinician
):
    client.force_login(working_clinician)

    shown = client.post(reverse("scheduling:feed_rotate"), follow=True).context["new_url"]
    again = client.get(reverse("scheduling:feed")).context["new_url"]
    assert shown.startswith("http://testserver/scheduling/feed/")
    assert client.get(shown.removeprefix("http://testserver")).status_code == 200
    assert again is None

    client.post(reverse("scheduling:feed_revoke"))
    assert client.get(shown.removeprefix("http://testserver")).status_code == 404


def test_the_front_desk_has_no_feed_of_its_own(client, front_desk):
    client.force_login(front_desk)

    assert client.post(reverse("scheduling:feed_rotate")).status_code == 403
    assert not CalendarFeed.objects.exists()
