"""Set-up for clinic admins: rooms, appointment types, working hours, time off.

Appointments themselves are read-only here; they change only through the
scheduling pages, whose services keep the history and the follow-ups.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import ForeignKey
from django.http import HttpRequest

from scheduling.display import clinician_label, clock, day_label
from scheduling.models import AppointmentType, Room, TimeOff, WorkingHours
from scheduling.selectors import clinicians


class _ClinicianField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return clinician_label(obj)


class _ClinicianOnly:
    """Offer only staff with the Clinician role in the clinician drop-down."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field:
        if db_field.name == "clinician":
            return _ClinicianField(queryset=clinicians(), **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "default_minutes", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(_ClinicianOnly, admin.ModelAdmin):
    list_display = ["clinician", "weekday", "starts_at", "ends_at"]
    list_filter = ["clinician", "weekday"]


class TimeOffForm(forms.ModelForm):
    """Time off as a start and an end, in the clinic's time zone."""

    starts = forms.SplitDateTimeField(widget=admin.widgets.AdminSplitDateTime)
    ends = forms.SplitDateTimeField(widget=admin.widgets.AdminSplitDateTime)

    class Meta:
        model = TimeOff
        fields = ["clinician", "starts", "ends", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["starts"] = self.instance.timespan.lower
            self.initial["ends"] = self.instance.timespan.upper

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", "The end must be after the start.")
        elif starts and ends:
            self.instance.timespan = DateTimeTZRange(starts, ends, "[)")
        return data


@admin.register(TimeOff)
class TimeOffAdmin(_ClinicianOnly, admin.ModelAdmin):
    form = TimeOffForm
    list_display = ["clinician", "period", "reason"]
    list_filter = ["clinician"]

    @admin.display(description="When", ordering="timespan")
    def period(self, time_off: TimeOff) -> str:
        start, end = time_off.timespan.lower, time_off.timespan.upper
        return f"{day_label(start)} {clock(start)} – {day_label(end)} {clock(end)}"
