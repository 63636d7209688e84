"""Set-up in the Django admin, and the appointment types the migration seeds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.models import AppointmentType, TimeOff

pytestmark = pytest.mark.django_db


def test_the_three_appointment_types_are_seeded():
    seeded = set(AppointmentType.objects.values_list("name", "kind", "default_minutes"))

    assert seeded == {
        ("New consultation", "consult", 45),
        ("Injection session", "injection", 30),
        ("Review", "review", 15),
    }


def test_a_clinic_admin_records_time_off_with_a_start_and_an_end(client, admin, clinician):
    client.force_login(admin)

    response = client.post(
        reverse("admin:scheduling_timeoff_add"),
        {
            "clinician": clinician.pk,
            "starts_0": "2027-01-12",
            "starts_1": "09:00",
            "ends_0": "2027-01-12",
            "ends_1": "13:00",
            "reason": "Conference",
        },
    )

    assert response.status_code == 302
    time_off = TimeOff.objects.get()
    assert time_off.timespan.upper - time_off.timespan.lower == dt.timedelta(hours=4)


def test_time_off_ending_before_it_starts_is_refused(client, admin, clinician):
    client.force_login(admin)

    response = client.post(
        reverse("admin:scheduling_timeoff_add"),
        {
            "clinician": clinician.pk,
            "starts_0": "2027-01-12",
            "starts_1": "13:00",
            "ends_0": "2027-01-12",
            "ends_1": "09:00",
        },
    )

    assert "The end must be after the start." in response.content.decode()
    assert not TimeOff.objects.exists()


def test_working_hours_offer_only_clinicians(client, admin, clinician, front_desk):
    client.force_login(admin)

    form = client.get(reverse("admin:scheduling_workinghours_add")).context["adminform"].form

    assert list(form.fields["clinician"].queryset) == [clinician]
