"""The explicit table of who may open which URL.

Every named URL pattern of the project must have a row, here for the clinic
app and in <app>/tests/access_rows.py (a ROWS list) for the others; the walk
in test_access.py fails on any pattern without one.

Each row: the URL name, how to build the kwargs to reverse it with, the HTTP method,
and the expected outcome for anonymous, front desk, clinician and admin
users. Outcomes: OK (2xx), LOGIN (redirect to the login page), DENIED (403),
NOT_ALLOWED (405, wrong method), or a specific status code.

`accepts_post` marks every URL that takes a POST: test_request_safety.py
posts to each without a CSRF token and expects 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
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
    """`make_kwargs` builds the objects a URL needs (with factories) and
    returns the kwargs to reverse it with; it runs inside the test."""

    name: str
    expected: dict[str, str]
    make_kwargs: Callable[[], dict[str, Any]] = field(default=dict)
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


CLINIC_ROWS: list[Row] = [
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
    Row("licences", staff()),
]

# The Django admin (set-up screens) checks staff status itself: everyone but
# a clinic admin is sent to its login page. Its index stands for its URLs.
ADMIN_NAMESPACE = "admin"
ADMIN_ROWS: list[Row] = [
    Row("admin:index", {ANONYMOUS: REDIRECT, FRONT_DESK: REDIRECT, CLINICIAN: REDIRECT, ADMIN: OK}),
]

# Each app lists its own URLs in <app>/tests/access_rows.py as ROWS.
APPS_WITH_ROWS = ("patients", "scheduling", "procedures", "followups")


def _app_rows(app: str) -> list[Row]:
    try:
        module = import_module(f"{app}.tests.access_rows")
    except ModuleNotFoundError:
        return []
    return list(module.ROWS)


ROWS: list[Row] = CLINIC_ROWS + [row for app in APPS_WITH_ROWS for row in _app_rows(app)]
