"""The chart: everyone sees demographics and contact; only clinical roles
receive precautions and consent, and the front desk's HTML never holds them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.tests.factories import course_of_treatment
from patients import chart
from patients.models import Consent, ConsentForm, Precautions
from patients.tests.factories import ConsentFactory, PatientFactory, PrecautionsFactory
from scheduling.selectors import patient_appointments
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

ALLERGY = "Cefalexin (anaphylaxis)"
NOTE = "Ocular myasthenia, stable"
WITNESS = "Wanda Witness"


@pytest.fixture
def patient():
    patient = PatientFactory(first_name="Linda", last_name="Thompson")
    PrecautionsFactory(patient=patient, neuromuscular_disorder=True, allergies=ALLERGY, notes=NOTE)
    ConsentFactory(
        patient=patient,
        form=ConsentForm.objects.get(code="botulinum-toxin-tpi"),
        witness_name=WITNESS,
    )
    return patient


def _chart(client, user, patient) -> bytes:
    client.force_login(user)
    response = client.get(reverse("patients:chart", args=[patient.pk]))
    assert response.status_code == 200
    return response.content


def test_front_desk_receives_no_clinical_detail_at_all(client, front_desk, patient) -> None:
    html = _chart(client, front_desk, patient)

    for clinical in (
        ALLERGY,
        NOTE,
        WITNESS,
        "myasthenia",
        "Precautions",
        "Allergies",
        "Consent to treatment",
        'data-testid="consent-status"',
        "botulinum",
        "chart-treatments",
        "chart-surveys",
        "chart-outcomes",
    ):
        assert clinical.encode() not in html, clinical
    assert b"Linda" in html
    assert b'data-testid="chart-contact"' in html
    assert b'data-testid="chart-appointments"' in html


def test_front_desk_sees_only_that_a_precautions_review_is_due(client, front_desk) -> None:
    overdue = PatientFactory()
    PrecautionsFactory(
        patient=overdue, allergies=ALLERGY, reviewed_at=timezone.now() - dt.timedelta(days=400)
    )

    html = _chart(client, front_desk, overdue).decode()

    assert "Precautions review due." in html
    assert ALLERGY not in html


def test_clinician_sees_precautions_consent_and_every_section(client, clinician, patient) -> None:
    html = _chart(client, clinician, patient).decode()

    assert ALLERGY in html
    assert NOTE in html
    assert "Neuromuscular disorder (myasthenia gravis, Lambert-Eaton, ALS)" in html
    assert "Valid consent on file" in html
    assert WITNESS in html
    for section in ("chart-appointments", "chart-treatments", "chart-surveys", "chart-outcomes"):
        assert f'data-testid="{section}"' in html


def test_clinic_admin_sees_clinical_parts_but_cannot_edit_them(client, admin, patient) -> None:
    html = _chart(client, admin, patient).decode()

    assert ALLERGY in html
    assert reverse("patients:precautions", args=[patient.pk]) not in html
    assert reverse("patients:consent_record", args=[patient.pk]) not in html


def test_chart_says_when_no_valid_consent_is_on_file(client, clinician) -> None:
    patient = PatientFactory()
    ConsentFactory(
        patient=patient,
        form=ConsentForm.objects.get(code="botulinum-toxin-tpi"),
        signed_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2020, 12, 31),
    )

    html = _chart(client, clinician, patient).decode()

    assert "No valid consent" in html
    assert "Expired" in html


def _chart_queries(client, patient, django_assert_num_queries, expected: int) -> None:
    with django_assert_num_queries(expected):
        client.get(reverse("patients:chart", args=[patient.pk]))


def test_chart_has_a_fixed_number_of_queries(
    client, clinician, patient, django_assert_num_queries
) -> None:
    """Every section filled, then filled again with four times the history:
    the same number of queries either way."""
    client.force_login(clinician)
    course_of_treatment(patient=patient, sessions=1, clinician=clinician)
    AppointmentFactory(patient=patient, clinician=clinician)
    # session, the user with their permissions and roles, the patient with
    # precautions, consents, the access-log row (with its audit context) (5);
    # appointments and their moves (2); treatment history: sessions with
    # totals, units per muscle for the dose table (2); survey answers (1);
    # outcomes: sessions with units by product, survey answers by session,
    # injections by muscle (3); the patient's query also reads the revisions
    # the drawn chart is kept under.
    expected = 13
    _chart_queries(client, patient, django_assert_num_queries, expected)

    course_of_treatment(patient=patient, sessions=3, clinician=clinician)
    for _ in range(3):
        ConsentFactory(patient=patient, form=ConsentForm.objects.get(code="botulinum-toxin-tpi"))
        AppointmentFactory(
            patient=patient, clinician=clinician, start=timezone.now() + dt.timedelta(days=3 + _)
        )
    _chart_queries(client, patient, django_assert_num_queries, expected)

    # Nothing changed since: session, user, the patient with the revisions,
    # and the access-log row; the chart comes from the page cache.
    _chart_queries(client, patient, django_assert_num_queries, 4)


def test_clinician_records_precautions_through_the_page(client, clinician) -> None:
    patient = PatientFactory()
    client.force_login(clinician)
    answers = {
        "neuromuscular_disorder": "no",
        "pregnant_or_breastfeeding": "no",
        "interacting_drugs": "yes",
        "prior_toxin_hypersensitivity": "no",
        "swallowing_or_breathing_problems": "no",
        "bleeding_risk": "no",
        "allergies": "No known allergies",
        "notes": "",
    }

    client.post(reverse("patients:precautions", args=[patient.pk]), answers)

    precautions = Precautions.objects.get(patient=patient)
    assert precautions.interacting_drugs is True
    assert precautions.reviewed_by == clinician


def test_an_unanswered_precaution_question_is_refused(client, clinician) -> None:
    patient = PatientFactory()
    client.force_login(clinician)

    response = client.post(
        reverse("patients:precautions", args=[patient.pk]), {"allergies": "None known"}
    )

    assert response.context["form"].errors["bleeding_risk"] == ["Answer yes or no."]
    assert not Precautions.objects.exists()


def test_clinician_records_and_revokes_a_consent_through_the_pages(client, clinician) -> None:
    patient = PatientFactory()
    form = ConsentForm.objects.get(code="botulinum-toxin-tpi")
    client.force_login(clinician)

    client.post(
        reverse("patients:consent_record", args=[patient.pk]),
        {
            "form": form.pk,
            "signed_on": timezone.localdate().strftime("%m/%d/%Y"),
            "witness_name": WITNESS,
            "valid_until": "",
        },
    )
    consent = Consent.objects.get(patient=patient)
    refused = client.post(reverse("patients:consent_revoke", args=[consent.pk]), {"reason": ""})
    client.post(reverse("patients:consent_revoke", args=[consent.pk]), {"reason": "Withdrew."})

    assert "Give the reason the consent is revoked." in refused.content.decode()
    consent.refresh_from_db()
    assert consent.witness_name == WITNESS
    assert consent.revoked_reason == "Withdrew."


def test_a_consent_signed_in_the_future_is_refused_beside_the_date(client, clinician) -> None:
    patient = PatientFactory()
    client.force_login(clinician)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client.post(
        reverse("patients:consent_record", args=[patient.pk]),
        {
            "form": ConsentForm.objects.get().pk,
            "signed_on": tomorrow.strftime("%m/%d/%Y"),
            "witness_name": WITNESS,
        },
    )

    assert response.context["form"].errors["signed_on"] == [
        "The date signed cannot be in the future."
    ]
    assert not Consent.objects.exists()


@pytest.mark.parametrize("persona", ["front_desk", "admin"])
def test_only_clinicians_may_post_precautions_or_consents(request, client, persona) -> None:
    patient = PatientFactory()
    client.force_login(request.getfixturevalue(persona))

    precautions = client.post(reverse("patients:precautions", args=[patient.pk]), {})
    consent = client.post(reverse("patients:consent_record", args=[patient.pk]), {})

    assert precautions.status_code == consent.status_code == 403
    assert not Precautions.objects.exists() and not Consent.objects.exists()


LOADED_FOR: list[int] = []


def _record_loading(*, patient):
    LOADED_FOR.append(patient.pk)
    return patient_appointments(patient=patient)


def test_a_filled_section_loads_only_for_users_allowed_to_see_it(
    monkeypatch, client, front_desk, clinician
) -> None:
    section = chart.ChartSection(
        "clinical-only",
        "patients/chart/_appointments.html",
        "procedures.view_treatmentsession",
        loader=f"{__name__}._record_loading",
    )
    monkeypatch.setattr(chart, "CHART_SECTIONS", [section])
    patient = PatientFactory()
    LOADED_FOR.clear()

    _chart(client, front_desk, patient)
    assert LOADED_FOR == []

    html = _chart(client, clinician, patient)
    assert [patient.pk] == LOADED_FOR
    assert b'data-testid="chart-appointments"' in html


# The chart shows the newest sessions; the full records are one link away -----


def _twelve_sessions(patient, clinician) -> None:
    """Twelve signed sessions 12 weeks apart (four courses of three, so that
    pain stays on its scale), both surveys answered."""
    first = timezone.now() - dt.timedelta(weeks=12 * 12)
    for course in range(4):
        start = first + dt.timedelta(weeks=12 * 3 * course)
        course_of_treatment(patient=patient, sessions=3, start=start, clinician=clinician)


def _section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


def test_the_chart_lists_the_ten_newest_sessions_and_links_to_all_of_them(
    client, clinician, patient
) -> None:
    _twelve_sessions(patient, clinician)
    dates = [
        f"{timezone.localtime(session.started_at):%m/%d/%Y}"
        for session in patient.sessions.order_by("-started_at")
    ]

    treatments = _section(_chart(client, clinician, patient).decode(), "chart-treatments")

    listed = treatments[: treatments.index("</table>")]
    assert [date for date in dates if date in listed] == dates[:10]
    assert "The 10 most recent of 12 sessions." in treatments
    full_history = reverse("procedures:patient_history", args=[patient.pk])
    assert f'<a href="{full_history}">Full treatment history</a>' in treatments
    assert "Dose per muscle, last 8 signed sessions" in treatments
    everything = client.get(full_history).content.decode()
    assert all(date in everything for date in dates)


def test_a_short_history_is_listed_whole_without_a_link(client, clinician, patient) -> None:
    course_of_treatment(patient=patient, sessions=3, clinician=clinician)

    html = _chart(client, clinician, patient).decode()

    assert 'data-testid="more-sessions"' not in html
    assert 'data-testid="more-survey-answers"' not in html
    assert 'data-testid="more-outcomes"' not in html


def test_the_chart_shows_the_newest_survey_answers_and_every_older_warning_sign(
    client, clinician, patient
) -> None:
    _twelve_sessions(patient, clinician)
    oldest = patient.survey_responses.order_by("submitted_at", "pk").first()
    oldest.double_vision = True
    oldest.save()

    html = _chart(client, clinician, patient).decode()

    surveys = html[html.index('data-testid="chart-surveys"') :]
    assert surveys.count('data-testid="survey-response-') == 11
    assert f'data-testid="survey-response-{oldest.pk}"' in surveys
    assert "Yes: double vision" in surveys
    all_answers = reverse("followups:patient_surveys", args=[patient.pk])
    assert (
        "11 of 24 survey answers: the most recent, and every older one that reported"
        f' warning signs. <a href="{all_answers}">All survey answers</a>'
    ) in surveys
    everything = client.get(all_answers).content.decode()
    assert everything.count('data-testid="survey-response-') == 24


def test_the_chart_shows_the_outcomes_of_the_ten_newest_signed_sessions(
    client, clinician, patient
) -> None:
    _twelve_sessions(patient, clinician)

    outcomes = _section(_chart(client, clinician, patient).decode(), "chart-outcomes")

    assert outcomes.count('data-testid="session-marker"') == 10
    assert '<th scope="row">S1</th>' not in outcomes
    assert '<th scope="row">S3</th>' in outcomes
    assert '<th scope="row">S12</th>' in outcomes
    every_session = reverse("outcomes:patient", args=[patient.pk])
    assert "The 10 most recent of 12 signed sessions." in outcomes
    assert f'<a href="{every_session}">Outcomes of every session</a>' in outcomes
    page = client.get(every_session).content.decode()
    assert page.count('data-testid="session-marker"') == 12
