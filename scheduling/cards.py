"""An appointment as a calendar cell shows it, worked out once in Python:
a busy day has over a hundred cards, and each filter, `{% url %}` and
`{% include %}` in the template costs more than the same work here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic.links import url_with_id
from scheduling.display import clinician_label, clock_range, status_badge
from scheduling.models import Appointment


@dataclass(frozen=True)
class Card:
    appointment: Appointment
    url: str
    times: str
    patient_name: str
    status_label: str
    badge: str
    # The appointment type, then the room (the clinician in the room view).
    details: str
    # Set when the patient may be checked in now.
    check_in_url: str | None

    @property
    def starts_at(self) -> datetime:
        return self.appointment.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.appointment.ends_at


def calendar_card(appointment: Appointment, *, show_clinician: bool, can_check_in: bool) -> Card:
    """`show_clinician` in the room view, where the column already names the room."""
    place = clinician_label(appointment.clinician) if show_clinician else appointment.room.name
    return Card(
        appointment=appointment,
        url=url_with_id("scheduling:appointment", appointment.pk),
        times=clock_range(appointment.starts_at, appointment.ends_at),
        patient_name=appointment.patient.display_name,
        status_label=appointment.get_status_display(),
        badge=status_badge(appointment.status),
        details=f"{appointment.appointment_type.name} · {place}",
        check_in_url=url_with_id("scheduling:check_in", appointment.pk) if can_check_in else None,
    )
