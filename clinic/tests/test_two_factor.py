"""Two-factor sign-in: who must enrol, the code step, and codes that cannot be replayed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import two_factor
from clinic.audit import Action
from clinic.models import AccessEvent, SecurityPolicy, SecurityPolicyEvent
from clinic.tests.conftest import current_code

pytestmark = pytest.mark.django_db


def _enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    two_factor.backup_codes_replace(user=user)
    return device


def _enrol_through_the_pages(client) -> TOTPDevice:
    client.post(reverse("two_factor_enrol"), {"start": "1"})
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("two_factor_enrol"), {"code": current_code(device)})
    assert response.status_code == 200
    return device


def test_a_clinician_without_a_device_is_sent_to_enrolment_and_nowhere_else(
    client, clinician, two_factor_on, password_sign_in
) -> None:
    password_sign_in(client, "clinician")

    home = client.get(reverse("home"))
    set_up = client.get(reverse("two_factor_enrol"))

    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two_factor_enrol"))
    assert set_up.status_code == 200
    assert "Set up two-factor sign-in" in set_up.content.decode()


@pytest.mark.parametrize("url_name", ["audit_log", "password_change", "admin:index"])
def test_an_admin_who_has_not_enrolled_cannot_open_other_pages(
    client, admin, two_factor_on, url_name
) -> None:
    client.force_login(admin)

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))


def test_front_desk_may_skip_two_factor_unless_the_clinic_requires_it(
    client, front_desk, two_factor_on, settings
) -> None:
    client.force_login(front_desk)
    assert client.get(reverse("home")).status_code == 200

    settings.TWO_FACTOR_FRONT_DESK = True
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))


def test_a_clinic_admin_requires_two_factor_for_the_front_desk_in_the_set_up_screens(
    client, admin, front_desk, settings
) -> None:
    client.force_login(admin)
    change_url = reverse("admin:clinic_securitypolicy_change", args=[1])
    assert client.get(change_url).status_code == 200

    client.post(change_url, {"front_desk_two_factor": "on", "_save": "Save"})

    assert SecurityPolicy.objects.get().front_desk_two_factor is True
    assert SecurityPolicyEvent.objects.filter(pgh_label="update").count() == 1
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(front_desk)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))


def test_the_policy_cannot_be_added_twice_or_deleted(client, admin) -> None:
    client.force_login(admin)

    add = client.get(reverse("admin:clinic_securitypolicy_add"))
    delete = client.post(reverse("admin:clinic_securitypolicy_delete", args=[1]), {"post": "yes"})

    assert add.status_code == 403
    assert delete.status_code == 403
    assert SecurityPolicy.objects.count() == 1


def test_in_demo_mode_no_one_is_asked_to_enrol(client, clinician, settings) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(clinician)

    assert client.get(reverse("home")).status_code == 200


def test_enrolment_confirms_the_device_verifies_the_session_and_shows_backup_codes(
    client, clinician, two_factor_on
) -> None:
    client.force_login(clinician)
    client.post(reverse("two_factor_enrol"), {"start": "1"})
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    page = client.get(reverse("two_factor_enrol")).content.decode()
    assert 'class="qr-code"' in page

    response = client.post(reverse("two_factor_enrol"), {"code": current_code(device)})

    device.refresh_from_db()
    assert device.confirmed
    codes = set(StaticToken.objects.filter(device__user=clinician).values_list("token", flat=True))
    assert len(codes) == two_factor.BACKUP_CODE_COUNT
    assert all(code in response.content.decode() for code in codes)
    assert client.get(reverse("home")).status_code == 200
    assert AccessEvent.objects.filter(user=clinician, action=Action.TWO_FACTOR_ENROLLED).exists()


def test_a_wrong_code_does_not_confirm_enrolment(client, clinician, two_factor_on) -> None:
    client.force_login(clinician)
    client.post(reverse("two_factor_enrol"), {"start": "1"})

    response = client.post(reverse("two_factor_enrol"), {"code": "000000"})

    assert two_factor.CODE_REFUSED in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_an_enrolled_user_is_asked_for_a_code_after_the_password(
    client, clinician, two_factor_on, password_sign_in
) -> None:
    device = _enrolled(clinician)
    password_sign_in(client, "clinician")

    refused = client.get(reverse("home"))
    response = client.post(f"{reverse('two_factor_verify')}?next=/", {"code": current_code(device)})

    assert refused["Location"].startswith(reverse("two_factor_verify"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    assert AccessEvent.objects.filter(user=clinician, action=Action.TWO_FACTOR_VERIFIED).exists()


def test_a_used_code_cannot_be_used_again(
    client, clinician, two_factor_on, password_sign_in, time_machine
) -> None:
    time_machine.move_to("2026-03-02 09:00:05+00:00", tick=False)
    device = _enrolled(clinician)
    code = current_code(device)
    password_sign_in(client, "clinician")
    client.post(reverse("two_factor_verify"), {"code": code})
    client.post(reverse("logout"))

    password_sign_in(client, "clinician")
    response = client.post(reverse("two_factor_verify"), {"code": code})

    assert two_factor.CODE_REFUSED in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AccessEvent.objects.filter(user=clinician, action=Action.TWO_FACTOR_FAILED).count() == 1


def test_a_backup_code_works_once(client, clinician, two_factor_on, password_sign_in) -> None:
    _enrolled(clinician)
    backup = StaticToken.objects.filter(device__user=clinician).first().token
    password_sign_in(client, "clinician")
    first = client.post(reverse("two_factor_verify"), {"code": backup})
    client.post(reverse("logout"))

    password_sign_in(client, "clinician")
    second = client.post(reverse("two_factor_verify"), {"code": backup})

    assert first.status_code == 302
    assert two_factor.CODE_REFUSED in second.content.decode()


def test_the_code_page_never_redirects_off_the_site(
    client, clinician, two_factor_on, password_sign_in
) -> None:
    device = _enrolled(clinician)
    password_sign_in(client, "clinician")

    response = client.post(
        f"{reverse('two_factor_verify')}?next=https://evil.example/",
        {"code": current_code(device)},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_new_sign_in_needs_a_new_code(client, clinician, two_factor_on, password_sign_in) -> None:
    client.force_login(clinician)
    _enrol_through_the_pages(client)
    client.post(reverse("logout"))

    password_sign_in(client, "clinician")

    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_verified_session_stays_verified_only_while_its_device_is_confirmed(
    client, clinician, two_factor_on
) -> None:
    """The device is read with a statement of our own (clinic.middleware.OTPMiddleware):
    the session counts as verified only while that device exists, is confirmed
    and belongs to the signed-in user."""
    client.force_login(clinician)
    device = _enrol_through_the_pages(client)
    assert client.get(reverse("home")).status_code == 200

    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)

    # The backup codes remain, so a code is asked for again.
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_session_whose_device_was_deleted_asks_for_a_code_again(
    client, clinician, two_factor_on
) -> None:
    client.force_login(clinician)
    device = _enrol_through_the_pages(client)
    assert client.get(reverse("home")).status_code == 200

    device.delete()

    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
