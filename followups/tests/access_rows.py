"""Who may open the follow-up URLs (see clinic/tests/access_table.py)."""

from __future__ import annotations

from typing import Any

from clinic.tests.access_table import DENIED, OK, PERSONAS, REDIRECT, Row, roles
from followups.links import LinkPurpose, link_token
from followups.models import FollowUpKind, FollowUpStatus
from followups.tests.factories import AlertFactory, FollowUpFactory, SurveyResponseFactory

CLINICAL = roles(front_desk=DENIED, clinician=OK, admin=OK)
# Patients' links need no login; a signed-in member of staff may open them too.
PUBLIC = dict.fromkeys(PERSONAS, OK)


def _failed_followup() -> dict[str, Any]:
    return {"followup_id": FollowUpFactory(status=FollowUpStatus.FAILED).pk}


def _alert() -> dict[str, Any]:
    return {"alert_id": AlertFactory().pk}


def _session() -> dict[str, Any]:
    return {"session_id": SurveyResponseFactory().session_id}


def _patient() -> dict[str, Any]:
    return {"patient_id": SurveyResponseFactory().patient_id}


def _token(purpose: LinkPurpose) -> dict[str, Any]:
    followup = FollowUpFactory(kind=FollowUpKind.SURVEY_2W, status=FollowUpStatus.SENT)
    return {"token": link_token(followup=followup, purpose=purpose)}


ROWS: list[Row] = [
    Row("followups:outbox", CLINICAL),
    Row(
        "followups:outbox_retry",
        roles(front_desk=DENIED, clinician=REDIRECT, admin=REDIRECT),
        make_kwargs=_failed_followup,
        method="post",
    ),
    Row(
        "followups:alert_acknowledge",
        roles(front_desk=DENIED, clinician=REDIRECT, admin=DENIED),
        make_kwargs=_alert,
        method="post",
    ),
    Row("followups:session_surveys", CLINICAL, make_kwargs=_session),
    Row("followups:patient_surveys", CLINICAL, make_kwargs=_patient),
    Row("followups:survey", PUBLIC, make_kwargs=lambda: _token(LinkPurpose.SURVEY)),
    Row("followups:unsubscribe", PUBLIC, make_kwargs=lambda: _token(LinkPurpose.UNSUBSCRIBE)),
]
