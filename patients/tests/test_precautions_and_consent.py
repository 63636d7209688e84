from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from patients import services
from patients.models import Consent, ConsentForm, Precautions
from patients.selectors import consent_valid_on_file, precautions_review_due
from patients.services import PrecautionAnswers
from patients.tests.factories import (
    ConsentFactory,
    ConsentFormFactory,
    PatientFactory,
    PrecautionsFactory,
)

pytestmark = pytest.mark.django_db

ANSWERS = PrecautionAnswers(
    neuromuscular_disorder=False,
    pregnant_or_breastfeeding=False,
    interacting_drugs=True,
    prior_toxin_hypersensitivity=False,
    swallowing_or_breathing_problems=False,
    bleeding_risk=True,
    allergies=" Penicillin (hives) ",
    notes="On apixaban.",
)
TODAY = dt.date(2026, 11, 27)


def _seeded_form() -> ConsentForm:
    return ConsentForm.objects.get(code="botulinum-toxin-tpi", version=1)


# Precautions ----------------------------------------------------------------


def test_a_clinician_records_the_review_with_time_and_reviewer(clinician) -> None:
    patient = PatientFactory()

    services.precautions_record(patient=patient, answers=ANSWERS, reviewed_by=clinician)

    precautions = Precautions.objects.get(patient=patient)
    assert precautions.flagged == [
        "aminoglycosides or other interacting drugs",
        "bleeding risk or anticoagulants",
    ]
    assert precautions.allergies == "Penicillin (hives)"
    assert precautions.reviewed_by == clinician
    assert precautions.reviewed_at is not None


def test_a_second_review_replaces_the_answers_of_the_first(clinician, other_clinician) -> None:
    patient = PatientFactory()
    services.precautions_record(patient=patient, answers=ANSWERS, reviewed_by=clinician)

    services.precautions_record(
        patient=patient,
        answers=PrecautionAnswers(False, True, False, False, False, False, "No known allergies"),
        reviewed_by=other_clinician,
    )

    precautions = Precautions.objects.get(patient=patient)
    assert precautions.flagged == ["pregnancy or breastfeeding"]
    assert precautions.reviewed_by == other_clinician


@pytest.mark.parametrize("persona", ["front_desk", "admin"])
def test_only_clinicians_may_record_precautions(request, persona) -> None:
    patient = PatientFactory()

    with pytest.raises(PermissionDenied):
        services.precautions_record(
            patient=patient, answers=ANSWERS, reviewed_by=request.getfixturevalue(persona)
        )

    assert not Precautions.objects.exists()


def test_allergies_must_be_stated_even_when_there_are_none(clinician) -> None:
    patient = PatientFactory()

    with pytest.raises(ValidationError) as refused:
        services.precautions_record(
            patient=patient,
            answers=PrecautionAnswers(False, False, False, False, False, False, "  "),
            reviewed_by=clinician,
        )

    assert refused.value.message_dict == {"allergies": [services.ALLERGIES_REQUIRED]}
    assert not Precautions.objects.exists()


def test_review_is_due_when_never_recorded_or_older_than_the_setting(settings) -> None:
    settings.PRECAUTIONS_REVIEW_MONTHS = 6
    reviewed = PrecautionsFactory(reviewed_at=timezone.make_aware(dt.datetime(2026, 5, 27, 12, 0)))

    assert precautions_review_due(precautions=None, on=TODAY)
    assert not precautions_review_due(precautions=reviewed, on=TODAY)
    assert precautions_review_due(precautions=reviewed, on=TODAY + dt.timedelta(days=1))


def test_review_interval_follows_the_setting(settings) -> None:
    reviewed = PrecautionsFactory(reviewed_at=timezone.make_aware(dt.datetime(2026, 8, 1, 12, 0)))

    settings.PRECAUTIONS_REVIEW_MONTHS = 3
    assert precautions_review_due(precautions=reviewed, on=TODAY)
    settings.PRECAUTIONS_REVIEW_MONTHS = 6
    assert not precautions_review_due(precautions=reviewed, on=TODAY)


# Consent forms ----------------------------------------------------------------


def test_the_seeded_form_states_plainly_that_the_use_is_off_label() -> None:
    form = _seeded_form()
    text = form.body.lower()

    assert "off-label" in text
    assert "not approved by the u.s. food and drug administration" in text
    for risk in (
        "spread",
        "swallowing",
        "breathing",
        "speaking",
        "weakness",
        "ptosis",
        "double or blurred vision",
    ):
        assert risk in text, risk
    assert "signs to report" in text


def test_publishing_a_new_version_retires_the_old_and_leaves_signed_consents_alone(
    clinician,
) -> None:
    signed = ConsentFactory(form=_seeded_form(), recorded_by=clinician)

    new = services.consent_form_publish(
        code="botulinum-toxin-tpi", title="Consent, revised", body="New wording. Off-label."
    )

    signed.refresh_from_db()
    old = _seeded_form()
    assert new.version == 2
    assert old.retired_at is not None
    assert signed.form == old
    assert "distant spread" in signed.form.body
    assert consent_valid_on_file(patient=signed.patient) == signed


def test_a_consent_form_needs_a_title_text_and_sensible_validity() -> None:
    with pytest.raises(ValidationError) as refused:
        services.consent_form_publish(code="x", title=" ", body="", valid_for_days=0)

    assert refused.value.message_dict == {
        "title": [services.CONSENT_FORM_TITLE_REQUIRED],
        "body": [services.CONSENT_FORM_BODY_REQUIRED],
        "valid_for_days": [services.CONSENT_FORM_VALIDITY_RANGE],
    }
    assert not ConsentForm.objects.filter(code="x").exists()


# Consents ---------------------------------------------------------------------


def test_recording_a_consent_defaults_validity_from_the_form(clinician) -> None:
    patient = PatientFactory()
    signed_on = timezone.localdate()

    consent = services.consent_record(
        patient=patient,
        form=_seeded_form(),
        signed_on=signed_on,
        witness_name=" Fran Desmond ",
        recorded_by=clinician,
    )

    consent.refresh_from_db()
    assert consent.valid_until == signed_on + dt.timedelta(days=365)
    assert consent.witness_name == "Fran Desmond"
    assert consent.recorded_by == clinician
    assert consent_valid_on_file(patient=patient) == consent


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"signed_on": "tomorrow"}, "signed_on", services.CONSENT_SIGNED_IN_FUTURE),
        ({"witness_name": " "}, "witness_name", services.CONSENT_WITNESS_REQUIRED),
        (
            {"valid_until": "before signing"},
            "valid_until",
            services.CONSENT_VALID_UNTIL_BEFORE_SIGNED,
        ),
        ({"signed_on": "two years ago"}, "valid_until", services.CONSENT_ALREADY_EXPIRED),
    ],
)
def test_bad_consents_are_refused_and_nothing_is_saved(clinician, change, field, message) -> None:
    today = timezone.localdate()
    dates = {
        "tomorrow": today + dt.timedelta(days=1),
        "two years ago": today - dt.timedelta(days=730),
        "before signing": today - dt.timedelta(days=1),
    }
    arguments = {"signed_on": today, "witness_name": "Fran Desmond", "valid_until": None}
    arguments.update({key: dates.get(value, value) for key, value in change.items()})

    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            patient=PatientFactory(), form=_seeded_form(), recorded_by=clinician, **arguments
        )

    assert refused.value.message_dict[field] == [message]
    assert not Consent.objects.exists()


def test_a_retired_version_cannot_be_recorded(clinician) -> None:
    services.consent_form_publish(code="botulinum-toxin-tpi", title="Revised", body="Off-label.")

    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            patient=PatientFactory(),
            form=_seeded_form(),
            signed_on=timezone.localdate(),
            witness_name="Fran Desmond",
            recorded_by=clinician,
        )

    assert refused.value.message_dict == {"form": [services.CONSENT_FORM_RETIRED]}


def test_front_desk_cannot_record_a_consent(front_desk) -> None:
    with pytest.raises(PermissionDenied):
        services.consent_record(
            patient=PatientFactory(),
            form=_seeded_form(),
            signed_on=timezone.localdate(),
            witness_name="Fran Desmond",
            recorded_by=front_desk,
        )

    assert not Consent.objects.exists()


def test_revoking_needs_a_reason_and_ends_validity(clinician) -> None:
    consent = ConsentFactory(form=_seeded_form())

    with pytest.raises(ValidationError) as refused:
        services.consent_revoke(consent=consent, reason="  ", revoked_by=clinician)
    assert refused.value.message_dict == {"reason": [services.REVOKE_REASON_REQUIRED]}

    services.consent_revoke(consent=consent, reason="Changed her mind.", revoked_by=clinician)

    consent.refresh_from_db()
    assert consent.revoked_by == clinician
    assert consent.revoked_reason == "Changed her mind."
    assert consent_valid_on_file(patient=consent.patient) is None


def test_a_consent_is_revoked_only_once(clinician, other_clinician) -> None:
    consent = ConsentFactory(form=_seeded_form())
    services.consent_revoke(consent=consent, reason="First.", revoked_by=clinician)

    with pytest.raises(ValidationError, match=services.CONSENT_ALREADY_REVOKED):
        services.consent_revoke(consent=consent, reason="Second.", revoked_by=other_clinician)

    consent.refresh_from_db()
    assert consent.revoked_reason == "First."


def test_an_expired_consent_is_not_valid_consent() -> None:
    consent = ConsentFactory(
        form=ConsentFormFactory(code="other"),
        signed_on=dt.date(2024, 1, 1),
        valid_until=dt.date(2024, 12, 31),
    )

    assert consent_valid_on_file(patient=consent.patient) is None
    assert consent_valid_on_file(patient=consent.patient, on=dt.date(2024, 6, 1)) == consent
