"""What scheduling says when it refuses: the messages are constants tests assert."""

from __future__ import annotations

# Bad input, shown beside the field.
END_BEFORE_START = "The end must be after the start."
TOO_LONG = "An appointment can last at most 8 hours."
OFF_STEP = "Times go in 5-minute steps, such as 10:00 or 10:05."
START_IN_PAST = "That start is in the past. Tick “Walk-in” to record a patient who is already here."
WALK_IN_NOT_NOW = "A walk-in is here now: it starts today, at most 15 minutes from now."
UNKNOWN_CLINICIAN = "Choose a clinician from the list."
UNKNOWN_ROOM = "Choose a room from the list."
UNKNOWN_TYPE = "Choose an appointment type from the list."
UNKNOWN_PATIENT = "Find the patient with the search box and choose them."
FORM_EXPIRED = "This form has expired; check the details and book again."
PATIENT_ARCHIVED = "This patient's record is archived; an archived patient cannot be booked."

# Slots the database refused (exclusion constraints).
CLINICIAN_TAKEN = "{clinician} already has an appointment {time}."
ROOM_TAKEN = "{room} is taken {time}."
PATIENT_TAKEN = "This patient already has an appointment then ({time} with {clinician})."
SLOT_TAKEN = "That time was just taken. Choose another time."

# Warnings that need a written reason to override.
RETREATMENT_TOO_SOON = (
    "Too soon for another injection session: the last one was on {last} and "
    "re-treatment needs at least {days} days (from {earliest})."
)
RETREATMENT_ALREADY_BOOKED = (
    "This patient already has an injection session booked on {other}, less than {days} days away."
)
OUTSIDE_HOURS = "{clinician} does not work then ({hours})."
NOT_WORKING_THAT_DAY = "{clinician} does not work on {weekday}s."
ON_TIME_OFF = "{clinician} has time off then{reason}."
OVERRIDE_NEEDS_REASON = " To book anyway, give a reason."
OVERRIDE_NOT_ALLOWED = " Only staff allowed to override scheduling warnings can book this."

# The life of an appointment.
ILLEGAL_TRANSITION = "{status} appointments cannot be {action}."
CANCEL_NEEDS_REASON = "Give a reason for cancelling."
CHECK_IN_TOO_EARLY = "Check-in opens 2 hours before the appointment."
CHECK_IN_DAY_OVER = "Check-in closes at the end of the appointment's day."
NO_SHOW_TOO_EARLY = "A no-show can only be recorded once the appointment has started."
ONLY_BOOKED_MOVES = "Only a booked appointment can be moved; this one is {status}."


class SlotTaken(Exception):
    """The database refused an overlapping appointment.

    `field` is the form field to show the message beside; `constraint` names
    the exclusion constraint that refused it.
    """

    def __init__(self, *, field: str, message: str, constraint: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.constraint = constraint


class IllegalTransition(Exception):
    """The appointment's status does not allow that step (now)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
