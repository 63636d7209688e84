"""The follow-up outbox, the patients' survey answers, and red-flag alerts.

Rows are written in the same transaction as the booking or signing that
causes them; a beat task claims due rows with SELECT ... FOR UPDATE SKIP
LOCKED and Celery only carries the ids (DESIGN.md, Follow-ups).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.history import track_history


class FollowUpKind(models.TextChoices):
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
    DAY_AFTER = "day_after", "Day-after check"
    SURVEY_2W = "survey_2w", "Outcome survey, 2 weeks"
    SURVEY_6W = "survey_6w", "Outcome survey, 6 weeks"
    RETREATMENT_REMINDER = "retreatment_reminder", "Re-treatment reminder"


SURVEY_KINDS = (FollowUpKind.SURVEY_2W, FollowUpKind.SURVEY_6W)


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED = "skipped", "Skipped"


class FollowUp(models.Model):
    """One email to send to a patient at `due_at` (UTC)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=24, choices=FollowUpKind.choices)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="followups"
    )
    session = models.ForeignKey(
        "procedures.TreatmentSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
    )
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    skip_reason = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "session"],
                condition=Q(session__isnull=False),
                name="followup_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["kind", "appointment"],
                condition=Q(appointment__isnull=False),
                name="followup_once_per_appointment",
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(appointment__isnull=False),
                name="followup_has_a_cause",
            ),
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.SENDING) | Q(lease_expires_at__isnull=False),
                name="followup_sending_has_lease",
            ),
        ]
        indexes = [
            # What the dispatcher scans, each on its own: pending rows in the order it
            # claims them (due time, then id), and leases to reclaim.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status=FollowUpStatus.PENDING),
                name="followup_pending_due_order",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status=FollowUpStatus.SENDING),
                name="followup_sending_lease",
            ),
            models.Index(fields=["status", "due_at"], name="followup_status_due"),
            # The outbox page, latest due first: read in order instead of sorting every row.
            models.Index(fields=["due_at", "id"], name="followup_due_order"),
        ]
        permissions = [("retry_followup", "Can retry a failed follow-up")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_at:%Y-%m-%d %H:%M}"


class PGIC(models.IntegerChoices):
    """Patient global impression of change, in the patient's words."""

    VERY_MUCH_BETTER = 1, "Very much better"
    MUCH_BETTER = 2, "Much better"
    A_LITTLE_BETTER = 3, "A little better"
    NO_CHANGE = 4, "No change"
    A_LITTLE_WORSE = 5, "A little worse"
    MUCH_WORSE = 6, "Much worse"
    VERY_MUCH_WORSE = 7, "Very much worse"


@track_history()
class SurveyResponse(models.Model):
    """A patient's answers to one survey link."""

    followup = models.OneToOneField(FollowUp, on_delete=models.PROTECT, related_name="response")
    session = models.ForeignKey(
        "procedures.TreatmentSession", on_delete=models.PROTECT, related_name="survey_responses"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="survey_responses"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    pain_now = models.PositiveSmallIntegerField("pain now (0-10)")
    pgic = models.PositiveSmallIntegerField(
        "global impression of change (1-7)", choices=PGIC.choices
    )
    trouble_swallowing = models.BooleanField()
    trouble_speaking = models.BooleanField()
    trouble_breathing = models.BooleanField()
    drooping_eyelid = models.BooleanField()
    double_vision = models.BooleanField()
    new_weakness = models.BooleanField()
    comment = models.TextField(blank=True)

    WARNING_SIGNS = (
        "trouble_swallowing",
        "trouble_speaking",
        "trouble_breathing",
        "drooping_eyelid",
        "double_vision",
        "new_weakness",
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_now__lte=10), name="surveyresponse_pain_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(pgic__gte=1, pgic__lte=7), name="surveyresponse_pgic_1_to_7"
            ),
        ]

    def __str__(self) -> str:
        return f"Survey response {self.pk}"

    @property
    def pain_change(self) -> int | None:
        """Points of pain since before the session (negative is better)."""
        if self.session.pain_before is None:
            return None
        return self.pain_now - self.session.pain_before

    @property
    def warning_signs(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.WARNING_SIGNS
            if getattr(self, name)
        ]


@track_history()
class Alert(models.Model):
    """A warning sign reported by a patient, for the session's clinician."""

    response = models.OneToOneField(SurveyResponse, on_delete=models.PROTECT, related_name="alert")
    session = models.ForeignKey(
        "procedures.TreatmentSession", on_delete=models.PROTECT, related_name="alerts"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["clinician", "-created_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="alert_open_by_clinician",
            )
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk}"
