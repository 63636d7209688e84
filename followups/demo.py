"""Demo follow-ups for `manage.py seed_demo`, which runs this after the
procedures demo has signed its sessions through the service (which queued
their follow-ups). Made-up patients only.

What fell due before today is shown as sent (the newest session's day-after
check as failed, for the Outbox's retry button); every survey sent was
answered through the same service as the survey page, with pain falling
from the session's baseline, and the newest answer reports a warning sign,
which alerts its clinician.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

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
from procedures.models import SessionStatus, TreatmentSession

FAILED_SEND = "550 5.1.1 Recipient address rejected: mailbox unavailable"
# Points of pain below the session's baseline, and the impression of change.
RELIEF = {FollowUpKind.SURVEY_2W: (3, 2), FollowUpKind.SURVEY_6W: (2, 3)}
RED_FLAG = {"double_vision": True, "comment": "Seeing double when I read, since yesterday."}


def seed() -> str:
    sessions = list(
        TreatmentSession.objects.filter(status=SessionStatus.SIGNED).order_by("-started_at")
    )
    for session in sessions:
        followups_on_session_signed(session=session)
    _record_history(sessions)
    _answer_surveys()
    rows = FollowUp.objects.filter(session__in=sessions)
    return (
        f"{rows.filter(status=FollowUpStatus.PENDING).count()} follow-ups pending, "
        f"{rows.filter(status=FollowUpStatus.SENT).count()} sent, "
        f"{rows.filter(response__isnull=False).count()} answered, "
        f"{Alert.objects.filter(acknowledged_at=None).count()} open alert(s)"
    )


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


def _answer_surveys() -> None:
    """Answer each sent survey on its day; the newest answer is the red flag."""
    unanswered = list(
        FollowUp.objects.filter(
            kind__in=SURVEY_KINDS, status=FollowUpStatus.SENT, response__isnull=True
        )
        .select_related("session")
        .order_by("due_at")
    )
    for followup in unanswered:
        red_flag = followup == unanswered[-1] and not Alert.objects.exists()
        response = survey_response_record(
            followup=followup, answers=_answers(followup, red_flag=red_flag)
        )
        SurveyResponse.objects.filter(pk=response.pk).update(
            submitted_at=followup.due_at + dt.timedelta(hours=3)
        )


def _answers(followup: FollowUp, *, red_flag: bool) -> dict[str, object]:
    relief, pgic = RELIEF[followup.kind]
    baseline = followup.session.pain_before or 6
    answers = {"pain_now": max(baseline - relief, 0), "pgic": pgic, "comment": ""}
    answers |= RED_FLAG if red_flag else {"comment": "Easier to sit at my desk."}
    return {**dict.fromkeys(SurveyResponse.WARNING_SIGNS, False), **answers}
