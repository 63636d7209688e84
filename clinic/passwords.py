"""Refuse passwords built the way breached passwords are built.

Breach corpora are full of a common word dressed up to pass composition
rules: "Password123!", "Summer2024!", "P@ssw0rd!!". Strip the digits and
symbols at either end, undo the usual letter swaps, and if what is left is a
common password (Django's list of 20,000) or almost nothing, refuse it. This
needs no network and no breach database; long passphrases pass untouched.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

BREACHED_PATTERN = (
    "This password follows a pattern common in breached passwords "
    "(a common word with digits or symbols around it). Use a longer phrase instead."
)

_LEET = str.maketrans(
    {"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"}
)
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_MIN_CORE_LENGTH = 4


class BreachedPatternValidator:
    def __init__(self) -> None:
        self.common = CommonPasswordValidator().passwords

    def validate(self, password: str, user: Any = None) -> None:
        if self._looks_breached(password):
            raise ValidationError(BREACHED_PATTERN, code="password_breached_pattern")

    def _looks_breached(self, password: str) -> bool:
        core = _EDGES.sub("", password).lower()
        if len(core) < _MIN_CORE_LENGTH:
            return True
        candidates = {
            core,
            core.translate(_LEET),
            _EDGES.sub("", password.lower().translate(_LEET)),
        }
        return any(candidate in self.common for candidate in candidates)

    def get_help_text(self) -> str:
        return "Your password can't be a common word with digits or symbols around it."
