"""Signing, the lock PostgreSQL keeps on a signed session, and amendments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from procedures import errors
from procedures.errors import ProcedureError
from procedures.models import AdverseEvent, Amendment, Injection, SessionStatus, TriggerPoint
from procedures.services.points import trigger_point_add, trigger_point_remove
from procedures.services.sessions import (
    adverse_event_record,
    session_details_update,
    session_start_from_appointment,
)
from procedures.services.signing import amendment_add, session_sign
from procedures.tests.conftest import a_point, inject
from procedures.tests.factories import TreatmentSessionFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

READY = {
    "pain_before": 6,
    "precautions_confirmed": True,
    "site_infection_checked": True,
    "aftercare_given": True,
}


@pytest.fixture
def ready(session, trapezius, vial):
    """A draft with one 20 U injection and every required field filled in."""
    inject(session, trapezius, "20", vial)
    return session_details_update(session=session, user=session.clinician, changes=READY)


def test_signing_locks_the_session_and_records_who_and_when(ready) -> None:
    session_sign(session=ready, user=ready.clinician)

    ready.refresh_from_db()
    assert ready.status == SessionStatus.SIGNED
    assert ready.signed_by == ready.clinician
    assert ready.signed_at is not None
    assert ready.overridden_warnings == []


def test_signing_names_every_missing_field(session, trapezius, vial) -> None:
    inject(session, trapezius, "20", vial)

    with pytest.raises(ProcedureError) as refused:
        session_sign(session=session, user=session.clinician)

    assert refused.value.message == (
        "Complete before signing: pain before (NRS 0-10), precautions confirmed, "
        "no infection at the injection sites, aftercare given."
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT


def test_a_session_without_injections_is_not_signed(session) -> None:
    session_details_update(session=session, user=session.clinician, changes=READY)

    with pytest.raises(ProcedureError) as refused:
        session_sign(session=session, user=session.clinician)

    assert refused.value.message == errors.SIGN_NO_INJECTIONS


def test_consent_revoked_since_the_injections_stops_the_signature(ready) -> None:
    ready.patient.consents.update(
        revoked_at="2026-01-01T00:00Z", revoked_by=ready.clinician, revoked_reason="Withdrawn"
    )

    with pytest.raises(ProcedureError) as refused:
        session_sign(session=ready, user=ready.clinician)

    assert refused.value.message == errors.NO_CONSENT


def test_a_warning_needs_an_override_reason_which_is_stored(session, trapezius, vial) -> None:
    inject(session, trapezius, "60", vial)
    session_details_update(session=session, user=session.clinician, changes=READY)

    with pytest.raises(ProcedureError) as refused:
        session_sign(session=session, user=session.clinician, override_reason="  ")
    session_sign(
        session=session, user=session.clinician, override_reason="Large muscle, tolerated before"
    )

    assert refused.value.message == errors.OVERRIDE_REASON_REQUIRED
    session.refresh_from_db()
    assert session.override_reason == "Large muscle, tolerated before"
    assert [w["rule"] for w in session.overridden_warnings] == ["per_site"]
    assert "60 U at one site" in session.overridden_warnings[0]["message"]


def test_a_reason_without_a_warning_is_not_kept(ready) -> None:
    session_sign(session=ready, user=ready.clinician, override_reason="just in case")

    ready.refresh_from_db()
    assert ready.override_reason == ""


def test_signing_completes_the_appointment(patient, clinician, botox, trapezius, vial) -> None:
    appointment = AppointmentFactory(
        patient=patient, clinician=clinician, status=AppointmentStatus.ARRIVED
    )
    session = session_start_from_appointment(appointment=appointment, user=clinician)
    inject(session, trapezius, "20", vial)
    session_details_update(session=session, user=clinician, changes=READY)

    session_sign(session=session, user=clinician)

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED


def test_nothing_is_signed_when_the_appointment_was_moved_on_meanwhile(
    patient, clinician, botox, trapezius, vial
) -> None:
    appointment = AppointmentFactory(
        patient=patient, clinician=clinician, status=AppointmentStatus.ARRIVED
    )
    session = session_start_from_appointment(appointment=appointment, user=clinician)
    inject(session, trapezius, "20", vial)
    session_details_update(session=session, user=clinician, changes=READY)
    appointment.refresh_from_db()
    appointment.status = AppointmentStatus.NO_SHOW
    appointment.save()

    with pytest.raises(ProcedureError):
        session_sign(session=session, user=clinician)

    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT


def test_the_services_refuse_any_change_after_signing(ready, trapezius) -> None:
    session_sign(session=ready, user=ready.clinician)
    point = ready.trigger_points.get()

    for attempt in (
        lambda: trigger_point_add(session=ready, user=ready.clinician, point=a_point(trapezius)),
        lambda: trigger_point_remove(session=ready, trigger_point=point, user=ready.clinician),
        lambda: session_details_update(
            session=ready, user=ready.clinician, changes={"vitals": "x"}
        ),
        lambda: session_sign(session=ready, user=ready.clinician),
        lambda: adverse_event_record(
            session=ready, user=ready.clinician, kind="headache", severity="mild"
        ),
    ):
        with pytest.raises(ProcedureError) as refused:
            attempt()
        assert refused.value.message == errors.SESSION_SIGNED
    assert ready.trigger_points.count() == 1


def _refused_by_the_database(change, match: str = "locked") -> None:
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        change()


def _raw_delete(session) -> None:
    """Past the ORM (which would first stop at the follow-ups' PROTECT)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procedures_treatmentsession WHERE id = %s", [session.pk])


def test_the_database_refuses_changes_to_a_signed_session(ready) -> None:
    session_sign(session=ready, user=ready.clinician)
    sessions = type(ready).objects.filter(pk=ready.pk)

    _refused_by_the_database(lambda: sessions.update(pain_before=1))
    _refused_by_the_database(lambda: sessions.update(status=SessionStatus.DRAFT))
    _refused_by_the_database(lambda: _raw_delete(ready))

    ready.refresh_from_db()
    assert (ready.pain_before, ready.status) == (6, SessionStatus.SIGNED)


def test_the_database_refuses_changes_to_a_signed_sessions_points_and_injections(
    ready, trapezius
) -> None:
    session_sign(session=ready, user=ready.clinician)
    point = ready.trigger_points.get()
    injection = Injection.objects.get(trigger_point=point)

    _refused_by_the_database(
        lambda: TriggerPoint.objects.create(
            session=ready, number=2, muscle=trapezius, side="left", view="back", x=0, y=0
        )
    )
    _refused_by_the_database(lambda: TriggerPoint.objects.filter(pk=point.pk).update(x=1))
    _refused_by_the_database(lambda: Injection.objects.filter(pk=injection.pk).delete())
    _refused_by_the_database(
        lambda: Injection.objects.filter(pk=injection.pk).update(units=Decimal(1))
    )
    _refused_by_the_database(
        lambda: Injection.objects.create(
            trigger_point=point, vial=injection.vial, units=1, volume_ml=Decimal("0.025")
        )
    )

    injection.refresh_from_db()
    assert injection.units == 20


def test_reactions_reported_later_may_still_be_added_to_a_signed_session(ready) -> None:
    session_sign(session=ready, user=ready.clinician)

    AdverseEvent.objects.create(
        session=ready, kind="ptosis", severity="mild", source=AdverseEvent.Source.SURVEY
    )
    _refused_by_the_database(
        lambda: AdverseEvent.objects.create(session=ready, kind="headache", severity="mild")
    )

    assert list(ready.adverse_events.values_list("kind", flat=True)) == ["ptosis"]


def test_amendments_are_appended_in_order_and_never_changed(ready, other_clinician) -> None:
    session_sign(session=ready, user=ready.clinician)

    amendment_add(session=ready, user=ready.clinician, reason="Typo", text="Point 1 was right")
    amendment_add(session=ready, user=other_clinician, reason="Late", text="Mild bruising")

    assert list(ready.amendments.values_list("author", "reason")) == [
        (ready.clinician.pk, "Typo"),
        (other_clinician.pk, "Late"),
    ]
    first = ready.amendments.first()
    never = "amendments are never changed or removed"
    _refused_by_the_database(lambda: Amendment.objects.filter(pk=first.pk).update(text="x"), never)
    _refused_by_the_database(lambda: Amendment.objects.filter(pk=first.pk).delete(), never)


def test_a_draft_is_not_amended(session) -> None:
    with pytest.raises(ProcedureError) as refused:
        amendment_add(session=session, user=session.clinician, reason="r", text="t")

    assert refused.value.message == errors.AMEND_DRAFT
    _refused_by_the_database(
        lambda: Amendment.objects.create(
            session=TreatmentSessionFactory(), author=session.clinician, reason="r", text="t"
        ),
        "only a signed session is amended",
    )
