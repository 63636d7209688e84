"""The one error the procedures services raise, and its messages.

Messages are constants so that tests and views name the same text. A
message may carry `{placeholders}` filled in where it is raised.
"""

from __future__ import annotations


class ProcedureError(Exception):
    """A write the clinic's rules refuse. `field` names the input at fault, if one is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Sessions
SESSION_SIGNED = "This session is signed and can no longer be changed. Add an amendment instead."
SESSION_NOT_YOURS = "Only the clinician who started this session can change or sign it."
APPOINTMENT_NOT_INJECTION = "Only an injection appointment starts a treatment session."
PATIENT_ARCHIVED = "This patient's chart is archived."
PRODUCT_LOCKED = "Remove the injections before changing the product: units never mix products."
NO_PRODUCT = "Choose the product for this session first."
NO_CONSENT = "No valid consent to treatment: injections cannot be recorded."

# Stock
LOT_EXPIRED = "Lot {lot} expired on {date:%m/%d/%Y}; it cannot be used."
LOT_DUPLICATE = "Lot {lot} of {product} is already in stock."
LOT_VIAL_SIZE = "{product} comes in vials of {sizes} U."
LOT_ALL_OPENED = "All {count} vials of lot {lot} have been opened."
DILUENT_REQUIRED = "A powder needs saline to reconstitute it."
VIAL_CLOSED = "Vial {vial} is closed; open another vial."
VIAL_EXPIRED = "Vial {vial} expired at {time}; it cannot be used. Close it and record the waste."
VIAL_TOO_FEW_UNITS = "Vial {vial} has only {left} U left; {asked} U cannot be drawn from it."
VIAL_OTHER_PRODUCT = "Vial {vial} is {vial_product}, but this session uses {product}."
VIAL_ALREADY_CLOSED = "Vial {vial} is already closed."

# Points and injections
COPY_NEEDS_EMPTY_MAP = "Copy the last session's points onto an empty map only."
NO_LAST_SESSION = "There is no earlier signed session to copy from."

# Signing
SIGN_MISSING = "Complete before signing: {missing}."
SIGN_NO_INJECTIONS = "Record at least one injection before signing."
OVERRIDE_REASON_REQUIRED = "The dose guard warned; give the reason for going ahead to sign."
AMEND_DRAFT = "A draft is corrected by editing it; amendments are for signed sessions."
