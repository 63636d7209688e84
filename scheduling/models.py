"""Rooms, clinicians' hours, appointment types and the appointments themselves.

No double booking is kept by PostgreSQL: exclusion constraints on the
half-open time range forbid overlaps for the same clinician, room or patient
among appointments that still hold their slot.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone

from clinic.history import track_history


@track_history()
class Room(models.Model):
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AppointmentKind(models.TextChoices):
    CONSULT = "consult", "Consultation"
    INJECTION = "injection", "Injection session"
    REVIEW = "review", "Review"


@track_history()
class AppointmentType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=AppointmentKind.choices)
    default_minutes = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_minutes__gte=5, default_minutes__lte=480),
                name="appointmenttype_minutes_5_to_480",
            )
        ]

    def __str__(self) -> str:
        return self.name


@track_history()
class WorkingHours(models.Model):
    """One block of a clinician's regular week, in the clinic's local time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["clinician", "weekday", "starts_at"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workinghours_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["clinician", "weekday", "starts_at"], name="workinghours_unique_block"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


@track_history()
class TimeOff(models.Model):
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off"
    )
    timespan = DateTimeRangeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["timespan"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    timespan__isempty=False, timespan__lower_inf=False, timespan__upper_inf=False
                ),
                name="timeoff_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"Time off {self.timespan.lower:%Y-%m-%d}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    IN_SESSION = "in_session", "In session"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# Statuses that no longer hold their time slot.
RELEASED_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)
_HOLDS_SLOT = ~Q(status__in=RELEASED_STATUSES)


def _no_overlap(field: str) -> ExclusionConstraint:
    return ExclusionConstraint(
        name=f"appointment_no_{field}_overlap",
        expressions=[(field, RangeOperators.EQUAL), ("timespan", RangeOperators.OVERLAPS)],
        condition=_HOLDS_SLOT,
        violation_error_message=f"That time overlaps another appointment for the same {field}.",
    )


@track_history(exclude=["updated_at"])
class Appointment(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    # Half-open [start, end): back-to-back appointments do not overlap.
    timespan = DateTimeRangeField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Scheduling note for the front desk; not clinical."
    )
    retreatment_override_reason = models.TextField(blank=True)
    hours_override_reason = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)
    walk_in = models.BooleanField(
        default=False, help_text="Recorded for a patient who was already here, possibly late."
    )
    # The booking form's one-time key: a form posted twice books once.
    booking_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["timespan"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    timespan__isempty=False, timespan__lower_inf=False, timespan__upper_inf=False
                ),
                name="appointment_timespan_bounded",
            ),
            models.CheckConstraint(
                condition=~Q(status=AppointmentStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="appointment_cancel_has_reason",
            ),
            _no_overlap("clinician"),
            _no_overlap("room"),
            _no_overlap("patient"),
        ]
        indexes = [
            models.Index(fields=["status"], name="appointment_status"),
            # The day view reads every clinician's appointments by time alone.
            GistIndex(fields=["timespan"], name="appointment_timespan"),
            # The dashboard counts appointments by the day they start.
            models.Index(Func("timespan", function="lower"), name="appointment_start"),
        ]
        permissions = [
            ("check_in_appointment", "Can check a patient in"),
            ("override_appointment_warning", "Can book despite a re-treatment or hours warning"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} {self.timespan.lower:%Y-%m-%d %H:%M}"

    @property
    def starts_at(self) -> datetime:
        return self.timespan.lower

    @property
    def ends_at(self) -> datetime:
        return self.timespan.upper


class AppointmentChange(models.Model):
    """One step in an appointment's life: booked, moved, checked in, ...

    A move records where the appointment was and where it went, so the chart
    can show its history after the row itself has changed.
    """

    class Action(models.TextChoices):
        BOOKED = "booked", "Booked"
        MOVED = "moved", "Moved"
        CHECKED_IN = "checked_in", "Checked in"
        STARTED = "started", "Session started"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=12, choices=Action.choices)
    status_before = models.CharField(max_length=12, choices=AppointmentStatus.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=AppointmentStatus.choices)
    timespan_before = DateTimeRangeField(null=True, blank=True)
    timespan_after = DateTimeRangeField(null=True, blank=True)
    clinician_before = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clinician_after = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    room_before = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    room_after = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["appointment", "changed_at"], name="apptchange_appt_time")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.changed_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A clinician's secret iCalendar subscription.

    Only a hash of the token is stored: the feed URL is shown once, when it
    is made or rotated, and a copy of the database does not open anyone's
    calendar.
    """

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        permissions = [
            ("use_calendar_feed", "Can subscribe to their own appointments as a calendar feed")
        ]

    def __str__(self) -> str:
        return f"Calendar feed of user {self.clinician_id}"
