"""Demo follow-ups for `manage.py seed_demo`, which runs this after the
procedures demo. Made-up patients only.

The procedures demo signs sessions through its service, which calls
`followups_on_session_signed`. Where no signed session exists yet, three are
made here with the models directly (first visit 45 days ago, then 16 and 3).
Either way the newest three signed sessions then get a history: what fell
due before today was sent (one send failed, for the Outbox's retry button),
the surveys sent were answered through the same service as the survey page,
and the first answer reports a warning sign, which alerts its clinician.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from clinic.models import User
from followups.emails import followup_message_id
from followups.models import (
    SURVEY_KINDS,
    Alert,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    SurveyResponse,
)
from followups.services import (
    SKIP_SIGNED_LATE,
    followups_on_session_signed,
    survey_response_record,
)
from followups.timing import clinic_zone
from patients.models import Patient
from patients.search import search_name_for
from procedures.models import Product, SessionStatus, TreatmentSession

DEMO_VISITS = [
    # MRN, first name, preferred name, last name, date of birth, days ago
    ("FU-DEMO-1", "Margaret", "Peggy", "Okafor", dt.date(1968, 2, 11), 45),
    ("FU-DEMO-2", "Tomás", "", "Ribeiro", dt.date(1979, 9, 30), 16),
    ("FU-DEMO-3", "Aiko", "", "Brennan", dt.date(1990, 5, 2), 3),
]
FAILED_SEND = "550 5.1.1 Recipient address rejected: mailbox unavailable"
CALM_ANSWERS = {"pain_now": 4, "pgic": 3, "comment": "Easier to sit at my desk."}
RED_FLAG_ANSWERS = {
    "pain_now": 5,
    "pgic": 4,
    "double_vision": True,
    "comment": "Seeing double when I read, since yesterday.",
}


def seed() -> str:
    sessions = _sessions_to_follow()
    for session in sessions:
        followups_on_session_signed(session=session)
    _record_history(sessions)
    _answer_surveys(sessions)
    rows = FollowUp.objects.filter(session__in=sessions)
    return (
        f"{rows.filter(status=FollowUpStatus.PENDING).count()} follow-ups pending, "
        f"{rows.filter(status=FollowUpStatus.SENT).count()} sent, "
        f"{rows.filter(response__isnull=False).count()} answered, "
        f"{Alert.objects.filter(acknowledged_at=None).count()} open alert(s)"
    )


def _sessions_to_follow() -> list[TreatmentSession]:
    signed = TreatmentSession.objects.filter(status=SessionStatus.SIGNED)
    if not signed.exists():
        clinician = User.objects.get(username="clinician")
        for visit in DEMO_VISITS:
            _demo_session(visit, clinician=clinician)
    return list(signed.order_by("-started_at")[:3])


def _demo_session(visit: tuple, *, clinician: User) -> TreatmentSession:
    mrn, first_name, preferred_name, last_name, born, days_ago = visit
    patient, _ = Patient.objects.get_or_create(
        mrn=mrn,
        defaults={
            "first_name": first_name,
            "preferred_name": preferred_name,
            "last_name": last_name,
            "date_of_birth": born,
            "email": f"{(preferred_name or first_name).lower()}.{last_name.lower()}@example.com",
            "email_consent": True,
            "email_consent_at": timezone.now(),
            "email_consent_by": clinician,
            "search_name": search_name_for(
                first_name=first_name, last_name=last_name, preferred_name=preferred_name
            ),
        },
    )
    day = timezone.localdate(timezone=clinic_zone()) - dt.timedelta(days=days_ago)
    started_at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=clinic_zone())
    session, _ = TreatmentSession.objects.get_or_create(
        patient=patient,
        defaults={
            "clinician": clinician,
            "product": _demo_product(),
            "started_at": started_at,
            "pain_before": 7,
            "status": SessionStatus.SIGNED,
            "signed_at": started_at + dt.timedelta(minutes=40),
            "signed_by": clinician,
        },
    )
    return session


def _demo_product() -> Product:
    product, _ = Product.objects.get_or_create(
        brand_name="Botox",
        defaults={
            "generic_name": "onabotulinumtoxinA",
            "vial_sizes": [100, 200],
            "max_units_per_site": Decimal(50),
            "max_units_per_session": Decimal(400),
            "max_units_per_window": Decimal(400),
            "window_days": 90,
            "reconstituted_use_hours": 24,
            "min_retreatment_days": 84,
        },
    )
    return product


def _record_history(sessions: list[TreatmentSession]) -> None:
    """Follow-ups due before now, never sent because the sessions were signed
    today, are shown as sent; the newest session's day-after check as failed."""
    unsent = FollowUp.objects.filter(session__in=sessions, due_at__lt=timezone.now()).filter(
        Q(status=FollowUpStatus.PENDING)
        | Q(status=FollowUpStatus.SKIPPED, skip_reason=SKIP_SIGNED_LATE)
    )
    newest = sessions[0] if sessions else None
    for followup in unsent:
        if followup.session == newest and followup.kind == FollowUpKind.DAY_AFTER:
            _mark(followup, status=FollowUpStatus.FAILED, last_error=FAILED_SEND)
        else:
            _mark(
                followup,
                status=FollowUpStatus.SENT,
                sent_at=followup.due_at + dt.timedelta(minutes=1),
                message_id=followup_message_id(followup=followup),
            )


def _mark(followup: FollowUp, **changes: object) -> None:
    FollowUp.objects.filter(pk=followup.pk).update(attempts=1, skip_reason="", **changes)


def _answer_surveys(sessions: list[TreatmentSession]) -> None:
    unanswered = FollowUp.objects.filter(
        session__in=sessions,
        kind__in=SURVEY_KINDS,
        status=FollowUpStatus.SENT,
        response__isnull=True,
    ).order_by("due_at")
    for followup in unanswered:
        red_flag = not Alert.objects.exists()
        answers = RED_FLAG_ANSWERS if red_flag else CALM_ANSWERS
        survey_response_record(followup=followup, answers=_complete(answers))


def _complete(answers: dict[str, object]) -> dict[str, object]:
    return {**dict.fromkeys(SurveyResponse.WARNING_SIGNS, False), **answers}
