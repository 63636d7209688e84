"""An appointment as a calendar cell shows it, worked out once in Python:
a busy day has over a hundred cards, and each filter, `{% url %}` and
`{% include %}` in the template costs more than the same work here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.urls import get_script_prefix, reverse

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
        url=_url_with_id("scheduling:appointment", appointment.pk),
        times=clock_range(appointment.starts_at, appointment.ends_at),
        patient_name=appointment.patient.display_name,
        status_label=appointment.get_status_display(),
        badge=status_badge(appointment.status),
        details=f"{appointment.appointment_type.name} · {place}",
        check_in_url=_url_with_id("scheduling:check_in", appointment.pk) if can_check_in else None,
    )


# reverse() once per URL name, then each card's id put in its place: a busy
# day's cards need 150 URLs, about 8 ms of reverse() (docs/performance.md).
_ID_MARKER = 918273645


def _url_with_id(name: str, pk: int) -> str:
    head, tail = _url_around_id(name, get_script_prefix())
    return f"{head}{pk}{tail}"


@lru_cache(maxsize=16)
def _url_around_id(name: str, script_prefix: str) -> tuple[str, str]:
    """The URL before and after its id (per script prefix, which reverse() uses)."""
    head, tail = reverse(name, args=[_ID_MARKER]).split(str(_ID_MARKER))
    return head, tail
