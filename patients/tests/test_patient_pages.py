"""Registering, editing, archiving and finding patients through the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from patients import forms, services
from patients.models import Patient
from patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Grace",
    "last_name": "Yamamoto",
    "preferred_name": "",
    "date_of_birth": "7/19/92",
    "sex": "female",
    "phone": "(201) 555-0119",
    "email": "grace@example.com",
    "address_line1": "",
    "address_line2": "",
    "city": "",
    "region": "",
    "postal_code": "",
    "preferred_contact": "email",
    "email_consent": "on",
    "confirmed_duplicates": "",
}


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk)
    return client


def test_front_desk_registers_a_patient_and_lands_on_the_chart(desk_client, front_desk) -> None:
    response = desk_client.post(reverse("patients:register"), FORM, follow=True)

    patient = Patient.objects.get()
    assert response.redirect_chain[-1][0] == reverse("patients:chart", args=[patient.pk])
    assert f"Registered Grace Yamamoto, MRN {patient.mrn}." in response.content.decode()
    assert patient.date_of_birth == dt.date(1992, 7, 19)
    assert patient.phone == "+12015550119"
    assert patient.email_consent_by == front_desk


def test_the_form_warns_that_ordinary_email_is_not_encrypted(desk_client) -> None:
    html = desk_client.get(reverse("patients:register")).content.decode()

    assert forms.EMAIL_NOT_ENCRYPTED in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date_of_birth": "13/45/1992"}, "date_of_birth", forms.DATE_INVALID),
        ({"date_of_birth": "01/01/2999"}, "date_of_birth", services.DATE_OF_BIRTH_IN_FUTURE),
        ({"date_of_birth": "01/01/1880"}, "date_of_birth", services.DATE_OF_BIRTH_TOO_EARLY),
        ({"email": "grace@"}, "email", "Enter a valid email address."),
        ({"phone": "555-01"}, "phone", services.PHONE_INVALID),
        ({"last_name": ""}, "last_name", "This field is required."),
        (
            {"email": "", "preferred_contact": "phone"},
            "email_consent",
            services.EMAIL_CONSENT_NEEDS_EMAIL,
        ),
        ({"email": "", "email_consent": ""}, "preferred_contact", services.CONTACT_NEEDS_EMAIL),
    ],
)
def test_each_bad_value_gets_a_message_beside_it_and_saves_nothing(
    desk_client, change, field, message
) -> None:
    response = desk_client.post(reverse("patients:register"), {**FORM, **change})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Patient.objects.exists()


def test_a_likely_duplicate_is_shown_and_registering_needs_a_second_confirmation(
    desk_client,
) -> None:
    existing = PatientFactory(
        first_name="Grace", last_name="Yamamoto", date_of_birth=dt.date(1992, 7, 19)
    )

    warned = desk_client.post(reverse("patients:register"), FORM)

    html = warned.content.decode()
    assert 'data-testid="duplicate-warning"' in html
    assert existing.mrn in html
    assert Patient.objects.count() == 1
    confirmed = warned.context["form"]["confirmed_duplicates"].value()
    assert confirmed == str(existing.pk)

    desk_client.post(reverse("patients:register"), {**FORM, "confirmed_duplicates": confirmed})

    assert Patient.objects.count() == 2


def test_editing_shows_the_current_details_and_saves_changes(desk_client) -> None:
    patient = PatientFactory(phone="+12125550142", date_of_birth=dt.date(1968, 3, 14))

    form_html = desk_client.get(reverse("patients:edit", args=[patient.pk])).content.decode()
    assert "(212) 555-0142" in form_html
    assert "03/14/1968" in form_html

    desk_client.post(
        reverse("patients:edit", args=[patient.pk]),
        {
            **FORM,
            "first_name": patient.first_name,
            "last_name": patient.last_name,
            "email": patient.email,
            "date_of_birth": "03/14/1968",
            "city": "Hartford",
        },
    )

    patient.refresh_from_db()
    assert patient.city == "Hartford"


def test_archiving_from_the_page_and_the_archived_notice(desk_client) -> None:
    patient = PatientFactory()

    desk_client.post(reverse("patients:archive", args=[patient.pk]))

    patient.refresh_from_db()
    assert patient.archived_at is not None
    chart = desk_client.get(reverse("patients:chart", args=[patient.pk])).content.decode()
    assert 'data-testid="archived-notice"' in chart


def test_archiving_refused_shows_why_and_changes_nothing(desk_client) -> None:
    patient = PatientFactory(archived_at=timezone.now())

    response = desk_client.post(reverse("patients:archive", args=[patient.pk]))

    assert services.PATIENT_IS_ARCHIVED in response.content.decode()


def test_restoring_an_archived_patient(desk_client) -> None:
    patient = PatientFactory(archived_at=timezone.now())

    desk_client.post(reverse("patients:restore", args=[patient.pk]))

    patient.refresh_from_db()
    assert patient.archived_at is None


def _search(client, query: str, **extra):
    return client.post(reverse("patients:list"), {"q": query, **extra}, follow=True)


def test_search_page_finds_a_patient_by_misspelt_surname(desk_client) -> None:
    patient = PatientFactory(first_name="Anna", last_name="Kowalski")

    html = _search(desk_client, "kowalsky").content.decode()

    assert reverse("patients:chart", args=[patient.pk]) in html
    assert patient.mrn in html


def test_a_result_row_shows_every_detail_escaped(desk_client) -> None:
    patient = PatientFactory(
        first_name="Anna",
        last_name="Kowalski",
        preferred_name="<b>Ania</b>",
        email="anna&co@example.com",
        phone="+12125550123",
        date_of_birth=dt.date(1968, 3, 4),
        archived_at=timezone.now(),
    )

    html = _search(desk_client, "kowalski", archived="1").content.decode()

    row = re.search(r"<tr><td><a [^>]*>Kowalski, Anna</a>.*?</tr>", html).group(0)
    assert f'href="{reverse("patients:chart", args=[patient.pk])}"' in row
    assert "(“&lt;b&gt;Ania&lt;/b&gt;”)" in row
    assert "Archived" in row
    assert f"<td>{patient.mrn}</td><td>03/04/1968</td>" in row
    assert "(212) 555-0123" in row
    assert "anna&amp;co@example.com" in row


def test_search_terms_never_appear_in_a_url(desk_client) -> None:
    PatientFactory(first_name="Anna", last_name="Kowalski", date_of_birth=dt.date(1968, 3, 14))

    response = _search(desk_client, "kowalski 3/14/1968")

    assert response.redirect_chain == [(reverse("patients:list"), 302)]
    assert "Kowalski, Anna" in response.content.decode()


def test_the_last_search_is_still_there_after_going_back(desk_client) -> None:
    PatientFactory(first_name="Anna", last_name="Kowalski")
    _search(desk_client, "kowalski")

    html = desk_client.get(reverse("patients:list")).content.decode()

    assert 'value="kowalski"' in html
    assert "Kowalski, Anna" in html


def test_htmx_search_returns_only_the_results(desk_client) -> None:
    PatientFactory(first_name="Anna", last_name="Kowalski")

    response = desk_client.post(
        reverse("patients:list"), {"q": "kowalski"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kowalski, Anna" in html
    assert '<nav class="navbar' not in html


def test_search_page_points_out_a_mistyped_mrn(desk_client) -> None:
    html = _search(desk_client, "10000018").content.decode()

    assert "is not a valid MRN: its check digit does not match" in html


def test_search_page_treats_sql_as_text(desk_client) -> None:
    PatientFactory.create_batch(3)

    response = _search(desk_client, "' OR 1=1--")

    assert response.status_code == 200
    assert "No current patient matches" in response.content.decode()


def test_next_page_button_shows_the_next_25(desk_client) -> None:
    PatientFactory.create_batch(30, last_name="Garcia")
    _search(desk_client, "garcia")

    second = _search(desk_client, "garcia", page="2")

    assert len(second.context["page"].patients) == 5


def test_search_page_has_a_fixed_number_of_queries(desk_client, django_assert_max_num_queries):
    PatientFactory.create_batch(30, last_name="Garcia")
    _search(desk_client, "garcia")

    # session, the user with their permissions and roles, the search (one
    # query for the page).
    with django_assert_max_num_queries(3):
        response = desk_client.get(reverse("patients:list"))

    assert len(response.context["page"].patients) == 25


def test_search_as_you_type_has_a_fixed_number_of_queries(
    desk_client, django_assert_max_num_queries
):
    PatientFactory.create_batch(30, last_name="Garcia")

    # session, the user with their permissions and roles, the search, the
    # access-log row (with its audit context), saving the search in the
    # session (an UPDATE inside a savepoint and its release).
    with django_assert_max_num_queries(7):
        response = desk_client.post(
            reverse("patients:list"), {"q": "garcia"}, headers={"HX-Request": "true"}
        )

    assert len(response.context["page"].patients) == 25
