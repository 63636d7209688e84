"""Forms of the scheduling pages. The services do the checking that needs the
database; these parse, offer the choices, and carry the messages back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms

from clinic.models import User
from patients.models import Patient
from scheduling import checks, errors
from scheduling.clock import LOCAL_INPUT_FORMAT, utc
from scheduling.display import clinician_label
from scheduling.models import AppointmentType
from scheduling.selectors import appointment_types, clinicians, rooms


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return clinician_label(obj)


def _moment_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": 300}, format=LOCAL_INPUT_FORMAT
        ),
    )


def _override_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class _PlacementFields(forms.Form):
    """Who, where and when: shared by booking and moving."""

    clinician = ClinicianChoiceField(
        queryset=clinicians(),
        empty_label="Choose a clinician",
        error_messages={
            "required": errors.UNKNOWN_CLINICIAN,
            "invalid_choice": errors.UNKNOWN_CLINICIAN,
        },
    )
    room = forms.ModelChoiceField(
        queryset=rooms(),
        empty_label="Choose a room",
        error_messages={"required": errors.UNKNOWN_ROOM, "invalid_choice": errors.UNKNOWN_ROOM},
    )
    starts_at = _moment_field("Start")
    ends_at = _moment_field(
        "End", required=False, help_text="Follows the type's length; change it if needed."
    )
    retreatment_override_reason = _override_field("Reason to book despite the re-treatment warning")
    hours_override_reason = _override_field("Reason to book outside working hours")

    def overrides(self) -> dict[str, str]:
        return {
            checks.RETREATMENT_FIELD: self.cleaned_data[checks.RETREATMENT_FIELD],
            checks.HOURS_FIELD: self.cleaned_data[checks.HOURS_FIELD],
        }


class BookingForm(_PlacementFields):
    booking_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": errors.FORM_EXPIRED, "invalid": errors.FORM_EXPIRED},
    )
    patient = forms.ModelChoiceField(
        queryset=Patient.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": errors.UNKNOWN_PATIENT,
            "invalid_choice": errors.UNKNOWN_PATIENT,
        },
    )
    appointment_type = forms.ModelChoiceField(
        queryset=appointment_types(),
        label="Type",
        empty_label="Choose a type",
        error_messages={"required": errors.UNKNOWN_TYPE, "invalid_choice": errors.UNKNOWN_TYPE},
    )
    walk_in = forms.BooleanField(
        required=False,
        label="Walk-in: already here, may begin earlier today",
    )
    note = forms.CharField(
        label="Scheduling note",
        required=False,
        max_length=200,
        help_text="For the front desk, e.g. “needs the step-free entrance”. Not clinical.",
    )

    field_order = [
        "booking_key",
        "patient",
        "appointment_type",
        "clinician",
        "room",
        "starts_at",
        "ends_at",
        "walk_in",
        "note",
    ]

    def booking(self) -> dict[str, Any]:
        """Keyword arguments for services.appointment_book."""
        data = self.cleaned_data
        return {
            "patient": data["patient"],
            "clinician": data["clinician"],
            "room": data["room"],
            "appointment_type": data["appointment_type"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "note": data["note"],
            "walk_in": data["walk_in"],
            "booking_key": data["booking_key"],
            **self.overrides(),
        }


class MoveForm(_PlacementFields):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and not data.get("ends_at"):
            self.add_error("ends_at", "Give the new end.")
        return data

    def move(self) -> dict[str, Any]:
        """Keyword arguments for services.appointment_move."""
        data = self.cleaned_data
        return {
            "clinician": data["clinician"],
            "room": data["room"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            **self.overrides(),
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": errors.CANCEL_NEEDS_REASON},
    )


class SlotSearchForm(forms.Form):
    """What the free-slot finder reads from the booking or move form."""

    appointment_type = forms.ModelChoiceField(
        queryset=appointment_types(),
        error_messages={"required": "Choose a type to find free slots for."},
    )
    clinician = ClinicianChoiceField(queryset=clinicians(), required=False)
    room = forms.ModelChoiceField(queryset=rooms(), required=False)
    patient = forms.ModelChoiceField(queryset=Patient.objects.all(), required=False)
    from_date = forms.DateField(label="From", required=False)
    # On the move page: the appointment being moved, whose own time is not busy.
    appointment = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


def default_end(
    starts_at: datetime | None,
    appointment_type: AppointmentType | None,
    *,
    minutes: int | None = None,
) -> datetime | None:
    """The end that follows from `minutes` or else the type's length; None without a start."""
    if starts_at is None or (appointment_type is None and minutes is None):
        return None
    length = minutes or appointment_type.default_minutes  # type: ignore[union-attr]
    return utc(starts_at) + timedelta(minutes=length)
