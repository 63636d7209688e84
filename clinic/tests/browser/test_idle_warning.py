"""The idle warning appears before the session ends, and "Stay signed in" keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from clinic.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_warning_offers_to_stay_signed_in(page: Page, sign_in, settings) -> None:
    # A short idle limit so the one-minute warning shows within seconds.
    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_IDLE_WARNING + timedelta(seconds=3)
    settings.SESSION_ACTIVITY_RESOLUTION = timedelta(seconds=1)
    UserFactory(username="fran", role="Front desk")
    sign_in("fran")
    warning = page.get_by_role("alertdialog")

    expect(warning).to_be_visible(timeout=10_000)
    with page.expect_response("**/session/keep-alive/") as keep_alive:
        page.get_by_role("button", name="Stay signed in").click()

    assert keep_alive.value.status == 204
    expect(warning).to_be_hidden()
    expect(page.get_by_test_id("home-front-desk")).to_be_visible()
