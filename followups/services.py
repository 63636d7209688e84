"""Writes to the follow-up outbox.

The scheduling and procedures services call the `followups_on_*` functions
inside their own transactions, so a booking or a signature and its
follow-ups are committed together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procedures.models import TreatmentSession
    from scheduling.models import Appointment


def followups_on_appointment_booked(*, appointment: Appointment) -> None:
    """Queue the appointment reminder. (Filled in by the follow-ups issue.)"""


def followups_on_appointment_changed(*, appointment: Appointment) -> None:
    """Re-time the reminder after a move; cancel it after a cancel or no-show.
    (Filled in by the follow-ups issue.)"""


def followups_on_session_signed(*, session: TreatmentSession) -> None:
    """Queue the day-after check, the 2- and 6-week surveys and the
    re-treatment reminder. (Filled in by the follow-ups issue.)"""
