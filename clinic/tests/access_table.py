"""The explicit table of who may open which URL.

Every named URL pattern of the project must have a row here; the walk in
test_access.py fails on any pattern without one. Later apps add their rows.

Each row: the URL name, the kwargs to reverse it with, the HTTP method,
and the expected outcome for anonymous, front desk, clinician and admin
users. Outcomes: OK (2xx), LOGIN (redirect to the login page), DENIED (403),
NOT_ALLOWED (405, wrong method), or a specific status code.

`accepts_post` marks every URL that takes a POST: test_request_safety.py
posts to each without a CSRF token and expects 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OK = "ok"
LOGIN = "login"
DENIED = "denied"
NOT_ALLOWED = "not allowed"
REDIRECT = "redirect"

ANONYMOUS = "anonymous"
FRONT_DESK = "front_desk"
CLINICIAN = "clinician"
ADMIN = "admin"
PERSONAS = (ANONYMOUS, FRONT_DESK, CLINICIAN, ADMIN)


@dataclass(frozen=True)
class Row:
    name: str
    expected: dict[str, str]
    kwargs: dict[str, Any] = field(default_factory=dict)
    method: str = "get"
    accepts_post: bool = False


def staff(expected_for_signed_in: str = OK) -> dict[str, str]:
    return {
        ANONYMOUS: LOGIN,
        FRONT_DESK: expected_for_signed_in,
        CLINICIAN: expected_for_signed_in,
        ADMIN: expected_for_signed_in,
    }


def roles(*, front_desk: str, clinician: str, admin: str) -> dict[str, str]:
    return {ANONYMOUS: LOGIN, FRONT_DESK: front_desk, CLINICIAN: clinician, ADMIN: admin}


ROWS: list[Row] = [
    Row("home", staff()),
    Row("healthz", dict.fromkeys(PERSONAS, "health")),
    Row(
        "login",
        {ANONYMOUS: OK, FRONT_DESK: REDIRECT, CLINICIAN: REDIRECT, ADMIN: REDIRECT},
        accepts_post=True,
    ),
    Row("logout", dict.fromkeys(PERSONAS, NOT_ALLOWED), accepts_post=True),
    Row("password_change", staff(), accepts_post=True),
    Row("password_change_done", staff()),
    Row("session_keep_alive", staff(NOT_ALLOWED), accepts_post=True),
    Row("two_factor_enrol", staff(), accepts_post=True),
    # Without an enrolled device the code page sends the user to enrolment.
    Row("two_factor_verify", staff(REDIRECT), accepts_post=True),
    Row("audit_log", roles(front_desk=DENIED, clinician=DENIED, admin=OK)),
]

# The Django admin (set-up screens) checks staff status itself: everyone but
# a clinic admin is sent to its login page. Its index stands for its URLs.
ADMIN_NAMESPACE = "admin"
ADMIN_ROWS: list[Row] = [
    Row("admin:index", {ANONYMOUS: REDIRECT, FRONT_DESK: REDIRECT, CLINICIAN: REDIRECT, ADMIN: OK}),
]
