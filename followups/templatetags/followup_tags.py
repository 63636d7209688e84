"""`{% open_alerts %}` (the signed-in clinician's unacknowledged alerts, for the
home page) and the outbox's status badges."""

from __future__ import annotations

from typing import Any

from django import template

from followups.models import FollowUpStatus
from followups.selectors import alerts_open_for

register = template.Library()


@register.inclusion_tag("followups/_home_alerts.html", takes_context=True)
def open_alerts(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    return {
        "open_alerts": list(alerts_open_for(clinician_id=user.pk)),
        "request": context["request"],
    }


_BADGES = {
    FollowUpStatus.PENDING: "text-bg-light border",
    FollowUpStatus.SENDING: "text-bg-info",
    FollowUpStatus.SENT: "text-bg-success",
    FollowUpStatus.FAILED: "text-bg-danger",
    FollowUpStatus.CANCELLED: "text-bg-secondary",
    FollowUpStatus.SKIPPED: "text-bg-secondary",
}


@register.filter
def status_badge(status: str) -> str:
    return _BADGES.get(status, "text-bg-secondary")
