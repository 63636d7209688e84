"""Brute force: a username is locked for one address, and nothing on the
page tells an attacker whether the account exists or is locked."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from clinic.audit import Action
from clinic.client_ip import client_ip
from clinic.models import AccessEvent
from clinic.tests.conftest import ADDRESS
from clinic.tests.factories import PASSWORD

SAME_MESSAGE = "Please enter a correct username and password"
OTHER_ADDRESS = "203.0.113.77"


def _fail(client, password_sign_in, username: str, times: int, ip: str = ADDRESS) -> None:
    for _ in range(times):
        password_sign_in(client, username, "wrong-password-guess", ip=ip)


@pytest.mark.django_db
def test_unknown_user_wrong_password_and_locked_account_get_the_same_page(
    client, clinician, settings, password_sign_in
) -> None:
    unknown = password_sign_in(client, "nobody-here", "whatever-password")
    wrong = password_sign_in(client, "clinician", "wrong-password-guess")
    _fail(client, password_sign_in, "clinician", settings.AXES_FAILURE_LIMIT)
    locked = password_sign_in(client, "clinician", PASSWORD)

    for response in (unknown, wrong, locked):
        assert response.status_code == 200
        assert SAME_MESSAGE in response.content.decode()
        assert "locked" not in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_is_refused_while_locked_out(
    client, clinician, settings, password_sign_in
) -> None:
    _fail(client, password_sign_in, "clinician", settings.AXES_FAILURE_LIMIT)

    response = password_sign_in(client, "clinician", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_another_user_behind_the_same_address_still_signs_in(
    client, clinician, front_desk, settings, password_sign_in
) -> None:
    _fail(client, password_sign_in, "clinician", settings.AXES_FAILURE_LIMIT)

    response = password_sign_in(client, "frontdesk", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(front_desk.pk)


@pytest.mark.django_db
def test_the_same_user_from_another_address_is_not_locked(
    client, clinician, settings, password_sign_in
) -> None:
    _fail(client, password_sign_in, "clinician", settings.AXES_FAILURE_LIMIT)

    response = password_sign_in(client, "clinician", PASSWORD, ip=OTHER_ADDRESS)

    assert response.status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(
    client, clinician, settings, password_sign_in, time_machine
) -> None:
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    _fail(client, password_sign_in, "clinician", settings.AXES_FAILURE_LIMIT)

    time_machine.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 1)
    response = password_sign_in(client, "clinician", PASSWORD)

    assert response.status_code == 302


@pytest.mark.django_db
def test_failures_and_the_lockout_are_in_the_access_log_without_the_typed_username(
    client, clinician, settings, password_sign_in
) -> None:
    password_sign_in(client, "no-such-person", "x" * 12)
    _fail(client, password_sign_in, "clinician", settings.AXES_FAILURE_LIMIT)

    failures = AccessEvent.objects.filter(action=Action.SIGN_IN_FAILED)
    assert failures.filter(user=clinician).count() == settings.AXES_FAILURE_LIMIT
    assert failures.filter(user=None).count() == 1
    lockout = AccessEvent.objects.get(action=Action.LOCKED_OUT)
    assert (lockout.user, lockout.ip_address) == (clinician, ADDRESS)
    logged = " ".join(str(value) for value in AccessEvent.objects.values_list())
    assert "no-such-person" not in logged


def test_client_address_ignores_forwarded_for_when_no_proxy_is_trusted(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "10.0.0.2"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [("203.0.113.9", "203.0.113.9"), ("6.6.6.6, 203.0.113.9", "203.0.113.9"), ("", "10.0.0.2")],
)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(
    settings, forwarded_for: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected
