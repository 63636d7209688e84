"""Signing a session, and the amendments that correct it afterwards.

Signing re-checks everything on the locked row: required fields, consent,
the dose guard. Once signed, PostgreSQL refuses any change to the session,
its points and injections (migration 0005); corrections are amendments.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from clinic.models import User
from followups.services import followups_on_session_signed
from procedures import errors
from procedures.dose_guard import session_warnings
from procedures.errors import ProcedureError
from procedures.models import Amendment, Injection, SessionStatus, TreatmentSession
from procedures.selectors import patient_valid_consent
from procedures.services.sessions import session_lock_draft
from scheduling.errors import IllegalTransition
from scheduling.services import appointment_complete

logger = logging.getLogger(__name__)


@transaction.atomic
def session_sign(
    *,
    session: TreatmentSession,
    user: User,
    override_reason: str = "",
    at: dt.datetime | None = None,
) -> TreatmentSession:
    at = at or timezone.now()
    session = session_lock_draft(session=session, user=user)
    _check_complete(session)
    consent = patient_valid_consent(patient=session.patient, on=timezone.localdate(at))
    if consent is None:
        raise ProcedureError(errors.NO_CONSENT)
    warnings = session_warnings(session=session)
    override_reason = override_reason.strip()
    if warnings and not override_reason:
        raise ProcedureError(errors.OVERRIDE_REASON_REQUIRED, field="override_reason")
    session.consent = consent
    session.status = SessionStatus.SIGNED
    session.signed_at = at
    session.signed_by = user
    session.override_reason = override_reason if warnings else ""
    session.overridden_warnings = [warning.as_dict() for warning in warnings]
    session.save()
    if session.appointment_id is not None:
        try:
            appointment_complete(appointment=session.appointment, by=user, at=at)
        except IllegalTransition as refusal:
            raise ProcedureError(refusal.message) from refusal
    followups_on_session_signed(session=session)
    logger.info("session %s signed by user %s", session.pk, user.pk)
    return session


def session_missing_fields(session: TreatmentSession) -> list[str]:
    """What still has to be filled in before the session can be signed."""
    required = {
        "the product": session.product_id is not None,
        "the indication": bool(session.indication.strip()),
        "pain before (NRS 0-10)": session.pain_before is not None,
        "precautions confirmed": session.precautions_confirmed,
        "no infection at the injection sites": session.site_infection_checked,
        "aftercare given": session.aftercare_given,
    }
    return [label for label, present in required.items() if not present]


def _check_complete(session: TreatmentSession) -> None:
    missing = session_missing_fields(session)
    if missing:
        raise ProcedureError(errors.SIGN_MISSING.format(missing=", ".join(missing)))
    if not Injection.objects.filter(trigger_point__session=session).exists():
        raise ProcedureError(errors.SIGN_NO_INJECTIONS)


@transaction.atomic
def amendment_add(*, session: TreatmentSession, user: User, reason: str, text: str) -> Amendment:
    session = TreatmentSession.objects.get(pk=session.pk)
    if not session.is_signed:
        raise ProcedureError(errors.AMEND_DRAFT)
    amendment = Amendment.objects.create(
        session=session, author=user, reason=reason.strip(), text=text.strip()
    )
    logger.info("amendment %s added to session %s by user %s", amendment.pk, session.pk, user.pk)
    return amendment
