"""Each demo role signs in through the real login page and sees its own home."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from clinic.demo import seed_users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("username", "own_section", "absent_sections"),
    [
        ("frontdesk", "home-front-desk", ["home-clinician", "home-admin"]),
        ("clinician", "home-clinician", ["home-front-desk", "home-admin"]),
        ("admin", "home-admin", ["home-front-desk", "home-clinician"]),
    ],
)
def test_demo_user_signs_in_and_sees_their_role_home(
    page: Page, sign_in, settings, username: str, own_section: str, absent_sections: list[str]
) -> None:
    seed_users()

    sign_in(username, settings.DEMO_PASSWORD)

    expect(page.get_by_test_id(own_section)).to_be_visible()
    for section in absent_sections:
        expect(page.get_by_test_id(section)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_keeps_the_user_on_the_login_page_with_a_message(
    page: Page, sign_in
) -> None:
    seed_users()

    sign_in("clinician", "not-the-password")

    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
