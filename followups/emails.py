"""Emails built from templates, three per email: `emails/<name>-subject.txt`,
`-body.txt` and `-body.html` (the healthchecks `hc/lib/emails.py` pattern).

Patient emails carry the least that works: the first name, the clinic's
name and phone, a date and time. Never the product, units, muscles,
diagnosis or date of birth.
"""

from __future__ import annotations

from email.utils import formataddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from followups.links import LinkPurpose, link_url
from followups.models import Alert, FollowUp, FollowUpKind
from followups.timing import clinic_zone

TEMPLATE_FOR_KIND = {
    FollowUpKind.APPOINTMENT_REMINDER: "appointment-reminder",
    FollowUpKind.DAY_AFTER: "day-after",
    FollowUpKind.SURVEY_2W: "survey",
    FollowUpKind.SURVEY_6W: "survey",
    FollowUpKind.RETREATMENT_REMINDER: "retreatment-reminder",
}


def email_build(
    name: str, *, to: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> EmailMultiAlternatives:
    """Render the three templates of email `name`, dates in the clinic's zone."""
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        **context,
    }
    with timezone.override(clinic_zone()):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=formataddr((settings.CLINIC_NAME, settings.DEFAULT_FROM_EMAIL)),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def followup_email(*, followup: FollowUp) -> EmailMultiAlternatives:
    patient = followup.patient
    unsubscribe_url = link_url(followup=followup, purpose=LinkPurpose.UNSUBSCRIBE)
    context = {
        "first_name": patient.preferred_name or patient.first_name,
        "unsubscribe_url": unsubscribe_url,
        **_kind_context(followup),
    }
    headers = {
        "Message-ID": followup_message_id(followup=followup),
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return email_build(
        TEMPLATE_FOR_KIND[followup.kind], to=patient.email, context=context, headers=headers
    )


def followup_message_id(*, followup: FollowUp) -> str:
    """The same on every attempt, so a copy resent after a crash is recognisable."""
    return f"<followup-{followup.public_id.hex}@{urlsplit(settings.SITE_URL).hostname}>"


def _kind_context(followup: FollowUp) -> dict[str, Any]:
    if followup.kind == FollowUpKind.APPOINTMENT_REMINDER:
        return {"starts_at": followup.appointment.starts_at}
    context: dict[str, Any] = {"visit_day": followup.session.started_at}
    if followup.kind == FollowUpKind.SURVEY_2W:
        context["weeks"] = settings.FOLLOWUP_SURVEY_2W_DAYS // 7
    elif followup.kind == FollowUpKind.SURVEY_6W:
        context["weeks"] = settings.FOLLOWUP_SURVEY_6W_DAYS // 7
    if "weeks" in context:
        context["survey_url"] = link_url(followup=followup, purpose=LinkPurpose.SURVEY)
        context["link_days"] = settings.FOLLOWUP_SURVEY_LINK_AGE.days
    return context


def alert_email(*, alert: Alert) -> EmailMultiAlternatives:
    """Only that a warning sign came in, and where to look: no patient details."""
    return email_build(
        "alert",
        to=settings.CLINIC_ALERT_EMAIL,
        context={"home_url": settings.SITE_URL + reverse("home"), "reported_at": alert.created_at},
    )
