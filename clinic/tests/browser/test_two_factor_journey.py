"""A clinician sets up two-factor sign-in and is asked for a code at the next sign-in."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from clinic.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _code(secret: str, steps_ahead: int = 0) -> str:
    """What the phone shows now, or `steps_ahead` 30-second steps from now."""
    key = b32decode("".join(secret.split()))
    return f"{totp(key, drift=steps_ahead):06d}"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_clinician_enrols_then_needs_a_code_and_a_used_code_is_refused(
    page: Page, sign_in, settings
) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    UserFactory(username="casey", first_name="Casey", role="Clinician")
    policy_violations: list[str] = []
    failed_requests: list[str] = []
    page.on(
        "console",
        lambda message: (
            policy_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: failed_requests.append(response.url) if response.status >= 400 else None,
    )

    sign_in("casey")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    page.get_by_role("button", name="Start set-up").click()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_role("textbox", name="Code").fill(_code(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_test_id("home-clinician")).to_be_visible()
    _sign_out(page)

    sign_in("casey")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    next_code = _code(secret, steps_ahead=1)
    page.get_by_role("textbox", name="Code").fill(next_code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("home-clinician")).to_be_visible()
    _sign_out(page)

    sign_in("casey")
    page.get_by_role("textbox", name="Code").fill(next_code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code is not valid")).to_be_visible()
    expect(page.get_by_test_id("home-clinician")).to_have_count(0)
    assert policy_violations == []
    assert failed_requests == []
